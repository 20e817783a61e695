"""Secondary progressive MS on siponimod versus placebo (EXPAND, n = 1645, up to 3 years).

The ``spms`` rates of the MS activity module, from the placebo arm: annualised relapse rate
0.16 and 32 % with 3-month (12-week) confirmed disability progression. The trial was event
driven; the follow-up behind the 32 % is taken as about 21 months (an approximation).
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Kappos2018 = ParameterSet(
    "Kappos2018",
    (
        Parameter(
            "ms_relapse_rate",
            0.116,
            "1/year",
            "Kappos2018",
            variability=LogNormal(0.8),
            description="median giving the placebo arm's mean 0.16 relapses/year",
        ),
        Parameter(
            "ms_pira_rate",
            0.22,
            "1/year",
            "Kappos2018",
            variability=LogNormal(0.6),
            description="gives 32 % with 12-week CDP over ~21 months on placebo, with RAW (Kappos2020)",
        ),
    ),
)
