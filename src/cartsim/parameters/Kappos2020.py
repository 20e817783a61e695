"""PIRA versus relapse-associated worsening in OPERA I/II (pooled, n = 1656): Kappos et al. 2020.

78.7-88.9 % of confirmed disability accumulation was independent of relapses and
13-21 % relapse-associated. The RAW probability is set so that RAW carries about 20 % of
the expected 12-week progression events of OPERA's interferon arm (about 0.53 relapses
per patient over 96 weeks, 13.6 % with progression).
"""

from cartsim.model import Parameter, ParameterSet

Kappos2020 = ParameterSet(
    "Kappos2020",
    (
        Parameter(
            "ms_raw_probability",
            0.064,
            "1",
            "Kappos2020",
            bounds=(0.0, 1.0),
            description="calibrated: probability that one relapse leaves a 12-week confirmed EDSS progression",
        ),
    ),
)
