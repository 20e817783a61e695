r"""B-cell lineage: precursors, naive and memory B cells, the autoreactive memory clones, CNS B cells.

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

**Autoreactive memory and the "immune reset" (hypothesis).** The pathogenic memory B cells
(in memory-equivalent units: together equal to :math:`M_b, M_t` before treatment) move and
die as memory cells do, but are kept up in two ways whose balance is the open question: a
share :math:`\varphi = 1 - s` is *re-primed* from the naive repertoire (:math:`R_x`, renewed
as memory in general is), the rest is kept by the *clones' own division* (:math:`c_x`,
relative to their baseline :math:`s M_{x,0}`). Clones also live where they recirculate
least, in lymphoid follicles (:math:`c_F`, a pool :math:`w_F` times the tissue one, exchanging
with it at :math:`k_F`), and clones that have been thinned re-expand (rate :math:`r_c`) into
their emptied niche:

.. math::

   \frac{dR_x}{dt} &= \varphi\, k_{NM} N_x - (\text{the memory cells' losses and traffic}) - \kappa_x R_x \\
   \frac{dc_x}{dt} &= c_x \left[\frac{k_{NM} N_{x,0}}{M_{x,0}} + r_c (1 - a)\, \Sigma\right]
       - (\text{the memory cells' losses and traffic}) - \kappa_x c_x
       \;\bigl[+\, k_F w_F (c_F - c_t) \text{ in tissue}\bigr] \\
   \frac{dc_F}{dt} &= k_F (c_t - c_F) + r_c (1 - c_F)\, \Sigma\, c_F
       - (\kappa_{19} + e_F \kappa_{20,t} + \kappa_{LD})\, c_F \\
   a &= \frac{R_b + R_t}{M_{b,0} + M_{t,0}} + s\,\frac{M_{b,0} c_b + M_{t,0} c_t}{M_{b,0} + M_{t,0}}, \qquad
   \sigma = \frac{s\,(M_{b,0} c_b + M_{t,0} (c_t + w_F c_F))}{M_{b,0} + M_{t,0}(1 + s w_F)}, \qquad
   \Sigma = \frac{\sigma}{\sigma + 1/n_A}

where :math:`\kappa_x` is the killing in each place the clones live. CAR T cells act in
tissue and follicles as in blood (lymph nodes are emptied of B cells after CD19 CAR-T,
Tur2024); antibodies reach tissue at a fraction of their serum level and follicles barely
(:math:`e_F`: B cells persist in lymph nodes of patients without blood B cells after
rituximab, Kamburova2013, Tur2024). So the share of clones that survives follows the depth
of the time-integrated killing in each place: after anti-CD20 the follicles keep clones that
re-seed the periphery once the drug is gone; after a CAR-T they may not. :math:`n_A` is the
number of autoreactive memory cells in the body (between patients log-normal) and
:math:`\sigma n_A` the clonal cells left: clones thinned below one cell cannot re-expand
(:math:`\Sigma \to 0`), so whether a patient's disease returns from surviving clones is per
patient and random. :math:`a` (the recirculating autoreactive memory) is what disease
activity reads. The reset strength :math:`s` is the hypothesis: ``reset-none`` (0: the
autoreactive pool is rebuilt from naive cells within about a year, as memory in general is,
whatever survived), ``reset-partial`` (0.9: a tenth comes back that way; the rest only from
surviving clones), ``reset-full`` (1: only surviving clones bring it back).

**CNS B cells.** CSF B cells are a mobile pool :math:`C_m` that follows the memory B cells
of the periphery, and a compartmentalised one :math:`C_r` (meningeal infiltrates, a share
:math:`w_r` of CSF B cells) seeded slowly by the autoreactive clones and shielded from
antibodies (a CSF level of ~0.1 % of serum, and little complement or effector cells), so
anti-CD20 removes most CSF B cells but not all (OBOE: -86 % at week 12). CAR T cells in
the CSF kill both:

.. math::

   \frac{dC_m}{dt} = k_N (a_M - C_m) - (\kappa_{19,N} + \kappa_{20,N}) C_m, \qquad
   \frac{dC_r}{dt} = k_r (a - C_r) - (\kappa_{19,N} + e_r \kappa_{20,N}) C_r
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
        State(
            "b_auto_primed_blood",
            "cells/uL",
            "bcell_reprime_share*bcell_naive_blood_steady*bcell_memory_ratio_blood",
            "autoreactive memory B cells re-primed from naive cells, in blood (memory-equivalent)",
        ),
        State(
            "b_auto_primed_tissue",
            "cells/uL",
            "bcell_reprime_share*bcell_naive_blood_steady*bcell_memory_ratio_tissue",
            "autoreactive memory B cells re-primed from naive cells, in tissue (memory-equivalent)",
        ),
        State(
            "b_auto_clonal_blood",
            "1",
            "1",
            "clonally kept autoreactive memory B cells in blood, relative to their baseline",
        ),
        State(
            "b_auto_clonal_tissue",
            "1",
            "1",
            "clonally kept autoreactive memory B cells recirculating through lymphoid tissue, relative to their baseline",
        ),
        State(
            "b_auto_follicular",
            "1",
            "1",
            "autoreactive memory clones resident in lymphoid follicles, relative to their baseline",
        ),
        State("b_cns", "1", "1", "mobile CSF B cells (exchanging with the periphery) relative to baseline"),
        State("b_cns_resident", "1", "1", "compartmentalised CNS B cells (meningeal infiltrates) relative to baseline"),
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
        Quantity("bcell_cns_turnover", "1/day", "turnover rate of mobile CSF B cells (exchange with the periphery)"),
        Quantity("bcell_cns_resident_share", "1", "share of CSF B cells that are compartmentalised in the CNS"),
        Quantity("bcell_cns_resident_turnover", "1/day", "renewal rate of compartmentalised CNS B cells from autoreactive clones"),
        Quantity("bcell_cns_resident_antibody_access", "1", "share of the CSF antibody killing that reaches compartmentalised B cells"),
        Quantity("cns_bcell_count", "cells/uL", "CNS B cells that CSF CAR T cells meet before treatment (per uL CSF)"),
        Quantity(
            "reset_strength", "1", "strength of the immune reset: share of autoreactive memory renewed by its own clones (0 none, 1 full)"
        ),
        Quantity(
            "autoreactive_regrowth_rate", "1/day", "re-expansion rate of surviving autoreactive memory clones when their niche is empty"
        ),
        Quantity("autoreactive_memory_clones", "1", "autoreactive memory B cells in the body (a clone below one cell cannot re-expand)"),
        Quantity("follicular_share", "1", "autoreactive clones resident in lymphoid follicles, per recirculating clonal cell in tissue"),
        Quantity("follicular_exchange", "1/day", "exchange rate between follicle-resident and recirculating autoreactive clones"),
        Quantity("follicular_antibody_access", "1", "share of the antibodies' tissue killing that reaches B cells in lymphoid follicles"),
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
        Expression("bcell_reprime_share", "1 - reset_strength", "1", "share of autoreactive memory renewed from the naive repertoire"),
        Expression(
            "bcell_clone_renewal_blood",
            "bcell_naive_to_memory/bcell_memory_ratio_blood",
            "1/day",
            "per-cell renewal that keeps memory in blood at steady state",
        ),
        Expression(
            "bcell_clone_renewal_tissue",
            "bcell_naive_to_memory*bcell_tissue_ratio/bcell_memory_ratio_tissue",
            "1/day",
            "per-cell renewal that keeps memory in tissue at steady state",
        ),
        Expression(
            "bcell_memory_tissue_to_blood",
            "bcell_memory_ratio_tissue/bcell_memory_ratio_blood",
            "1",
            "memory B cells in tissue per memory B cell in blood at steady state",
        ),
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
            "cd19_antigen_cns",
            "cns_bcell_count*((1 - bcell_cns_resident_share)*b_cns + bcell_cns_resident_share*b_cns_resident)",
            "cells/uL",
            "CNS B cells (per uL CSF)",
        ),
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
        Expression(
            "autoreactive_activity",
            "(b_auto_primed_blood + b_auto_primed_tissue)/bcell_memory_steady + reset_strength"
            "*(bcell_memory_ratio_blood*b_auto_clonal_blood + bcell_memory_ratio_tissue*b_auto_clonal_tissue)"
            "/(bcell_memory_ratio_blood + bcell_memory_ratio_tissue)",
            "1",
            "recirculating autoreactive memory B cells relative to baseline",
        ),
        Expression(
            "clonal_share",
            "reset_strength*(bcell_memory_ratio_blood*b_auto_clonal_blood"
            " + bcell_memory_ratio_tissue*(b_auto_clonal_tissue + follicular_share*b_auto_follicular))"
            "/(bcell_memory_ratio_blood + bcell_memory_ratio_tissue*(1 + reset_strength*follicular_share))",
            "1",
            "clonally kept autoreactive memory cells (recirculating and follicular) per autoreactive memory cell before treatment",
        ),
        Expression(
            "clone_survival",
            "clonal_share/(clonal_share + 1/autoreactive_memory_clones)",
            "1",
            "0 once fewer than one clonal autoreactive cell is left, 1 while many are",
        ),
        Expression(
            "clone_regrowth",
            "autoreactive_regrowth_rate*(1 - autoreactive_activity)*clone_survival",
            "1/day",
            "re-expansion of surviving autoreactive clones into their emptied recirculating niche (none below one cell)",
        ),
        Expression(
            "follicular_kill",
            "cd19_kill_rate + follicular_antibody_access*cd20_kill_rate_tissue + lymphodepletion_kill_rate",
            "1/day",
            "killing of B cells in lymphoid follicles",
        ),
        Expression("cns_bcell_activity", "b_cns_resident", "1", "compartmentalised CNS B cells relative to baseline"),
        Expression("cd20_bcells", "b_naive_blood + b_naive_tissue + b_memory_blood + b_memory_tissue", "cells/uL", "CD20+ B cells"),
        Expression(
            "bcell_deficit",
            "Max(0, 1 - cd20_bcells/(bcell_naive_blood_steady*(1 + bcell_tissue_ratio) + bcell_memory_steady))",
            "1",
            "mature B-cell deficit (0 at baseline, 1 fully depleted)",
        ),
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
        "b_auto_primed_blood": "bcell_reprime_share*bcell_naive_to_memory*b_naive_blood"
        " - (bcell_memory_net_loss + bcell_tissue_entry)*b_auto_primed_blood + bcell_tissue_exit*b_auto_primed_tissue"
        " - kill_blood*b_auto_primed_blood",
        "b_auto_primed_tissue": "bcell_reprime_share*bcell_naive_to_memory*b_naive_tissue + bcell_tissue_entry*b_auto_primed_blood"
        " - (bcell_memory_net_loss + bcell_tissue_exit)*b_auto_primed_tissue - kill_tissue*b_auto_primed_tissue",
        "b_auto_clonal_blood": "(bcell_clone_renewal_blood + clone_regrowth)*b_auto_clonal_blood"
        " - (bcell_memory_net_loss + bcell_tissue_entry)*b_auto_clonal_blood + bcell_tissue_exit*bcell_memory_tissue_to_blood*b_auto_clonal_tissue"
        " - kill_blood*b_auto_clonal_blood",
        "b_auto_clonal_tissue": "(bcell_clone_renewal_tissue + clone_regrowth)*b_auto_clonal_tissue"
        " + bcell_tissue_entry*b_auto_clonal_blood/bcell_memory_tissue_to_blood"
        " - (bcell_memory_net_loss + bcell_tissue_exit)*b_auto_clonal_tissue - kill_tissue*b_auto_clonal_tissue"
        " + follicular_exchange*follicular_share*(b_auto_follicular - b_auto_clonal_tissue)",
        "b_auto_follicular": "follicular_exchange*(b_auto_clonal_tissue - b_auto_follicular)"
        " + autoreactive_regrowth_rate*(1 - b_auto_follicular)*clone_survival*b_auto_follicular - follicular_kill*b_auto_follicular",
        "b_cns": "bcell_cns_turnover*(memory_bcell_activity - b_cns) - (cd19_kill_rate_cns + cd20_kill_rate_cns)*b_cns",
        "b_cns_resident": "bcell_cns_resident_turnover*(autoreactive_activity - b_cns_resident)"
        " - (cd19_kill_rate_cns + bcell_cns_resident_antibody_access*cd20_kill_rate_cns)*b_cns_resident",
    },
    observables=(
        Expression("bcells_blood", "b_naive_blood + b_memory_blood", "cells/uL", "CD19+ B cells in blood"),
        Expression("bcells_naive_blood", "b_naive_blood", "cells/uL", "naive B cells in blood"),
        Expression("bcells_memory_blood", "b_memory_blood", "cells/uL", "memory B cells in blood"),
        Expression("bcell_precursors", "b_precursor", "cells/uL", "CD19+ marrow precursors (per uL blood)"),
        Expression(
            "bcells_cns",
            "(1 - bcell_cns_resident_share)*b_cns + bcell_cns_resident_share*b_cns_resident",
            "1",
            "CSF B cells relative to baseline",
        ),
        Expression("autoreactive_memory_relative", "autoreactive_activity", "1", "autoreactive memory B cells relative to baseline"),
        Expression(
            "autoreactive_clone_cells",
            "clonal_share*autoreactive_memory_clones",
            "1",
            "clonally kept autoreactive memory B cells left in the body (below one: the clones are gone)",
        ),
        Expression(
            "autoreactive_follicular_relative", "b_auto_follicular", "1", "follicle-resident autoreactive clones relative to baseline"
        ),
        Expression("memory_bcells_relative", "memory_bcell_activity", "1", "memory B cells (blood and tissue) relative to baseline"),
    ),
    references=("Macallan2005",),
)
