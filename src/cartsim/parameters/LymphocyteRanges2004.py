"""Blood lymphocyte reference values in healthy adults (Clin Diagn Lab Immunol 2004)."""

import math

from cartsim.model import LogNormal, Parameter, ParameterSet

# Reference range ~110-800 cells/uL taken as the 2.5-97.5 % range of a log-normal:
# omega = ln(800/110) / (2 * 1.96).
LymphocyteRanges2004 = ParameterSet(
    "LymphocyteRanges2004",
    (
        Parameter(
            "bcell_blood_baseline",
            330.0,
            "cells/uL",
            "LymphocyteRanges2004",
            bounds=(1.0, 5000.0),
            variability=LogNormal(math.log(800 / 110) / (2 * 1.96)),
            description="CD19+ B cells in blood (median 325 men / 340 women)",
        ),
    ),
)
