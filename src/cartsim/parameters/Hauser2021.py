"""Long-term safety of ocrelizumab (Hauser et al. 2021): the serious-infection rate."""

from cartsim.model import Parameter, ParameterSet

Hauser2021 = ParameterSet(
    "Hauser2021",
    (
        Parameter(
            "infection_rate_baseline",
            0.0201,
            "1/year",
            "Hauser2021",
            description="serious infections 2.01 per 100 patient-years on long-term ocrelizumab",
        ),
    ),
)
