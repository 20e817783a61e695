"""Parameters without a published value: each says why its number was chosen.

These are the first candidates for calibration and for global sensitivity analysis.
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Assumptions = ParameterSet(
    "Assumptions",
    (
        Parameter("body_weight", 70.0, "kg", "assumption: typical adult weight", bounds=(20.0, 250.0),
                  variability=LogNormal(0.2)),
        Parameter("bcell_tissue_exit", 1.0, "1/day",
                  "assumption: lymphocytes recirculate about once a day (lymph-node transit ~1 day)"),
        Parameter("bcell_naive_to_memory", 0.0114, "1/day",
                  "assumption: gives ~30 % memory (CD27+) cells among blood B cells at steady state with Macallan2005 turnover"),
        Parameter("bcell_maturation", 0.25, "1/day",
                  "assumption: marrow pre-B to transitional B transit of a few days"),
        Parameter("cart_memory_activation", 0.05, "1/day",
                  "assumption: memory CAR T cells re-enter the effector pool over weeks when antigen returns"),
        Parameter("cart_extinction_cells", 1.0, "cells",
                  "assumption: a population of less than one cell cannot expand (continuum limit of a cell count)"),
        Parameter("cart_kill_rate", 0.01, "uL/cells/day",
                  "assumption: order of magnitude that clears blood B cells within about a week of a 1e6/kg infusion (Mackensen2022)"),
        Parameter("ocr_tdcl_reference_concentration", 0.01, "ug/mL",
                  "assumption: far below ocrelizumab troughs, so the time-dependent clearance declines from the first dose as in Gibiansky2021"),
        Parameter("anti_cd20_kmax", 2.0, "1/day",
                  "assumption: blood CD19+ counts fall below 10/uL within two weeks of the first infusion (Saldivar2023)"),
        Parameter("anti_cd20_ec50", 0.5, "ug/mL",
                  "assumption: sub-ug/mL potency typical of anti-CD20 IgG1 B-cell depletion"),
        Parameter("antibody_tissue_ratio", 0.1, "1", bounds=(0.0, 1.0),
                  source="assumption: IgG interstitial/serum ratio of roughly 10 % in lymphoid tissue"),
    ),
)
