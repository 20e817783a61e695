r"""CD19+ lymphoma (the oncology contrast): tumour cells as antigen for CD19 CAR T cells.

A large B-cell lymphoma adds a big CD19+ antigen pool; CAR T cells expand on it and kill it,
releasing far more cytokine than the few B cells of an autoimmune patient. Autoimmune and
healthy populations have no tumour (baseline 0, which stays 0).

.. math::

   \frac{dU}{dt} = r_U U - \kappa_{19} U
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["tumour"]

tumour = Module(
    name="tumour",
    description="CD19+ large B-cell lymphoma cells (antigen for CD19 CAR T cells)",
    states=(State("tumour_cells", "cells/uL", "tumour_baseline", "lymphoma cells (whole body, per uL blood)"),),
    parameters=(
        Quantity("tumour_baseline", "cells/uL", "lymphoma burden at day 0 (whole body per uL blood; 0: no tumour)"),
        Quantity("tumour_growth", "1/day", "net growth rate of untreated lymphoma"),
        Quantity("tumour_myeloid_reference", "cells/uL", "lymphoma burden whose macrophages match the host's myeloid tone"),
    ),
    reads=(Quantity("cd19_kill_rate", "1/day", "killing of CD19+ cells", optional=True),),
    contributes=(
        Expression("cd19_antigen", "tumour_cells", "cells/uL"),
        Expression(
            "tumour_myeloid_load",
            "tumour_cells/tumour_myeloid_reference",
            "1",
            "the lymphoma's own macrophages, relative to the host's myeloid tone",
        ),
    ),
    rates={"tumour_cells": "tumour_growth*tumour_cells - cd19_kill_rate*tumour_cells"},
    observables=(Expression("tumour_burden", "tumour_cells", "cells/uL", "lymphoma cells (whole body per uL blood)"),),
    references=("Giavridis2018",),
)
