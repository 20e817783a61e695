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
            2000.0,
            "cells/uL",
            "assumption: a CAR T cell kills serially, up to some 20 targets a day (k A_sat), so the expanded cells clear "
            "a bulky lymphoma over weeks (LBCL responses by day 28-90, Neelapu2017)",
        ),
        Parameter("cart_exhaustion", 0.05, "1/day", "assumption: a minority of effectors exhaust per day under full stimulation"),
        Parameter("cart_exhausted_death", 0.1, "1/day", "assumption: exhausted cells are lost within weeks"),
        Parameter(
            "cart_cytokine_independence",
            2.0,
            "1",
            "assumption: without lymphodepletion the programme makes about 70 % of its divisions, about 12 times fewer cells (cytokines add divisions, Marchingo2014; "
            "CAR T cells given without conditioning expanded and persisted poorly, Brentjens2011)",
        ),
        Parameter(
            "cart_activation_rate",
            1.0,
            "1/day",
            "assumption: infused cells reach their antigen in lymphoid tissue within about a day (Tmax ~9 days = about one day "
            "plus a programme of D doubling times, Stein2019, LisoCelCK2021)",
        ),
        Parameter(
            "cart_engraftment",
            0.015,
            "1",
            bounds=(0.0, 1.0),
            variability=LogNormal(1.0),
            source="assumption: the memory-like share of a product that expands is a few per cent or less (Fraietta2018); "
            "calibrated to the axi-cel blood peak (AxiCelExpansion2021)",
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
        Parameter(
            "cart_cd28_division_factor",
            1.1,
            "1",
            "assumption: CD28 costimulation adds about one division to the programme (Marchingo2014), so CD28 products peak "
            "about twice as high as 4-1BB ones",
        ),
        Parameter(
            "cart_cd19_mural_factor",
            3.0,
            "1",
            "assumption: CD19 on brain pericytes (Parker2020) makes CD19 CAR-T several times more neurotoxic than BCMA CAR-T for "
            "the same CRS; calibrated to severe neurotoxicity after CD19 (Neelapu2017, Abramson2020) and BCMA products "
            "(Munshi2021, Berdeja2021)",
        ),
        Parameter(
            "cart_cd28_cytokine_factor",
            2.0,
            "1",
            "assumption: CD28 signalling is faster and stronger and releases more cytokines than 4-1BB; calibrated to CRS after "
            "axi-cel against liso-cel (Neelapu2017, Abramson2020)",
        ),
        Parameter(
            "cart_cd28_memory_factor",
            0.3,
            "1",
            "assumption: 4-1BB signalling favours central memory and CD28 effector memory (Kawalekar2016), so CD28 products "
            "keep a smaller memory share and control returning B cells for less long",
        ),
        Parameter("cart_cd28_decline_factor", 1.5, "1", "assumption: CD28 products contract faster after the peak"),
        Parameter("cart_cd28_persistence_factor", 3.0, "1", "assumption: CD28 products persist shorter than 4-1BB (months vs years)"),
        # immunity against the CAR
        Parameter(
            "anti_car_priming",
            0.0,
            "1/day",
            "assumption: hypothesis no-anti-car-immunity (the default): the B-cell return after CD19 CAR-T in lupus is "
            "reproduced without it (Mackensen2022); anti-car-immunity sets 0.05",
        ),
        Parameter(
            "anti_car_half_saturation",
            1.0,
            "cells/uL",
            "assumption: a few CAR T cells per uL blood (whole body) suffice to prime, as for a persisting antigen",
        ),
        Parameter(
            "anti_car_help_half",
            0.6,
            "1",
            "assumption: priming waits until most host T cells are back (months after fludarabine), so the first expansion is not touched",
        ),
        Parameter("anti_car_help_hill", 6.0, "1", "assumption: helper T-cell dependence as a switch (steep)"),
        Parameter("anti_car_decay", 0.001, "1/day", "assumption: immunological memory lasting years"),
        Parameter(
            "anti_car_ld_sensitivity",
            0.1,
            "1",
            "assumption: memory T cells resist fludarabine and cyclophosphamide largely (the re-treatment failed despite full "
            "lymphodepletion, AntiCARMyositis2025)",
        ),
        Parameter(
            "anti_car_kill_rate",
            3.0,
            "1/day",
            "assumption: a primed response clears infused cells within hours to a day, before they can expand",
        ),
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
        Parameter(
            "il6_release",
            0.25,
            "pg/mL/(cells/uL)",
            "assumption: calibrated to CRS with lupus and lymphoma (Mackensen2022, Neelapu2017); dying targets and macrophages "
            "make the IL-6 (Liu2020, Giavridis2018)",
        ),
        Parameter(
            "crs_susceptibility",
            1.0,
            "1",
            "assumption: typical patient; log-normal spread gives the grade distribution",
            variability=LogNormal(1.0),
        ),
        Parameter(
            "il6_myeloid_amplification",
            3.0,
            "1",
            "assumption: activated macrophages multiply the IL-6 of CRS several-fold (Giavridis2018)",
        ),
        Parameter("il6_myeloid_half_saturation", 200.0, "pg/mL", "assumption: amplification sets in at CRS-level IL-6"),
        Parameter("inflammatory_tone", 1.0, "1", "assumption: the host's myeloid tone is the reference (1) in every population"),
        Parameter(
            "crs_fever_il6",
            8.0,
            "pg/mL",
            "assumption: fever once IL-6 is several times its baseline, calibrated to CRS in 3/5 lupus patients (Mackensen2022)",
        ),
        Parameter("capillary_leak_rate", 1.0, "1/day", "assumption: hypotension follows fever within a day or two (Hay2017)"),
        Parameter(
            "capillary_leak_half_saturation", 4000.0, "pg/mL", "assumption: severe CRS goes with IL-6 in the thousands of pg/mL (Hay2017)"
        ),
        Parameter(
            "endothelial_susceptibility",
            1.0,
            "1",
            "assumption: typical patient; log-normal spread as of pre-treatment angiopoietin-2 (Gust2017)",
            variability=LogNormal(0.5),
        ),
        Parameter(
            "crs_leak_grade_2",
            0.35,
            "1",
            "assumption: leak needing fluids or low-flow oxygen, calibrated to no grade >= 2 CRS in lupus (Mackensen2022)",
        ),
        Parameter(
            "crs_leak_grade_3",
            1.05,
            "1",
            "assumption: leak needing a vasopressor or high-flow oxygen, calibrated to 13 % grade >= 3 CRS with axi-cel (Neelapu2017)",
        ),
        Parameter(
            "crs_leak_grade_4",
            1.5,
            "1",
            "assumption: leak needing several vasopressors or positive pressure, above grade 3 as ASTCT's steps are (reached by the most susceptible)",
        ),
        Parameter(
            "icans_rate", 0.5, "1/day", "assumption: ICANS starts a few days after CRS, at a median of day 5 (Neelapu2017, Gust2017)"
        ),
        Parameter(
            "icans_coupling",
            1.0,
            "1",
            "assumption: calibrated with cart_cd19_mural_factor to severe neurotoxicity after axi-cel and liso-cel "
            "(Neelapu2017, Abramson2020) and after ide-cel and cilta-cel (Munshi2021, Berdeja2021)",
        ),
        Parameter("icans_susceptibility", 1.0, "1", "assumption: typical patient", variability=LogNormal(1.0)),
        Parameter("icans_oedema_level", 10.0, "1", "assumption: cerebral oedema only at the most severe encephalopathy (ICE < 1)"),
        # lymphoma
        Parameter("tumour_baseline", 0.0, "cells/uL", "assumption: no tumour unless the population has one"),
        Parameter(
            "tumour_myeloid_reference",
            1.2e5,
            "cells/uL",
            "assumption: tumour-associated macrophages scale with the lymphoma's mass; a typical relapsed lymphoma "
            "(4e4 cells/uL) adds a third to the host's myeloid tone; calibrated with the CRS targets of lupus and lymphoma",
        ),
        Parameter("tumour_growth", 0.02, "1/day", "assumption: relapsed large B-cell lymphoma doubles in about a month"),
        Parameter("tumour_bcma", 0.0, "1", "assumption: a tumour is a CD19+ lymphoma unless the population says myeloma"),
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
            0.007,
            "1/day",
            "assumption: memory CAR T cells are recalled over months by returning antigen; calibrated to B-cell return at ~110 days "
            "after CD19 CAR-T in lupus (Mackensen2022)",
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
