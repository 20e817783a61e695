r"""mRNA CAR T cells: transient CAR expression, no proliferation, repeated infusions.

T cells transfected with CAR mRNA (e.g. Descartes-08, anti-BCMA) express the CAR for days
and do not expand; each infusion adds a pool that kills BCMA+ cells while the CAR lasts.

.. math::

   \frac{dR}{dt} = -\left(\delta_R + \frac{\ln 2}{t_{CAR}}\right) R + u_R, \qquad
   \kappa_{BCMA} \mathrel{+}= \frac{k_R R}{1 + A_{BCMA}/A_{sat}}

with the same per-effector killing capacity :math:`A_{sat}` as viral CAR T cells.
"""

from __future__ import annotations

from cartsim.biology.products import products_for
from cartsim.model import Administration, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["mrna_cart"]

mrna_cart = Module(
    name="mrna_cart",
    description="mRNA (transient, non-expanding) BCMA CAR T cells",
    states=(State("mrna_cart_cells", "cells/uL", "0", "CAR-expressing mRNA CAR T cells (whole body per uL blood)"),),
    parameters=(
        Quantity("mrna_car_expression_half_life", "day", "half-life of CAR expression after mRNA transfection"),
        Quantity("mrna_cart_death", "1/day", "death rate of the infused T cells"),
        Quantity("mrna_cart_kill_rate", "uL/cells/day", "second-order killing rate of BCMA+ cells"),
        Quantity("cart_blood_fraction", "1", "fraction of body CAR T cells circulating in blood"),
        Quantity("cart_kill_saturation", "cells/uL", "antigen level at which each effector's killing capacity is half used"),
    ),
    derived=(Expression("mrna_cart_loss", "mrna_cart_death + log(2)/mrna_car_expression_half_life", "1/day"),),
    reads=(
        Quantity("bcma_antigen", "cells/uL", "BCMA+ cells", optional=True),
        Quantity("blood_volume", "uL", "blood volume"),
    ),
    contributes=(
        Expression("bcma_kill_rate", "mrna_cart_kill_rate*mrna_cart_cells/(1 + bcma_antigen/cart_kill_saturation)", "1/day"),
        Expression(
            "cart_kill_signal",
            "mrna_cart_kill_rate*mrna_cart_cells*bcma_antigen/(1 + bcma_antigen/cart_kill_saturation)",
            "cells/uL/day",
        ),
    ),
    rates={"mrna_cart_cells": "-mrna_cart_loss*mrna_cart_cells"},
    observables=(Expression("mrna_cart_blood", "cart_blood_fraction*mrna_cart_cells", "cells/uL", "mRNA CAR T cells in blood"),),
    doses=(DoseRoute("mrna_cart_infusion", "mrna_cart_cells", "cells", "1/blood_volume", "infusion of mRNA CAR T cells"),),
    therapies=(
        Therapy(
            "mrna-bcma-cart",
            "BCMA-directed mRNA CAR T cells: transient, non-expanding, repeated infusions",
            "cell therapy",
            Administration("mrna_cart_infusion", ("cells", "cells/kg"), "'5.25e7 cells/kg'", most=((1e11, "cells"), (1e9, "cells/kg"))),
            presets={name: product.infusion_fields() for name, product in products_for("mrna-bcma").items()},
        ),
    ),
    references=("Granit2023",),
)
