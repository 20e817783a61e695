"""Primary progressive MS on ocrelizumab versus placebo (ORATORIO, n = 732, >= 120 weeks).

The ``ppms`` values of the MS activity module, *calibrated* by expected values in the
combined model to 12-week confirmed disability progression by week 120: 39.3 % on placebo,
32.9 % on ocrelizumab (``tests/reference/test_opera_oratorio.py``). The modest effect of
B-cell depletion says that most of the progression drive in PPMS is B-cell independent.
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Montalban2017 = ParameterSet(
    "Montalban2017",
    (
        Parameter(
            "ms_pira_rate",
            0.221,
            "1/year",
            "Montalban2017",
            variability=LogNormal(0.6),
            description="calibrated: 39.3 % 12-week CDP by week 120 on placebo",
        ),
        Parameter(
            "ms_pira_peripheral_share",
            0.18,
            "1",
            "Montalban2017",
            bounds=(0.0, 1.0),
            description="calibrated: with ms_pira_cns_share, 32.9 % 12-week CDP by week 120 on ocrelizumab (HR 0.76)",
        ),
        Parameter(
            "ms_gd_lesions_untreated",
            0.6,
            "1",
            "Montalban2017",
            description="mean Gd+ lesions per scan at baseline (placebo arm; 25-28 % of patients had any)",
        ),
    ),
)
