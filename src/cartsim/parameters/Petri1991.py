"""Lupus flares on standard care (Petri et al. 1991, Hopkins Lupus Cohort, n = 185)."""

from cartsim.model import LogNormal, Parameter, ParameterSet

Petri1991 = ParameterSet(
    "Petri1991",
    (
        Parameter(
            "flare_rate_untreated",
            0.65,
            "1/year",
            "Petri1991",
            variability=LogNormal(0.5),
            description="0.65 flares per patient-year; 53 % flared, median time to flare 12 months",
        ),
    ),
)
