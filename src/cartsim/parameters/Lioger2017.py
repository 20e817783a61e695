"""Rituximab population PK in rheumatoid arthritis (n = 64, 125 courses): Lioger et al. 2017.

Two-compartment model in rate constants (Lioger 2017, Table 2, final model), as transcribed
in the public model library nlmixr2lib (``inst/modeldb/specificDrugs/Lioger_2017_rituximab.R``).
Typical values are those of the reference patient: a woman of body-surface area 1.8 m2 at
her first course, serum IgG 10 g/L, 100 CD19+ cells/uL. The covariates (BSA, sex and course
number on V1; IgG and CD19 count on k10) are not modelled here. Log-normal variability with
the published omegas (V1 0.22, k10 0.24); k12 and k21 had none.
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Lioger2017 = ParameterSet(
    "Lioger2017",
    (
        Parameter("rtx_central_volume", 4.1, "L", "Lioger2017", variability=LogNormal(0.22), description="central volume V1"),
        Parameter(
            "rtx_elimination_rate", 0.11, "1/day", "Lioger2017", variability=LogNormal(0.24), description="elimination rate constant k10"
        ),
        Parameter("rtx_central_to_peripheral", 0.42, "1/day", "Lioger2017", description="distribution rate constant k12"),
        Parameter("rtx_peripheral_to_central", 0.25, "1/day", "Lioger2017", description="redistribution rate constant k21"),
    ),
)
