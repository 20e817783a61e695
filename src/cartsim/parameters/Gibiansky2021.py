"""Ocrelizumab population PK (OPERA I/II, ORATORIO): Gibiansky et al. 2021, typical values."""

from cartsim.model import Parameter, ParameterSet

Gibiansky2021 = ParameterSet(
    "Gibiansky2021",
    (
        Parameter("ocr_clearance", 0.17, "L/day", "Gibiansky2021", description="constant clearance"),
        Parameter("ocr_clearance_time_dependent", 0.0489, "L/day", "Gibiansky2021", description="initial time-dependent clearance"),
        Parameter(
            "ocr_tdcl_half_life", 33.0, "week", "Gibiansky2021", description="half-life of the decline of the time-dependent clearance"
        ),
        Parameter("ocr_central_volume", 2.78, "L", "Gibiansky2021"),
        Parameter("ocr_peripheral_volume", 2.68, "L", "Gibiansky2021"),
        Parameter("ocr_intercompartmental_clearance", 0.294, "L/day", "Gibiansky2021"),
    ),
)
