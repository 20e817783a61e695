r"""B-cell lineage: marrow precursors, naive and memory B cells in blood and lymphoid tissue.

Precursors (CD19+, CD20-negative pro/pre-B cells) mature in the marrow and enter the
blood as naive cells; naive and memory cells recirculate between blood and lymphoid
tissue; naive cells become memory cells slowly. CD19-directed CAR T cells kill every
compartment, anti-CD20 antibodies spare the CD20-negative precursors, which is why B cells
come back *naive* after either therapy. Lymphodepleting chemotherapy kills all of them.
CNS B cells (relative to baseline) are seeded from the periphery and turn over slowly;
antibodies barely reach them, CAR T cells in the CSF can (hypothesis).

.. math::

   \frac{dP}{dt} &= s_P - k_{mat} P - \kappa_{19} P \\
   \frac{dN_b}{dt} &= k_{mat} P - (\delta_N + k_{NM} + k_{bt}) N_b + k_{tb} N_t - (\kappa_{19} + \kappa_{20,b}) N_b \\
   \frac{dN_t}{dt} &= k_{bt} N_b - (\delta_N + k_{NM} + k_{tb}) N_t - (\kappa_{19} + \kappa_{20,t}) N_t \\
   \frac{dM_b}{dt} &= k_{NM} N_b - (\delta_M + k_{bt}) M_b + k_{tb} M_t - (\kappa_{19} + \kappa_{20,b}) M_b \\
   \frac{dM_t}{dt} &= k_{NM} N_t + k_{bt} M_b - (\delta_M + k_{tb}) M_t - (\kappa_{19} + \kappa_{20,t}) M_t

with :math:`\delta_M = d_M (1 - r_M)` the net loss of memory cells: they turn over at
:math:`d_M` (Macallan 2005) but a share :math:`r_M` is replaced by their own division (memory
maintained by proliferating clones, as Macallan et al. conclude), so after depletion the
memory compartment is rebuilt from naive cells over about a year.

:math:`\kappa_{19}` and :math:`\kappa_{20}` are the killing rates read from the CAR T-cell
and antibody modules (each rate here also includes the lymphodepletion rate
:math:`\kappa_{LD}`). CNS B cells: :math:`dB_N/dt = k_N (a_M - B_N) - (\kappa_{19,N} + \kappa_{20,N}) B_N`
with :math:`a_M = (M_b + M_t)/(M_b + M_t)_0` the memory B-cell activity. The initial state is the untreated steady state, solved exactly:
the blood-to-tissue rate :math:`k_{bt}` follows from the blood share :math:`f_b` of B
cells, the precursor influx :math:`s_P` balances the naive losses, and the blood count
equals the patient's baseline :math:`B_0`.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["bcell_lineage"]

bcell_lineage = Module(
    name="bcell_lineage",
    description="B-cell precursors, naive and memory B cells in blood and lymphoid tissue",
    states=(
        State("b_precursor", "cells/uL", "bcell_precursor_steady", "CD19+CD20- marrow precursors"),
        State("b_naive_blood", "cells/uL", "bcell_naive_blood_steady", "naive B cells in blood"),
        State("b_naive_tissue", "cells/uL", "bcell_naive_blood_steady*bcell_tissue_ratio", "naive B cells in lymphoid tissue"),
        State("b_memory_blood", "cells/uL", "bcell_naive_blood_steady*bcell_memory_ratio_blood", "memory B cells in blood"),
        State("b_memory_tissue", "cells/uL", "bcell_naive_blood_steady*bcell_memory_ratio_tissue", "memory B cells in lymphoid tissue"),
        State("b_cns", "1", "1", "CNS (CSF and meningeal) B cells relative to baseline"),
    ),
    parameters=(
        Quantity("bcell_blood_baseline", "cells/uL", "CD19+ B cells in blood before treatment"),
        Quantity("bcell_blood_share", "1", "share of the body's mature B cells that is in blood"),
        Quantity("bcell_tissue_exit", "1/day", "rate at which B cells leave lymphoid tissue for blood"),
        Quantity("bcell_naive_loss", "1/day", "death/turnover rate of naive B cells"),
        Quantity("bcell_memory_loss", "1/day", "turnover rate of memory B cells"),
        Quantity("bcell_memory_self_renewal", "1", "share of memory B-cell turnover replaced by their own division"),
        Quantity("bcell_naive_to_memory", "1/day", "rate of naive-to-memory differentiation"),
        Quantity("bcell_maturation", "1/day", "rate at which marrow precursors mature into naive B cells"),
        Quantity("bcell_cns_turnover", "1/day", "turnover rate of CNS B cells (exchange with the periphery)"),
    ),
    derived=(
        Expression(
            "bcell_memory_net_loss",
            "bcell_memory_loss*(1 - bcell_memory_self_renewal)",
            "1/day",
            "net loss of memory B cells (turnover not replaced by their own division)",
        ),
        Expression("bcell_naive_out", "bcell_naive_loss + bcell_naive_to_memory", "1/day", "total loss rate of naive cells"),
        Expression(
            "bcell_tissue_entry",
            "(bcell_tissue_exit + bcell_naive_out)*(1 - bcell_blood_share)/bcell_blood_share",
            "1/day",
            "blood-to-tissue rate giving the blood share at steady state",
        ),
        Expression("bcell_tissue_ratio", "(1 - bcell_blood_share)/bcell_blood_share", "1", "naive tissue/blood ratio at steady state"),
        Expression(
            "bcell_memory_det",
            "bcell_memory_net_loss*(bcell_memory_net_loss + bcell_tissue_entry + bcell_tissue_exit)",
            "1/day**2",
            "determinant of the memory steady-state equations",
        ),
        Expression(
            "bcell_memory_ratio_blood",
            "bcell_naive_to_memory*(bcell_tissue_exit + bcell_memory_net_loss + bcell_tissue_exit*bcell_tissue_ratio)/bcell_memory_det",
            "1",
            "steady-state memory/naive ratio in blood",
        ),
        Expression(
            "bcell_memory_ratio_tissue",
            "bcell_naive_to_memory*(bcell_tissue_ratio*(bcell_memory_net_loss + bcell_tissue_entry) + bcell_tissue_entry)/bcell_memory_det",
            "1",
            "steady-state tissue memory / blood naive ratio",
        ),
        Expression(
            "bcell_naive_blood_steady",
            "bcell_blood_baseline/(1 + bcell_memory_ratio_blood)",
            "cells/uL",
            "steady-state naive B cells in blood",
        ),
        Expression(
            "bcell_precursor_influx",
            "bcell_naive_out*bcell_naive_blood_steady*(1 + bcell_tissue_ratio)",
            "cells/uL/day",
            "marrow precursor production balancing naive losses",
        ),
        Expression("bcell_precursor_steady", "bcell_precursor_influx/bcell_maturation", "cells/uL", "steady-state precursor pool"),
        Expression(
            "bcell_memory_steady",
            "bcell_naive_blood_steady*(bcell_memory_ratio_blood + bcell_memory_ratio_tissue)",
            "cells/uL",
            "steady-state memory B cells (blood and tissue)",
        ),
    ),
    reads=(
        Quantity("cd19_kill_rate", "1/day", "killing of CD19+ cells (CAR T cells)", optional=True),
        Quantity("cd20_kill_rate_blood", "1/day", "killing of CD20+ cells in blood (antibodies)", optional=True),
        Quantity("cd20_kill_rate_tissue", "1/day", "killing of CD20+ cells in tissue (antibodies)", optional=True),
        Quantity("cd19_kill_rate_cns", "1/day", "killing of CD19+ cells in the CNS", optional=True),
        Quantity("cd20_kill_rate_cns", "1/day", "killing of CD20+ cells in the CNS", optional=True),
        Quantity("lymphodepletion_kill_rate", "1/day", "killing by lymphodepleting chemotherapy", optional=True),
    ),
    contributes=(
        Expression(
            "cd19_antigen",
            "b_precursor + b_naive_blood + b_naive_tissue + b_memory_blood + b_memory_tissue",
            "cells/uL",
            "all CD19+ B-lineage cells (blood-equivalent)",
        ),
    ),
    provides=(
        Expression(
            "memory_bcell_activity", "(b_memory_blood + b_memory_tissue)/bcell_memory_steady", "1", "memory B cells relative to baseline"
        ),
        Expression("cns_bcell_activity", "b_cns", "1", "CNS B cells relative to baseline"),
        Expression("cd20_bcells", "b_naive_blood + b_naive_tissue + b_memory_blood + b_memory_tissue", "cells/uL", "CD20+ B cells"),
        Expression("kill_blood", "cd19_kill_rate + cd20_kill_rate_blood + lymphodepletion_kill_rate", "1/day"),
        Expression("kill_tissue", "cd19_kill_rate + cd20_kill_rate_tissue + lymphodepletion_kill_rate", "1/day"),
    ),
    rates={
        "b_precursor": "bcell_precursor_influx - bcell_maturation*b_precursor - (cd19_kill_rate + lymphodepletion_kill_rate)*b_precursor",
        "b_naive_blood": "bcell_maturation*b_precursor - (bcell_naive_out + bcell_tissue_entry)*b_naive_blood"
        " + bcell_tissue_exit*b_naive_tissue - kill_blood*b_naive_blood",
        "b_naive_tissue": "bcell_tissue_entry*b_naive_blood - (bcell_naive_out + bcell_tissue_exit)*b_naive_tissue"
        " - kill_tissue*b_naive_tissue",
        "b_memory_blood": "bcell_naive_to_memory*b_naive_blood - (bcell_memory_net_loss + bcell_tissue_entry)*b_memory_blood"
        " + bcell_tissue_exit*b_memory_tissue - kill_blood*b_memory_blood",
        "b_memory_tissue": "bcell_naive_to_memory*b_naive_tissue + bcell_tissue_entry*b_memory_blood"
        " - (bcell_memory_net_loss + bcell_tissue_exit)*b_memory_tissue - kill_tissue*b_memory_tissue",
        "b_cns": "bcell_cns_turnover*(memory_bcell_activity - b_cns) - (cd19_kill_rate_cns + cd20_kill_rate_cns)*b_cns",
    },
    observables=(
        Expression("bcells_blood", "b_naive_blood + b_memory_blood", "cells/uL", "CD19+ B cells in blood"),
        Expression("bcells_naive_blood", "b_naive_blood", "cells/uL", "naive B cells in blood"),
        Expression("bcells_memory_blood", "b_memory_blood", "cells/uL", "memory B cells in blood"),
        Expression("bcell_precursors", "b_precursor", "cells/uL", "CD19+ marrow precursors (per uL blood)"),
        Expression("bcells_cns", "b_cns", "1", "CNS B cells relative to baseline"),
        Expression("memory_bcells_relative", "memory_bcell_activity", "1", "memory B cells (blood and tissue) relative to baseline"),
    ),
    references=("Macallan2005",),
)
