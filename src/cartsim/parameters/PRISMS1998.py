"""Interferon beta-1a 44 ug three times weekly versus placebo in RRMS (PRISMS, n = 560, 2 years).

Mean relapses over two years: 2.56 on placebo, 1.73 on 44 ug: a 33 % lower relapse rate.
"""

from cartsim.model import Parameter, ParameterSet

PRISMS1998 = ParameterSet(
    "PRISMS1998",
    (
        Parameter(
            "ms_interferon_relapse_reduction",
            0.33,
            "1",
            "PRISMS1998",
            bounds=(0.0, 1.0),
            description="relative reduction of the relapse rate by interferon beta-1a 44 ug tiw versus placebo",
        ),
    ),
)
