"""Interferon beta-1a 44 ug three times weekly versus placebo, monthly MRI (IMPROVE, n = 180, 16 weeks).

69 % fewer combined unique active lesions (Gd+ and new T2) than placebo at week 16; used
for Gd+ lesions, of which most combined unique active lesions consist.
"""

from cartsim.model import Parameter, ParameterSet

DeStefano2010 = ParameterSet(
    "DeStefano2010",
    (
        Parameter(
            "ms_interferon_gd_reduction",
            0.69,
            "1",
            "DeStefano2010",
            bounds=(0.0, 1.0),
            description="relative reduction of active MRI lesions by interferon beta-1a 44 ug tiw versus placebo",
        ),
    ),
)
