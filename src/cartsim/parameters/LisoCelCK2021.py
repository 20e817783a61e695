"""Liso-cel population cellular kinetics (LBCL, n = 261): doubling time during expansion."""

from cartsim.model import Parameter, ParameterSet

LisoCelCK2021 = ParameterSet(
    "LisoCelCK2021",
    (
        Parameter(
            "cart_doubling_time",
            0.755,
            "day",
            "LisoCelCK2021",
            bounds=(0.01, 100.0),
            description="population mean doubling time (95% CI 0.667-0.821 d)",
        ),
    ),
)
