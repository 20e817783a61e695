r"""Lymphodepletion with fludarabine and cyclophosphamide, host T cells, homeostatic cytokines.

Each drug is a one-compartment amount (mg) with first-order elimination; together they kill
lymphocytes (host T cells, B cells, and CAR T cells present at the time) with Emax kinetics.
Host T cells (relative to their baseline) recover slowly; while they are depleted the
homeostatic cytokines IL-7 and IL-15 rise, summarised as a drive :math:`H = 1 - T` that
supports CAR T-cell proliferation (the reason lymphodepletion precedes CAR-T infusion).

.. math::

   \frac{dF}{dt} &= -k_F F + u_F, \qquad \frac{dC}{dt} = -k_C C + u_C \\
   \kappa_{LD} &= k^{max}_F \frac{F}{EC_F + F} + k^{max}_C \frac{C}{EC_C + C} \\
   \frac{dT}{dt} &= r_T (1 - T) - \kappa_{LD} T, \qquad H = 1 - T

Two accumulators of what was eliminated, :math:`dF_{cl}/dt = k_F F` and :math:`dC_{cl}/dt = k_C C`,
account for every dose (:math:`F + F_{cl}` and :math:`C + C_{cl}` equal the doses given; checked
after every solve).
"""

from __future__ import annotations

from cartsim.biology.products import PRODUCTS
from cartsim.model import Course, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["lymphodepletion"]

lymphodepletion = Module(
    name="lymphodepletion",
    description="Fludarabine and cyclophosphamide: lymphocyte killing, host T-cell recovery, homeostatic drive",
    states=(
        State("fludarabine", "mg", "0", "fludarabine (as active metabolite) in the body"),
        State("cyclophosphamide", "mg", "0", "cyclophosphamide (active metabolites) in the body"),
        State("host_t_cells", "1", "1", "host T cells relative to baseline"),
        State("fludarabine_cleared", "mg", "0", "fludarabine eliminated so far (for the conservation check)"),
        State("cyclophosphamide_cleared", "mg", "0", "cyclophosphamide eliminated so far (for the conservation check)"),
    ),
    parameters=(
        Quantity("fludarabine_half_life", "day", "elimination half-life of fludarabine's active metabolite"),
        Quantity("cyclophosphamide_half_life", "day", "elimination half-life of cyclophosphamide"),
        Quantity("fludarabine_kmax", "1/day", "maximal lymphocyte death rate due to fludarabine"),
        Quantity("fludarabine_ec50", "mg", "fludarabine amount giving half-maximal killing"),
        Quantity("cyclophosphamide_kmax", "1/day", "maximal lymphocyte death rate due to cyclophosphamide"),
        Quantity("cyclophosphamide_ec50", "mg", "cyclophosphamide amount giving half-maximal killing"),
        Quantity("host_t_recovery", "1/day", "rate of host T-cell recovery towards baseline"),
    ),
    derived=(
        Expression("fludarabine_elimination", "log(2)/fludarabine_half_life", "1/day"),
        Expression("cyclophosphamide_elimination", "log(2)/cyclophosphamide_half_life", "1/day"),
    ),
    provides=(
        Expression(
            "ld_kill",
            "fludarabine_kmax*fludarabine/(fludarabine_ec50 + fludarabine)"
            " + cyclophosphamide_kmax*cyclophosphamide/(cyclophosphamide_ec50 + cyclophosphamide)",
            "1/day",
            "lymphocyte death rate due to lymphodepleting chemotherapy",
        ),
        Expression("t_cell_deficit", "1 - host_t_cells", "1", "host T-cell deficit (0 at baseline, 1 fully depleted)"),
        Expression("homeostatic_drive", "t_cell_deficit", "1", "rise of IL-7/IL-15 while host lymphocytes are depleted (0 at baseline)"),
    ),
    contributes=(Expression("lymphodepletion_kill_rate", "ld_kill", "1/day"),),
    rates={
        "fludarabine": "-fludarabine_elimination*fludarabine",
        "cyclophosphamide": "-cyclophosphamide_elimination*cyclophosphamide",
        "host_t_cells": "host_t_recovery*(1 - host_t_cells) - ld_kill*host_t_cells",
        "fludarabine_cleared": "fludarabine_elimination*fludarabine",
        "cyclophosphamide_cleared": "cyclophosphamide_elimination*cyclophosphamide",
    },
    observables=(Expression("host_t_cells_relative", "host_t_cells", "1", "host T cells relative to baseline"),),
    doses=(
        DoseRoute("fludarabine_iv", "fludarabine", "mg", "1", "fludarabine infusion", conserved="fludarabine + fludarabine_cleared"),
        DoseRoute(
            "cyclophosphamide_iv",
            "cyclophosphamide",
            "mg",
            "1",
            "cyclophosphamide infusion",
            conserved="cyclophosphamide + cyclophosphamide_cleared",
        ),
    ),
    therapies=(
        Therapy(
            "flu-cy",
            "lymphodepleting chemotherapy: fludarabine and cyclophosphamide, daily doses per m² of body surface",
            "lymphodepletion",
            # Daily bounds: well above the most intensive conditioning regimens (fludarabine 40, cyclophosphamide
            # 60 mg/kg ~ 2,200 mg/m2 a day), below anything a patient could be given.
            courses=(
                Course("fludarabine", "fludarabine_iv", most_mg_per_m2=200.0),
                Course("cyclophosphamide", "cyclophosphamide_iv", most_mg_per_m2=5000.0),
            ),
            # a CAR-T product's name fills its published lymphodepletion
            presets={name: product.lymphodepletion_fields() for name, product in PRODUCTS.items() if product.lymphodepletion},
        ),
    ),
    references=("FludarabineSmPC", "CyclophosphamideSmPC"),
)
