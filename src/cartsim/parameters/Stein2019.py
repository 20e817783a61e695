"""Tisagenlecleucel cellular kinetics (B-ALL, n = 90): Stein et al. 2019, typical values.

Between-patient variability is log-normal with the published omega^2
(omega = sqrt(omega^2)).
"""

import math

from cartsim.model import LogNormal, Parameter, ParameterSet

Stein2019 = ParameterSet(
    "Stein2019",
    (
        Parameter(
            "cart_alpha",
            0.16,
            "1/day",
            "Stein2019",
            variability=LogNormal(math.sqrt(0.91)),
            description="initial decline rate after the peak",
        ),
        Parameter(
            "cart_divisions",
            11.93,
            "1",
            "Stein2019",
            bounds=(1.0, 30.0),
            description="divisions of the expansion programme: the typical fold expansion 3,900 is 2**11.93",
        ),
        Parameter("cart_beta", 0.0032, "1/day", "Stein2019", variability=LogNormal(math.sqrt(0.86)), description="terminal decline rate"),
        Parameter(
            "cart_fb",
            0.0079,
            "1",
            "Stein2019",
            bounds=(0.0, 1.0),
            variability=LogNormal(math.sqrt(0.8)),
            description="fraction of the peak entering the slow phase",
        ),
    ),
)
