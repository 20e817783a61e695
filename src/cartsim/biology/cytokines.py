r"""Cytokines and toxicity: IL-6, cytokine release syndrome (CRS) and ICANS grades.

IL-6 is released in proportion to the CAR T cells activated by antigen (CRS tracks CAR-T
expansion, which tracks antigen burden: JULIET CK, Hardiansyah & Ng 2019), amplified by
myeloid cells as it rises, and cleared within hours. A patient's susceptibility (log-normal
between patients) scales the release, so a population yields a grade distribution. A bulky
CD19+ lymphoma sustains a large activated pool; the few B cells of an autoimmune patient
after lymphodepletion do not, which is why the same product is gentler there.

Grades are counted thresholds of IL-6, a surrogate of the ASTCT clinical grades (Lee 2019):
the thresholds are calibrated assumptions, not measured cut-offs.

.. math::

   \frac{dI}{dt} &= k_I (I_0 - I) + p\, s\, E_{act} \left(1 + a \frac{I}{I + K_m}\right) \\
   \mathrm{CRS} &= \sum_{g=1}^{4} \mathbb{1}[I \ge \theta_g], \qquad
   \mathrm{ICANS} = \sum_{g=1}^{4} \mathbb{1}[s_N I \ge \vartheta_g]
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["cytokines"]

_CRS = " + ".join(f"Heaviside(il6 - crs_threshold_{g})" for g in range(1, 5))
_ICANS = " + ".join(f"Heaviside(icans_susceptibility*il6 - icans_threshold_{g})" for g in range(1, 5))

cytokines = Module(
    name="cytokines",
    description="IL-6 released on CAR T-cell killing, myeloid amplification; CRS and ICANS grades",
    states=(State("il6", "pg/mL", "il6_baseline", "serum IL-6"),),
    parameters=(
        Quantity("il6_baseline", "pg/mL", "IL-6 before treatment"),
        Quantity("il6_half_life", "day", "serum half-life of IL-6"),
        Quantity("il6_release", "pg/mL/day/(cells/uL)", "IL-6 release per activated CAR T cell (per uL blood)"),
        Quantity("crs_susceptibility", "1", "patient's propensity to release cytokines (1 typical)"),
        Quantity("il6_myeloid_amplification", "1", "maximal myeloid amplification of IL-6 release"),
        Quantity("il6_myeloid_half_saturation", "pg/mL", "IL-6 level giving half-maximal amplification"),
        *(Quantity(f"crs_threshold_{g}", "pg/mL", f"IL-6 level defining CRS grade {g}") for g in range(1, 5)),
        Quantity("icans_susceptibility", "1", "patient's propensity to neurotoxicity (1 typical)"),
        *(Quantity(f"icans_threshold_{g}", "pg/mL", f"susceptibility-weighted IL-6 defining ICANS grade {g}") for g in range(1, 5)),
    ),
    derived=(Expression("il6_clearance", "log(2)/il6_half_life", "1/day"),),
    reads=(Quantity("cart_activation", "cells/uL", "antigen-activated CAR T cells in blood", optional=True),),
    rates={
        "il6": "il6_clearance*(il6_baseline - il6) + il6_release*crs_susceptibility*cart_activation"
        "*(1 + il6_myeloid_amplification*il6/(il6 + il6_myeloid_half_saturation))",
    },
    observables=(
        Expression("il6_serum", "il6", "pg/mL", "serum IL-6"),
        Expression("crs_grade", _CRS, "1", "CRS grade (IL-6 surrogate of ASTCT grade, 0-4)"),
        Expression("icans_grade", _ICANS, "1", "ICANS grade (surrogate, 0-4)"),
    ),
    references=("Lee2019", "Hardiansyah2019"),
)
