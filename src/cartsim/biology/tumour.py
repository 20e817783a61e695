r"""B-lineage cancers (the oncology contrast): tumour cells as antigen for CAR T cells.

A large B-cell lymphoma (CD19+) or a multiple myeloma (BCMA+, CD19-; ``tumour_bcma = 1``)
adds a big antigen pool; CAR T cells directed at its antigen expand on it and kill it,
releasing far more cytokine than the few B cells of an autoimmune patient, and the tumour's
own macrophages amplify that release. Autoimmune and healthy populations have no tumour
(baseline 0, which stays 0).

.. math::

   \frac{dU}{dt} = r_U \max(U, 0) - \big((1 - b)\,\kappa_{19} + b\,\kappa_{BCMA}\big) U

with :math:`b` the ``tumour_bcma`` switch (the maximum keeps solver round-off around an absent
tumour from growing).
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["tumour"]

tumour = Module(
    name="tumour",
    description="lymphoma (CD19+) or myeloma (BCMA+) cells, antigen for CAR T cells",
    states=(State("tumour_cells", "cells/uL", "tumour_baseline", "lymphoma or myeloma cells (whole body, per uL blood)"),),
    parameters=(
        Quantity("tumour_baseline", "cells/uL", "tumour burden at day 0 (whole body per uL blood; 0: no tumour)"),
        Quantity("tumour_growth", "1/day", "net growth rate of the untreated tumour"),
        Quantity("tumour_myeloid_reference", "cells/uL", "tumour burden whose macrophages match the host's myeloid tone"),
        Quantity("tumour_bcma", "1", "1 for a BCMA+ CD19- myeloma, 0 for a CD19+ lymphoma"),
    ),
    reads=(
        Quantity("cd19_kill_rate", "1/day", "killing of CD19+ cells", optional=True),
        Quantity("bcma_kill_rate", "1/day", "killing of BCMA+ cells", optional=True),
    ),
    contributes=(
        Expression("cd19_antigen", "(1 - tumour_bcma)*tumour_cells", "cells/uL"),
        Expression("bcma_antigen", "tumour_bcma*tumour_cells", "cells/uL"),
        Expression(
            "tumour_myeloid_load",
            "tumour_cells/tumour_myeloid_reference",
            "1",
            "the tumour's own macrophages, relative to the host's myeloid tone",
        ),
    ),
    rates={
        # Only cells that exist divide: solver round-off around an absent tumour (baseline 0) must not
        # grow at the tumour's rate, which over ten years turns 1e-12 into hundreds of negative cells.
        "tumour_cells": "tumour_growth*Max(0, tumour_cells) - ((1 - tumour_bcma)*cd19_kill_rate + tumour_bcma*bcma_kill_rate)*tumour_cells"
    },
    observables=(Expression("tumour_burden", "tumour_cells", "cells/uL", "lymphoma or myeloma cells (whole body per uL blood)"),),
    references=("Giavridis2018",),
)
