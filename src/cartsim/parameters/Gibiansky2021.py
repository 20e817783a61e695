"""Ocrelizumab population PK (OPERA I/II, ORATORIO): Gibiansky et al. 2021, typical values.

Between-patient variability: Gibiansky 2021's estimates were not found, so the constant
clearance (which sets the terminal decline that decides when B cells come back) carries the
spread published for the elimination of rituximab, the same kind of IV anti-CD20 IgG1
(Lioger2017, log-normal SD 0.24): an assumption, said in the parameter's description.
Without it every patient's ocrelizumab falls at the same rate and B-cell repletion after the
last infusion varies far less than the label reports (median 72 weeks, range 27-175).
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Gibiansky2021 = ParameterSet(
    "Gibiansky2021",
    (
        Parameter(
            "ocr_clearance",
            0.17,
            "L/day",
            "Gibiansky2021",
            variability=LogNormal(0.24),
            description="constant clearance (between-patient spread: assumption, rituximab's elimination in Lioger2017)",
        ),
        Parameter("ocr_clearance_time_dependent", 0.0489, "L/day", "Gibiansky2021", description="initial time-dependent clearance"),
        Parameter(
            "ocr_tdcl_half_life", 33.0, "week", "Gibiansky2021", description="half-life of the decline of the time-dependent clearance"
        ),
        Parameter("ocr_central_volume", 2.78, "L", "Gibiansky2021"),
        Parameter("ocr_peripheral_volume", 2.68, "L", "Gibiansky2021"),
        Parameter("ocr_intercompartmental_clearance", 0.294, "L/day", "Gibiansky2021"),
    ),
)
