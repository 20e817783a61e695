"""MS disease-activity parameters without a published value: each says why its number was chosen.

``MSAssumptions`` holds the defaults of every MS type; ``MSAssumptionsPPMS`` and
``MSAssumptionsSPMS`` the type-specific values that no trial measured.
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

MSAssumptions = ParameterSet(
    "MSAssumptions",
    (
        Parameter("interferon_on", 0.0, "1", "assumption: no interferon beta unless the therapy sets it to 1", bounds=(0.0, 1.0)),
        Parameter(
            "ms_focal_activity_delay",
            21.0,
            "day",
            "assumption: a new lesion enhances for about three weeks, under a month (Harris et al. Ann Neurol "
            "1991;29:548), so focal activity fades over weeks after B cells go",
            bounds=(1.0, 365.0),
        ),
        Parameter(
            "ms_cdp24_share",
            0.95,
            "1",
            "assumption: calibrated to 24-week confirmed progression in OPERA (6.9 % ocrelizumab, 10.5 % interferon, "
            "Hauser2017) and ORATORIO (29.6 %, 35.7 % placebo, Montalban2017); one value fits both trials",
            bounds=(0.0, 1.0),
        ),
        Parameter(
            "ms_edss_step",
            1.0,
            "1",
            "assumption: confirmed progression is a rise of 1.0 EDSS point from a score of 5.5 or less (Hauser2017's "
            "definition); relapsing MS mostly starts there",
            bounds=(0.0, 2.0),
        ),
        Parameter(
            "ms_pira_cns_share",
            0.1,
            "1",
            "assumption (hypothesis): meningeal B-cell infiltrates accompany faster progression, but their share of the "
            "PIRA drive is unknown; small, because ocrelizumab, which in the combined model also depletes CNS B cells, "
            "slows PPMS progression only by about a quarter (Montalban2017)",
            bounds=(0.0, 1.0),
        ),
    ),
)

MSAssumptionsPPMS = ParameterSet(
    "MSAssumptionsPPMS",
    (
        Parameter(
            "ms_relapse_rate",
            0.02,
            "1/year",
            "assumption: PPMS progresses from onset without relapses; occasional superimposed relapses, a few per 100 patient-years",
            variability=LogNormal(0.8),
        ),
    ),
)

MSAssumptionsSPMS = ParameterSet(
    "MSAssumptionsSPMS",
    (
        Parameter(
            "ms_pira_peripheral_share",
            0.21,
            "1",
            "assumption: SPMS lies between relapsing MS (0.239, Hauser2017) and PPMS (0.18, Montalban2017); no anti-CD20 trial in SPMS",
            bounds=(0.0, 1.0),
        ),
        Parameter("ms_gd_lesions_untreated", 0.6, "1", "assumption: as in PPMS (Montalban2017); progressive MS has little focal activity"),
    ),
)
