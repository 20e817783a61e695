"""Parameters without a published value: each says why its number was chosen.

These are the first candidates for calibration and for global sensitivity analysis.
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

Assumptions = ParameterSet(
    "Assumptions",
    (
        Parameter("body_weight", 70.0, "kg", "assumption: typical adult weight", bounds=(20.0, 250.0), variability=LogNormal(0.2)),
        Parameter("height", 170.0, "cm", "assumption: typical adult height", bounds=(100.0, 230.0), variability=LogNormal(0.05)),
        Parameter(
            "bcell_cns_turnover",
            0.01,
            "1/day",
            "assumption: CNS B cells are replaced from the periphery over months (compartmentalised inflammation)",
        ),
        # lymphodepletion
        Parameter("fludarabine_kmax", 1.0, "1/day", "assumption: with cyclophosphamide, standard courses leave ~5-10 % of lymphocytes"),
        Parameter("fludarabine_ec50", 20.0, "mg", "assumption: about one third of a 30 mg/m2 daily dose"),
        Parameter("cyclophosphamide_kmax", 1.0, "1/day", "assumption: with fludarabine, standard courses leave ~5-10 % of lymphocytes"),
        Parameter("cyclophosphamide_ec50", 500.0, "mg", "assumption: about half of a 300 mg/m2 daily dose"),
        Parameter(
            "host_t_recovery",
            0.018,
            "1/day",
            "assumption: T cells recover over months after fludarabine; calibrated to B-cell return at ~110 days (Mackensen2022)",
        ),
        # CAR T cells beyond Stein 2019
        Parameter(
            "cart_kill_saturation",
            300.0,
            "cells/uL",
            "assumption: an effector kills at most a few targets a day (serial killing); calibrated to liso-cel Tmax (LisoCelCK2021)",
        ),
        Parameter("cart_exhaustion", 0.05, "1/day", "assumption: a minority of effectors exhaust per day under full stimulation"),
        Parameter("cart_exhausted_death", 0.1, "1/day", "assumption: exhausted cells are lost within weeks"),
        Parameter(
            "cart_cytokine_independence",
            0.05,
            "1",
            "assumption: without lymphodepletion antigen-driven expansion is a fraction of that after Flu/Cy",
        ),
        Parameter(
            "cart_reference_drive",
            0.85,
            "1",
            bounds=(0.0, 1.0),
            source="assumption: host lymphocytes near 15 % of baseline in the first week after standard Flu/Cy (LisoCelCK2021 setting)",
        ),
        Parameter("cart_csf_entry", 0.01, "1/day", "assumption (hypothesis): CSF CAR-T at ~2 % of blood levels, as for other T cells"),
        Parameter("cart_csf_exit", 0.5, "1/day", "assumption: CSF cells turn over within days"),
        Parameter("cart_targets_cd19", 1.0, "1", "assumption: default product is CD19-directed (set by the therapy)", bounds=(0.0, 1.0)),
        Parameter(
            "cart_targets_bcma", 0.0, "1", "assumption: default product is not BCMA-directed (set by the therapy)", bounds=(0.0, 1.0)
        ),
        Parameter("cart_costim_cd28", 0.0, "1", "assumption: default product is 4-1BB (set by the therapy)", bounds=(0.0, 1.0)),
        Parameter(
            "cart_vector_copies",
            1.0,
            "copies/cells",
            "assumption: about one integrated transgene copy per CAR T cell (products report ~0.1-3)",
        ),
        Parameter("cart_cd28_expansion_factor", 1.3, "1", "assumption: CD28 products expand faster and to higher peaks than 4-1BB"),
        Parameter("cart_cd28_decline_factor", 1.5, "1", "assumption: CD28 products contract faster after the peak"),
        Parameter("cart_cd28_persistence_factor", 3.0, "1", "assumption: CD28 products persist shorter than 4-1BB (months vs years)"),
        # mRNA CAR T cells
        Parameter("mrna_car_expression_half_life", 2.0, "day", "assumption: CAR mRNA expression is lost within about a week"),
        Parameter("mrna_cart_death", 0.1, "1/day", "assumption: non-expanding infused T cells are lost over weeks"),
        Parameter(
            "mrna_cart_kill_rate",
            3e-5,
            "uL/cells/day",
            "assumption: transient, low-density CAR; six weekly 52.5e6/kg infusions then leave IgG normal, as MG trials reported no hypogammaglobulinaemia (Granit2023)",
        ),
        # plasma cells and antibodies
        Parameter("plasmablast_baseline", 20.0, "cells/uL", "assumption: a few plasmablasts per uL blood, whole body ~20 per uL blood"),
        Parameter(
            "pc_cd19_baseline", 100.0, "cells/uL", "assumption: marrow plasma cells ~10x plasmablasts, about half of them CD19+ (Mei2015)"
        ),
        Parameter(
            "pc_cd19_half_life",
            2000.0,
            "day",
            "assumption: CD19+ marrow plasma cells are the dynamic layer, renewed from plasmablasts over years (Mei2015); "
            "calibrated to the 3-year IgG change under ocrelizumab (Hauser2021)",
            variability=LogNormal(0.5),
        ),
        Parameter("llpc_baseline", 100.0, "cells/uL", "assumption: the other half of marrow plasma cells lack CD19 (Mei2015)"),
        Parameter(
            "llpc_half_life",
            18250.0,
            "day",
            "assumption: 50 years, the varicella-zoster antibody half-life (tetanus 11 y, measles ~3000 y; Amanna2007); "
            "CD19- plasma cells are decades old (Landsverk2017)",
        ),
        Parameter(
            "llpc_cns_half_life", 3650.0, "day", "assumption: CNS plasma cells persist for years (intrathecal IgG persists under anti-CD20)"
        ),
        Parameter(
            "igg_share_plasmablast",
            0.03,
            "1",
            bounds=(0.0, 0.5),
            source="assumption: total IgG falls a few percent in the first year of anti-CD20 therapy, while marrow plasma cells "
            "remain (Evertsson2020)",
        ),
        Parameter(
            "igg_share_pc_cd19",
            0.25,
            "1",
            bounds=(0.0, 0.9),
            variability=LogNormal(0.5),
            source="assumption: CD19+ plasma cells make about a quarter of IgG: total IgG fell 17.5% a year after CD19 CAR-T "
            "while pathogen-specific IgG held (Hill2019); the spread gives individual declines (Davies2025)",
        ),
        # infections
        Parameter(
            "infection_rate_baseline",
            0.01,
            "1/year",
            source="assumption: about one serious infection per 100 patient-years in adults with an autoimmune disease; "
            "populations set their own (MS from the ocrelizumab arms of OPERA and ORATORIO)",
        ),
        Parameter(
            "infection_low_igg_factor",
            2.0,
            "1",
            "assumption: serious infections roughly triple as IgG approaches 0 (hypogammaglobulinaemia guidance, AAAAI2022)",
        ),
        Parameter(
            "infection_neutropenia_factor",
            85.0,
            "1",
            "assumption: calibrated to severe infections in the first 30 days after axi-cel (12.9 %, Baird2021; target "
            "baird2021-severe-infection-30d), where severe neutropenia after Flu/Cy is the main added risk: with no neutrophils "
            "the rate is 86 times higher",
        ),
        Parameter(
            "infection_lymphopenia_factor",
            2.0,
            "1",
            "assumption: profound T-cell lymphopenia after lymphodepletion about triples the serious-infection rate "
            "(opportunistic infections for a year after CAR-T while CD4 counts stay low, Baird2021)",
        ),
        Parameter(
            "infection_bcell_factor",
            0.1,
            "1",
            "assumption: B-cell depletion alone adds little: serious infections on ocrelizumab and placebo were similar "
            "in ORATORIO (Montalban2017)",
        ),
        Parameter(
            "myelotoxicity",
            1.5,
            "1",
            "assumption: Flu/Cy kills proliferating neutrophil precursors at 1.5 times its lymphocyte killing rate, which "
            "gives about nine days of grade 4 neutropenia after axi-cel's lymphodepletion (Flu 30 / Cy 500 mg/m2 x 3); "
            "grade 3-4 neutropenia is near universal in the first weeks and persists in 30 % at day 30 (Baird2021)",
        ),
        # cytokines and toxicity
        Parameter("il6_half_life", 0.125, "day", "assumption: serum IL-6 clears within hours"),
        Parameter("il6_release", 30.0, "pg/mL/day/(cells/uL)", "assumption: calibrated to CRS rates (Mackensen2022, Neelapu2017)"),
        Parameter(
            "crs_susceptibility",
            1.0,
            "1",
            "assumption: typical patient; log-normal spread gives the grade distribution",
            variability=LogNormal(1.0),
        ),
        Parameter(
            "il6_myeloid_amplification",
            1.0,
            "1",
            "assumption: myeloid cells double IL-6 release at CRS-level IL-6 (larger values widened the lymphoma/lupus gap beyond the CRS data)",
        ),
        Parameter("il6_myeloid_half_saturation", 200.0, "pg/mL", "assumption: amplification sets in at CRS-level IL-6"),
        Parameter(
            "crs_threshold_1",
            10.0,
            "pg/mL",
            "assumption: IL-6 surrogate of ASTCT grade 1 (fever), calibrated to CRS in 3/5 lupus patients (Mackensen2022)",
        ),
        Parameter(
            "crs_threshold_2",
            100.0,
            "pg/mL",
            "assumption: IL-6 surrogate of ASTCT grade 2, calibrated to no grade >= 2 CRS in lupus (Mackensen2022)",
        ),
        Parameter(
            "crs_threshold_3",
            28000.0,
            "pg/mL",
            "assumption: IL-6 surrogate of ASTCT grade 3, calibrated to 13 % grade >= 3 CRS with axi-cel (Neelapu2017)",
        ),
        Parameter(
            "crs_threshold_4",
            80000.0,
            "pg/mL",
            "assumption: IL-6 surrogate of ASTCT grade 4, set above grade 3 by the same ratio as ASTCT severity steps",
        ),
        Parameter("icans_susceptibility", 1.0, "1", "assumption: typical patient", variability=LogNormal(1.0)),
        Parameter("icans_threshold_1", 4000.0, "pg/mL", "assumption: ICANS follows severe cytokine release"),
        Parameter("icans_threshold_2", 12000.0, "pg/mL", "assumption: ICANS surrogate grade 2"),
        Parameter("icans_threshold_3", 24000.0, "pg/mL", "assumption: ICANS surrogate grade 3"),
        Parameter("icans_threshold_4", 80000.0, "pg/mL", "assumption: ICANS surrogate grade 4"),
        # lymphoma
        Parameter("tumour_baseline", 0.0, "cells/uL", "assumption: no tumour unless the population has one"),
        Parameter("tumour_growth", 0.02, "1/day", "assumption: relapsed large B-cell lymphoma doubles in about a month"),
        Parameter("bcell_tissue_exit", 1.0, "1/day", "assumption: lymphocytes recirculate about once a day (lymph-node transit ~1 day)"),
        Parameter(
            "bcell_naive_to_memory",
            0.00114,
            "1/day",
            "assumption: gives ~30 % memory (CD27+) cells among blood B cells at steady state with Macallan2005 turnover",
        ),
        Parameter(
            "bcell_memory_self_renewal",
            0.9,
            "1",
            bounds=(0.0, 0.999),
            source="assumption: memory B cells are maintained mostly by their own proliferation (Macallan2005 interpretation)",
        ),
        Parameter("bcell_maturation", 0.25, "1/day", "assumption: marrow pre-B to transitional B transit of a few days"),
        Parameter(
            "cart_memory_activation",
            0.05,
            "1/day",
            "assumption: memory CAR T cells re-enter the effector pool over weeks when antigen returns",
        ),
        Parameter(
            "cart_extinction_cells",
            1.0,
            "cells",
            "assumption: a population of less than one cell cannot expand (continuum limit of a cell count)",
        ),
        Parameter(
            "cart_kill_rate",
            0.01,
            "uL/cells/day",
            "assumption: order of magnitude that clears blood B cells within about a week of a 1e6/kg infusion (Mackensen2022)",
        ),
    ),
)
