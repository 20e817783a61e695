r"""CAR T-cell kinetics: antigen-driven expansion, contraction and memory.

Structure after Stein et al. (2019) and Mueller-Schoell et al. (2021): infused cells enter
an effector pool that expands while CD19+ antigen is present, contracts once it is gone,
and hands a small fraction to a long-lived memory pool; memory cells are re-activated by
antigen. Effector cells kill CD19+ cells (mass action).

Cell pools are whole-body amounts expressed per microlitre of blood (amount / blood
volume); a fixed fraction of them circulates in blood.

.. math::

   S &= \frac{f_b A}{K_A + f_b A} \\
   \frac{dE}{dt} &= \rho S E \frac{E}{E + E_{1}} - \alpha E + k_{act} S M + u_{CAR} \\
   \frac{dM}{dt} &= k_{EM} E - \beta M - k_{act} S M \\
   \rho &= \frac{\ln 2}{t_{d}} + \alpha, \qquad k_{EM} = F_B \alpha

where :math:`A` is the CD19+ antigen (all CD19+ cells, whole body per uL blood), scaled by
the blood share :math:`f_b` of lymphocytes to the blood-concentration scale on which the
half-saturation :math:`K_A` was estimated (Mueller-Schoell 2021); :math:`\alpha` the
initial decline rate and :math:`\beta` the terminal decline rate of Stein's biphasic model,
:math:`F_B` its slow-phase fraction, and :math:`t_d` the expansion doubling time. With
:math:`k_{EM} = F_B \alpha` the memory pool receives a share :math:`F_B \alpha/(\alpha-\beta)`
of the peak, within :math:`\beta/\alpha` (2 % at Stein's typical values) of Stein's
:math:`F_B`; the exact :math:`F_B(\alpha-\beta)` would turn negative for the patients whose
independently drawn :math:`\beta` exceeds :math:`\alpha`.

:math:`E_1` is one cell in the whole body (per uL of blood): a pool smaller than one cell
cannot expand. Above a few cells the factor :math:`E/(E + E_1)` is 1 to within 1e-6; it
makes "no CAR T cells" a stable state, so rounding noise of order 1e-27 cells/uL left by an
implicit solver in an untreated patient decays instead of growing into an expansion.
"""

from __future__ import annotations

from cartsim.model import DoseRoute, Expression, Module, Quantity, State

__all__ = ["cart_kinetics"]

cart_kinetics = Module(
    name="cart_kinetics",
    description="CD19 CAR T cells: antigen-driven expansion, contraction to memory, B-cell killing",
    states=(
        State("cart_effector", "cells/uL", "0", "effector CAR T cells (whole body, per uL blood)"),
        State("cart_memory", "cells/uL", "0", "memory CAR T cells (whole body, per uL blood)"),
    ),
    parameters=(
        Quantity("cart_doubling_time", "day", "doubling time of CAR T cells during expansion"),
        Quantity("cart_alpha", "1/day", "initial (effector) decline rate after the peak"),
        Quantity("cart_beta", "1/day", "terminal (memory) decline rate"),
        Quantity("cart_fb", "1", "fraction of the peak that enters the slow (memory) phase"),
        Quantity("cart_antigen_half_saturation", "cells/uL", "antigen level giving half-maximal stimulation"),
        Quantity("cart_memory_activation", "1/day", "rate at which antigen re-activates memory cells"),
        Quantity("cart_kill_rate", "uL/cells/day", "second-order rate of killing of CD19+ cells by effectors"),
        Quantity("cart_blood_fraction", "1", "fraction of body CAR T cells circulating in blood"),
        Quantity("blood_volume_per_kg", "uL/kg", "blood volume per kg body weight"),
        Quantity("body_weight", "kg", "body weight"),
        Quantity("cart_extinction_cells", "cells", "pool size below which CAR T cells cannot expand (about one cell)"),
    ),
    derived=(
        Expression("cart_expansion_rate", "log(2)/cart_doubling_time + cart_alpha", "1/day", "maximal antigen-driven proliferation rate"),
        Expression("cart_to_memory", "cart_fb*cart_alpha", "1/day", "effector-to-memory differentiation rate"),
        Expression("blood_volume", "blood_volume_per_kg*body_weight", "uL", "blood volume"),
        Expression("cart_extinction_level", "cart_extinction_cells/blood_volume", "cells/uL", "one cell in the body, per uL blood"),
    ),
    reads=(Quantity("cd19_antigen", "cells/uL", "all CD19+ cells the CAR can see (blood-equivalent)"),),
    provides=(
        Expression("cd19_kill_rate", "cart_kill_rate*cart_effector", "1/day", "per-cell death rate of CD19+ cells due to CAR T cells"),
        Expression(
            "cart_stimulation",
            "cart_blood_fraction*cd19_antigen/(cart_antigen_half_saturation + cart_blood_fraction*cd19_antigen)",
            "1",
            "fraction of maximal antigen stimulation",
        ),
    ),
    rates={
        "cart_effector": "cart_expansion_rate*cart_stimulation*cart_effector*cart_effector/(cart_effector + cart_extinction_level)"
        " - cart_alpha*cart_effector"
        " + cart_memory_activation*cart_stimulation*cart_memory",
        "cart_memory": "cart_to_memory*cart_effector - cart_beta*cart_memory - cart_memory_activation*cart_stimulation*cart_memory",
    },
    observables=(
        Expression("cart_blood", "cart_blood_fraction*(cart_effector + cart_memory)", "cells/uL", "CAR T cells in blood"),
    ),
    doses=(DoseRoute("cart_infusion", "cart_effector", "cells", "1/blood_volume", "intravenous CAR T-cell infusion"),),
    references=("Stein2019", "MuellerSchoell2021"),
)
