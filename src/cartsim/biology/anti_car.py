r"""Immunity against the CAR: why a second infusion of the same product can fail.

CAR T cells carry foreign epitopes (a mouse-derived binder, junctions of the construct). While
the host's own T cells are depleted after lymphodepletion they do not respond; as they come
back and the CAR T cells are still there, a response against the CAR is primed (Turtle et al.
2016: transgene-specific T-cell responses limited persistence and re-expansion). It is kept
as immunological memory that lymphodepletion depletes only in part, so a second infusion of
the same product months later is killed before it can expand: a myositis relapse re-treated
with the same CD19 CAR-T under full lymphodepletion saw no expansion and anti-CAR T cells; a
BCMA CAR-T (another binder) then worked (Nat Med 2025, doi:10.1038/s41591-025-03718-3). The
response :math:`R` (1: fully primed) kills CAR T cells of every pool at :math:`k_R R`.

.. math::

   \frac{dR}{dt} = k_P\, \frac{T^h}{T^h + T_{50}^h} \frac{C}{C + K_C} (1 - R) - \delta_R R - f_{LD} \kappa_{LD} R,
   \qquad \kappa_{rej} = k_R R

with :math:`T = 1 - (\text{T-cell deficit})` the host's T cells relative to baseline (priming
needs their help, so it waits until they are largely back, weeks to months after
lymphodepletion, after the CAR T cells have expanded),
:math:`C` the CAR T cells in the body and :math:`f_{LD}` how much of lymphodepletion's
killing the memory response feels. Whether and how often this happens after CAR-T in
autoimmune disease is not known (hypotheses ``no-anti-car-immunity``, the default, with
:math:`k_P = 0`, and ``anti-car-immunity``); a CD19 and a BCMA product are different binders, so the
response to one does not act on the other (a regimen holds one product).
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["anti_car_immunity"]

anti_car_immunity = Module(
    name="anti_car_immunity",
    description="Host immunity against the CAR, primed as host T cells recover; rejects later infusions of the product",
    states=(State("anti_car_response", "1", "0", "host immune response against the CAR (0 none, 1 fully primed)"),),
    parameters=(
        Quantity("anti_car_priming", "1/day", "rate at which a response against the CAR is primed (full T cells, CAR T cells present)"),
        Quantity("anti_car_help_half", "1", "host T cells (relative to baseline) at which priming runs at half its rate"),
        Quantity("anti_car_help_hill", "1", "steepness of priming's dependence on the host T cells"),
        Quantity("anti_car_half_saturation", "cells/uL", "CAR T cells in the body (per uL blood) that give half the priming rate"),
        Quantity("anti_car_decay", "1/day", "loss of the anti-CAR memory response"),
        Quantity("anti_car_ld_sensitivity", "1", "share of lymphodepletion's killing that the anti-CAR memory response feels"),
        Quantity("anti_car_kill_rate", "1/day", "death rate of CAR T cells under a fully primed response"),
    ),
    provides=(
        Expression(
            "anti_car_help",
            "(1 - t_cell_deficit)**anti_car_help_hill/((1 - t_cell_deficit)**anti_car_help_hill + anti_car_help_half**anti_car_help_hill)",
            "1",
            "T-cell help for priming: none while host T cells are depleted, full once they are back",
        ),
    ),
    reads=(
        Quantity("cart_cells", "cells/uL", "CAR T cells in the body (per uL blood)", optional=True),
        Quantity("t_cell_deficit", "1", "host T-cell deficit (0 at baseline, 1 fully depleted)", optional=True),
        Quantity("lymphodepletion_kill_rate", "1/day", "death rate due to lymphodepleting chemotherapy", optional=True),
    ),
    contributes=(Expression("cart_rejection_rate", "anti_car_kill_rate*anti_car_response", "1/day"),),
    rates={
        "anti_car_response": "anti_car_priming*anti_car_help*cart_cells/(cart_cells + anti_car_half_saturation)"
        "*(1 - anti_car_response) - anti_car_decay*anti_car_response"
        " - anti_car_ld_sensitivity*lymphodepletion_kill_rate*anti_car_response",
    },
    observables=(Expression("anti_car_level", "anti_car_response", "1", "host immune response against the CAR (0-1)"),),
    references=("Turtle2016",),
)
