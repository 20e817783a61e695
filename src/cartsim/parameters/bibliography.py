"""The references behind cartsim's modules and parameter values.

Keys are ``AuthorYear`` (or ``StudyYear`` where the first author was not checked). A
parameter's ``source`` is one of these keys, or ``"assumption: <reason>"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["Reference", "BIBLIOGRAPHY", "references_for"]


@dataclass(frozen=True)
class Reference:
    key: str
    citation: str
    doi: str = ""
    note: str = ""

    def format(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        note = f" [{self.note}]" if self.note else ""
        return f"[{self.key}] {self.citation}{doi}{note}"


_ENTRIES = (
    Reference(
        "Stein2019",
        "Stein AM, Grupp SA, Levine JE, et al. Tisagenlecleucel model-based cellular kinetic analysis of chimeric "
        "antigen receptor-T cells. CPT Pharmacometrics Syst Pharmacol 2019;8:285-295.",
        "10.1002/psp4.12388",
    ),
    Reference(
        "LisoCelCK2021",
        "Population cellular kinetics of lisocabtagene maraleucel in relapsed/refractory large B-cell lymphoma "
        "(TRANSCEND NHL 001, n = 261). Clin Pharmacokinet 2021 (PMC8613160).",
        "10.1007/s40262-021-01039-5",
        "first author not checked",
    ),
    Reference(
        "MuellerSchoell2021",
        "Mueller-Schoell A, Puebla-Osorio N, Michelet R, et al. Early survival prediction framework in CD19-specific "
        "CAR-T cell immunotherapy using a quantitative systems pharmacology model. Cancers 2021;13:2782.",
        "10.3390/cancers13112782",
    ),
    Reference(
        "Macallan2005",
        "Macallan DC, Wallace DL, Zhang Y, et al. B-cell kinetics in humans: rapid turnover of peripheral blood "
        "memory cells. Blood 2005;105:3633-3640.",
        "10.1182/blood-2004-09-3740",
    ),
    Reference(
        "Gibiansky2021",
        "Gibiansky E, Petry C, Mercier F, et al. Ocrelizumab in relapsing and primary progressive multiple sclerosis: "
        "pharmacokinetic and pharmacodynamic analyses of OPERA I, OPERA II and ORATORIO. Br J Clin Pharmacol "
        "2021;87:2511-2520.",
        "10.1111/bcp.14658",
    ),
    Reference(
        "LymphocyteRanges2004",
        "Reference ranges of blood lymphocyte subsets in healthy adults (CD19+ B cells median 325/340 cells/uL in "
        "men/women). Clin Diagn Lab Immunol 2004;11:168-173.",
        "10.1128/CDLI.11.1.168-173.2004",
        "authors not checked",
    ),
    Reference(
        "PhysiologyTextbook",
        "Standard adult physiology reference values (blood volume ~70 mL/kg; ~2% of the body's lymphocytes in blood; CSF volume ~150 mL).",
        "",
        "textbook value, no single primary source",
    ),
    Reference(
        "Mackensen2022",
        "Mackensen A, Mueller F, Mougiakakos D, et al. Anti-CD19 CAR T cell therapy for refractory systemic lupus "
        "erythematosus. Nat Med 2022;28:2124-2132.",
        "10.1038/s41591-022-02017-5",
    ),
    Reference(
        "Saldivar2023",
        "Saldivar S, et al. CD19+ B-cell depletion after ocrelizumab. AAN 2023 abstract; Ocrevus label.",
        "",
        "conference abstract",
    ),
    Reference(
        "Mosteller1987",
        "Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.",
        "10.1056/NEJM198710223171717",
    ),
    Reference("FludarabineSmPC", "Fludarabine phosphate, summary of product characteristics (pharmacokinetics of 2-F-ara-A).", "", "label"),
    Reference("CyclophosphamideSmPC", "Cyclophosphamide, summary of product characteristics (pharmacokinetics).", "", "label"),
    Reference(
        "KesimptaSmPC",
        "Kesimpta (ofatumumab) 20 mg solution for injection, summary of product characteristics, sections 5.1-5.2.",
        "",
        "label: steady-state AUCtau 483 ug*h/mL and Cmax 1.43 ug/mL at 20 mg monthly; B cells below LLN in 95-96 % at "
        "week 2; median time to B-cell recovery after stopping 24.6 weeks",
    ),
    Reference(
        "ImmunologyTextbook",
        "Standard immunology reference values (plasmablast lifespan 3-5 days; IgG half-life ~21 days; IgG 7-16 g/L; resting IL-6 < 5 pg/mL).",
        "",
        "textbook value, no single primary source",
    ),
    Reference(
        "Lee2019",
        "Lee DW, Santomasso BD, Locke FL, et al. ASTCT consensus grading for cytokine release syndrome and neurologic "
        "toxicity associated with immune effector cells. Biol Blood Marrow Transplant 2019;25:625-638.",
        "10.1016/j.bbmt.2018.12.758",
    ),
    Reference(
        "Hardiansyah2019",
        "Hardiansyah D, Ng CM. Quantitative systems pharmacology model of chimeric antigen receptor T-cell therapy. "
        "Clin Transl Sci 2019;12:343-349.",
        "10.1111/cts.12636",
    ),
    Reference(
        "Mei2015",
        "Mei HE, Wirries I, Frolich D, et al. A unique population of IgG-expressing plasma cells lacking CD19 is enriched in "
        "human bone marrow. Blood 2015;125:1739-1748.",
        "10.1182/blood-2014-02-555169",
    ),
    Reference(
        "Landsverk2017",
        "Landsverk OJB, Snir O, Casado RB, et al. Antibody-secreting plasma cells persist for decades in human intestine. "
        "J Exp Med 2017;214:309-317.",
        "10.1084/jem.20161590",
    ),
    Reference(
        "Kim2007",
        "Kim J, Hayton WL, Robinson JM, Anderson CL. Kinetics of FcRn-mediated recycling of IgG and albumin in human: "
        "pathophysiology and therapeutic implications using a simplified mechanism-based model. Clin Immunol 2007;122:146-155.",
        "10.1016/j.clim.2006.09.001",
        "Table 1 values as transcribed in nlmixr2lib (igg_kim_2006)",
    ),
    Reference(
        "Amanna2007",
        "Amanna IJ, Carlson NE, Slifka MK. Duration of humoral immunity to common viral and vaccine antigens. "
        "N Engl J Med 2007;357:1903-1915.",
        "10.1056/NEJMoa066092",
    ),
    Reference(
        "Evertsson2020",
        "Evertsson B, Hoyt T, Christensen A, et al. A comparative study of tolerability and effects on immunoglobulin levels and "
        "CD19 cell counts with ocrelizumab vs low dose of rituximab in multiple sclerosis. Mult Scler J Exp Transl Clin "
        "2020;6:2055217320964505.",
        "10.1177/2055217320964505",
        "IgG -0.16 g/L per ocrelizumab infusion in the first year; author list not checked",
    ),
    Reference(
        "Hill2019",
        "Hill JA, Giralt S, Torgerson TR, Lazarus HM. CAR-T - and a side order of IgG, to go? Immunoglobulin replacement in "
        "patients receiving CAR-T cell therapy. Blood Adv 2019;3:3590-3601.",
        "10.1182/bloodadvances.2019000786",
        "total IgG -17.5% and measles IgG +1.2% about a year after CD19 CAR-T; title and doi not checked against the full text",
    ),
    Reference(
        "Davies2025",
        "Davies L, et al. (Tallantyre EC, senior author). Immunoglobulin levels under long-term ocrelizumab in a real-world "
        "multiple sclerosis cohort. J Neurol 2025;272:415.",
        "10.1007/s00415-025-13133-w",
        "IgG -0.38 g/L per year (SD 0.9), n = 152; title paraphrased, not checked",
    ),
    Reference(
        "Fischbach2024",
        "Fischbach F, Richter J, Pfeffer LK, et al. CD19-targeted chimeric antigen receptor T cell therapy in two patients "
        "with multiple sclerosis. Med 2024;5:550-558.",
        "10.1016/j.medj.2024.03.002",
        "CAR T cells found in the CSF; doi and pages recalled, not checked",
    ),
    Reference(
        "Qin2025",
        "Qin C, et al. BCMA-directed CAR T cells in progressive multiple sclerosis (5 patients): plasma cells cleared from CNS "
        "compartments, intrathecal immunoglobulin synthesis stopped, CAR T cells expanded in the CSF. Cell 2025.",
        "",
        "as summarised in the project's literature notes; title paraphrased, not checked",
    ),
    Reference(
        "Muller2024",
        "Muller F, Taubmann J, Bucci L, et al. CD19 CAR T-cell therapy in autoimmune disease: a case series with follow-up. "
        "N Engl J Med 2024;390:687-700.",
        "10.1056/NEJMoa2308917",
        "15 patients (8 SLE, 3 myositis, 4 SSc), median follow-up 15 months; all SLE in DORIS remission off treatment",
    ),
    Reference(
        "Petri1991",
        "Petri M, Genovese M, Engle E, Hochberg M. Definition, incidence, and clinical description of flare in systemic lupus "
        "erythematosus: a prospective cohort study. Arthritis Rheum 1991;34:937-944.",
        "",
        "0.65 flares per patient-year (n = 185); volume and pages recalled, not checked",
    ),
    Reference(
        "Anolik2004",
        "Anolik JH, Barnard J, Cappione A, et al. Rituximab improves peripheral B cell abnormalities in human systemic lupus "
        "erythematosus. Arthritis Rheum 2004;50:3580-3590.",
        "10.1002/art.20592",
        "persistently elevated serum autoantibody titres in most patients after rituximab",
    ),
    Reference(
        "Cross2010",
        "Cross AH, Klein RS, Piccio L. Rituximab combination therapy in relapsing multiple sclerosis. Arch Neurol 2010;67:707-714.",
        "10.1001/archneurol.2010.99",
        "CSF B cells -95 %; CSF IgG index, IgG and oligoclonal band number unchanged; author list not checked",
    ),
    Reference(
        "OBOE2018",
        "Ocrelizumab biomarker outcome evaluation (OBOE) study, interim analysis: CSF B cells -86 % at week 12 and -82 % at "
        "week 24 of ocrelizumab (n = 40). Neurology 2018;90(15 Suppl):S24.002.",
        "",
        "conference abstract",
    ),
    Reference(
        "Damato2016",
        "Damato V, Evoli A, Iorio R. Efficacy and safety of rituximab therapy in neuromyelitis optica spectrum disorders: a "
        "systematic review and meta-analysis. JAMA Neurol 2016;73:1342-1348.",
        "10.1001/jamaneurol.2016.1637",
        "relapse-rate ratio reduced by a mean 0.79 (438 patients); volume, pages and doi recalled, not checked",
    ),
    Reference(
        "Wingerchuk2021",
        "Wingerchuk DM, Fujihara K, Palace J, et al. Long-term safety and efficacy of eculizumab in aquaporin-4 IgG-positive "
        "NMOSD. Ann Neurol 2021;89:1088-1098.",
        "10.1002/ana.26049",
        "adjudicated annualised relapse rate 0.350 on placebo (PREVENT, background immunosuppressants allowed)",
    ),
    Reference(
        "Stellmann2017",
        "Stellmann JP, Krumbholz M, Friede T, et al. Immunotherapies in neuromyelitis optica spectrum disorder: efficacy and "
        "predictors of response. J Neurol Neurosurg Psychiatry 2017;88:639-647.",
        "10.1136/jnnp-2017-315603",
        "annualised relapse rate 0.60 on immunotherapy (NEMOS cohort); doi recalled, not checked",
    ),
    Reference(
        "Qin2023",
        "Qin C, Tian DS, Zhou LQ, et al. Anti-BCMA CAR T-cell therapy CT103A in relapsed or refractory AQP4-IgG seropositive "
        "neuromyelitis optica spectrum disorders: phase 1 trial interim results. Signal Transduct Target Ther 2023;8:5.",
        "10.1038/s41392-022-01278-3",
        "12 patients; 11 relapse-free at median follow-up 5.5 months; CRS grade 1-2 in all",
    ),
    Reference(
        "Chahin2025",
        "Chahin N, et al. Descartes-08 mRNA CAR-T in myasthenia gravis: six weekly infusions without lymphodepletion. Ann "
        "Clin Transl Neurol 2025;12:2358-2366; randomised phase 2b topline (company report): MG-ADL -5.5 at month 4.",
        "10.1002/acn3.70167",
        "title paraphrased; the phase 2b numbers are from the sponsor's release, not a paper",
    ),
    Reference(
        "Granit2023",
        "Granit V, Benatar M, Kurtoglu M, et al. Safety and clinical activity of autologous RNA chimeric antigen receptor T-cell "
        "therapy in myasthenia gravis (MG-001). Lancet Neurol 2023;22:578-590.",
        "10.1016/S1474-4422(23)00194-1",
    ),
    Reference(
        "Neelapu2017",
        "Neelapu SS, Locke FL, Bartlett NL, et al. Axicabtagene ciloleucel CAR T-cell therapy in refractory large B-cell "
        "lymphoma. N Engl J Med 2017;377:2531-2544.",
        "10.1056/NEJMoa1707447",
    ),
    Reference(
        "Hauser2017",
        "Hauser SL, Bar-Or A, Comi G, et al. Ocrelizumab versus interferon beta-1a in relapsing multiple sclerosis. N Engl J Med 2017;376:221-234.",
        "10.1056/NEJMoa1601277",
    ),
    Reference(
        "Montalban2017",
        "Montalban X, Hauser SL, Kappos L, et al. Ocrelizumab versus placebo in primary progressive multiple sclerosis. N Engl J Med 2017;376:209-220.",
        "10.1056/NEJMoa1606468",
    ),
    Reference(
        "Kappos2020",
        "Kappos L, Wolinsky JS, Giovannoni G, et al. Contribution of relapse-independent progression vs relapse-associated worsening to overall confirmed disability accumulation in typical relapsing multiple sclerosis in a pooled analysis of 2 randomized clinical trials. JAMA Neurol 2020;77:1132-1140.",
        "10.1001/jamaneurol.2020.1568",
    ),
    Reference(
        "Kappos2018",
        "Kappos L, Bar-Or A, Cree BAC, et al. Siponimod versus placebo in secondary progressive multiple sclerosis (EXPAND): a double-blind, randomised, phase 3 study. Lancet 2018;391:1263-1273.",
        "10.1016/S0140-6736(18)30475-6",
        "doi and figures not checked against the full text",
    ),
    Reference(
        "PRISMS1998",
        "PRISMS Study Group. Randomised double-blind placebo-controlled study of interferon beta-1a in relapsing/remitting multiple sclerosis. Lancet 1998;352:1498-1504.",
        "10.1016/S0140-6736(98)03334-0",
        "doi not checked",
    ),
    Reference(
        "DeStefano2010",
        "De Stefano N, Curtin F, Stubinski B, et al. Rapid benefits of a new formulation of subcutaneous interferon beta-1a in relapsing-remitting multiple sclerosis. Mult Scler 2010;16:888-892.",
        "10.1177/1352458510362442",
        "pages not checked",
    ),
    Reference(
        "Yu2022",
        "Yu H, Graham G, David OJ, et al. Population pharmacokinetic-B cell modeling for ofatumumab in patients with relapsing multiple sclerosis. CNS Drugs 2022;36:283-300.",
        "10.1007/s40263-021-00895-w",
        "typical values via nlmixr2lib Yu_2022_ofatumumab.R",
    ),
    Reference(
        "Lioger2017",
        "Lioger B, Edupuganti SR, Mulleman D, et al. Antigenic burden and serum IgG concentrations influence rituximab pharmacokinetics in rheumatoid arthritis patients. Br J Clin Pharmacol 2017;83:1773-1781.",
        "10.1111/bcp.13270",
        "typical values via nlmixr2lib Lioger_2017_rituximab.R; authors and pages not checked",
    ),
    Reference(
        "Rubenstein2003",
        "Rubenstein JL, Combs D, Rosenberg J, et al. Rituximab therapy for CNS lymphomas: targeting the leptomeningeal compartment. Blood 2003;101:466-468.",
        "10.1182/blood-2002-06-1636",
        "CSF/serum rituximab ~0.1 %; details not checked",
    ),
    Reference(
        "Hauser2021",
        "Hauser SL, Kappos L, Montalban X, et al. Safety of ocrelizumab in patients with relapsing and primary progressive multiple sclerosis. Neurology 2021;97:e1546-e1559.",
        "10.1212/WNL.0000000000012700",
        "doi not checked",
    ),
    Reference(
        "Tur2024",
        "Tur C, Eckstein M, Velden J, et al. CD19-CAR T-cell therapy induces deep tissue depletion of B cells. "
        "Ann Rheum Dis 2025;84:106-114 (online 2024).",
        "10.1136/ard-2024-226142",
        "lymph node biopsies: B cells completely depleted after CD19 CAR-T (5/5); present after rituximab in patients "
        "without blood B cells",
    ),
    Reference(
        "Tur2025",
        "Tur C, et al. Protein-based B-cell depleters (rituximab, obinutuzumab, blinatumomab) and CD19 CAR T cells: "
        "sequential lymph node biopsies in autoimmune disease. Ann Rheum Dis 2025.",
        "",
        "lymph-node B-cell depletion in 12/12 after CD19 CAR-T, in 1/12 after protein-based depleters (4 rituximab); "
        "authors and pages not checked",
    ),
    Reference(
        "Kamburova2013",
        "Kamburova EG, Koenen HJ, Borgman KJ, et al. A single dose of rituximab does not deplete B cells in secondary "
        "lymphoid organs but alters phenotype and function. Am J Transplant 2013;13:1503-1511.",
        "10.1111/ajt.12220",
        "lymph nodes 4 weeks after rituximab: B cells not depleted, relatively more switched memory cells",
    ),
    Reference(
        "Baird2021",
        "Baird JH, Epstein DJ, Tamaresis JS, et al. Immune reconstitution and infectious complications following "
        "axicabtagene ciloleucel therapy for large B-cell lymphoma. Blood Adv 2021;5:143-155.",
        "10.1182/bloodadvances.2020002732",
        "85 patients: infections in the first 30 days in 36.5 %, severe (IV antibiotics or hospital) in 12.9 %; B cells "
        "detected in 11 of 19 at one year",
    ),
    Reference(
        "Friberg2002",
        "Friberg LE, Henningsson A, Maas H, Nguyen L, Karlsson MO. Model of chemotherapy-induced myelosuppression with "
        "parameter consistency across drugs. J Clin Oncol 2002;20:4713-4721.",
        "10.1200/JCO.2002.02.140",
        "transit model of myelosuppression; system parameters as in DDMORE DDMODEL00000186",
    ),
    Reference(
        "Hauser2020",
        "Hauser SL, Kappos L, Arnold DL, et al. Five years of ocrelizumab in relapsing multiple sclerosis: OPERA studies "
        "open-label extension. Neurology 2020;95:e1854-e1867.",
        "10.1212/WNL.0000000000010376",
        "serious infections 0.83 per 100 patient-years on ocrelizumab in the controlled period of OPERA I/II (as tabulated "
        "in Ann Clin Transl Neurol 2021;8:385, Table 4)",
    ),
    Reference(
        "AAAAI2022",
        "AAAAI work group report on the management of hypogammaglobulinaemia after CAR T-cell therapy (consider IgG replacement below 4 g/L with infections), PMC11272770.",
        "",
        "work group report; authors not checked",
    ),
    Reference(
        "Kaech2001",
        "Kaech SM, Ahmed R. Memory CD8+ T cell differentiation: initial antigen encounter triggers a developmental program "
        "in naive cells. Nat Immunol 2001;2:415-422.",
        "10.1038/87720",
    ),
    Reference(
        "Marchingo2014",
        "Marchingo JM, Kan A, Sutherland RM, et al. Antigen affinity, costimulation, and cytokine inputs sum linearly to "
        "amplify T cell expansion. Science 2014;346:1123-1127.",
        "10.1126/science.1260044",
    ),
    Reference(
        "Fraietta2018",
        "Fraietta JA, Lacey SF, Orlando EJ, et al. Determinants of response and resistance to CD19 chimeric antigen receptor "
        "(CAR) T cell therapy of chronic lymphocytic leukemia. Nat Med 2018;24:563-571.",
        "10.1038/s41591-018-0010-1",
    ),
    Reference(
        "AxiCelExpansion2021",
        "Axicabtagene ciloleucel in vivo expansion and treatment outcome in aggressive B-cell lymphoma in a real-world "
        "setting (n = 21; median peak 16.14 CAR T cells/uL). Blood Adv 2021;5(11):2523.",
        "",
        "first author not checked",
    ),
    Reference(
        "Mueller2025",
        "Mueller F, Schwingen NR, Hagen M, et al. Comparison of the safety profiles of CD19-targeting CAR T-cell therapy in "
        "patients with SLE and B-cell lymphoma. Blood 2025 (PMID 40504989): similar expansion, less CRS and ICANS in SLE.",
        "10.1182/blood.2025028375",
    ),
    Reference(
        "Brentjens2011",
        "Brentjens RJ, Riviere I, Park JH, et al. Safety and persistence of adoptively transferred autologous CD19-targeted "
        "T cells in patients with relapsed or chemotherapy refractory B-cell leukemias. Blood 2011;118:4817-4828.",
        "10.1182/blood-2011-04-348540",
        "recalled",
    ),
    Reference(
        "Gust2017",
        "Gust J, Hay KA, Hanafi LA, et al. Endothelial activation and blood-brain barrier disruption in neurotoxicity after "
        "adoptive immunotherapy with CD19 CAR-T cells. Cancer Discov 2017;7:1404-1419.",
        "10.1158/2159-8290.CD-17-0698",
    ),
    Reference(
        "Parker2020",
        "Parker KR, Migliorini D, Perkey E, et al. Single-cell analyses identify brain mural cells expressing CD19 as "
        "potential off-tumor targets for CAR-T immunotherapies. Cell 2020;183:126-142.",
        "10.1016/j.cell.2020.08.022",
    ),
    Reference(
        "Liu2020",
        "Liu Y, Fang Y, Chen X, et al. Gasdermin E-mediated target cell pyroptosis by CAR T cells triggers cytokine release "
        "syndrome. Sci Immunol 2020;5:eaax7969.",
        "10.1126/sciimmunol.aax7969",
    ),
    Reference(
        "Giavridis2018",
        "Giavridis T, van der Stegen SJC, Eyquem J, et al. CAR T cell-induced cytokine release syndrome is mediated by "
        "macrophages and abated by IL-1 blockade. Nat Med 2018;24:731-738.",
        "10.1038/s41591-018-0041-7",
    ),
    Reference(
        "Abramson2020",
        "Abramson JS, Palomba ML, Gordon LI, et al. Lisocabtagene maraleucel for patients with relapsed or refractory large "
        "B-cell lymphomas (TRANSCEND NHL 001). Lancet 2020;396:839-852.",
        "10.1016/S0140-6736(20)31366-0",
    ),
    Reference(
        "Mueller2024",
        "Mueller F, Taubmann J, Bucci L, et al. CD19 CAR T-cell therapy in autoimmune disease - a case series with "
        "follow-up. N Engl J Med 2024;390:687-700.",
        "10.1056/NEJMoa2308917",
    ),
    Reference(
        "Hay2017",
        "Hay KA, Hanafi LA, Li D, et al. Kinetics and biomarkers of severe cytokine release syndrome after CD19 chimeric "
        "antigen receptor-modified T-cell therapy. Blood 2017;130:2295-2306.",
        "10.1182/blood-2017-06-793141",
    ),
    Reference(
        "Kawalekar2016",
        "Kawalekar OU, O'Connor RS, Fraietta JA, et al. Distinct signaling of coreceptors regulates specific metabolism "
        "pathways and impacts memory development in CAR T cells. Immunity 2016;44:380-390.",
        "10.1016/j.immuni.2016.01.021",
    ),
    Reference(
        "Schuster2019",
        "Schuster SJ, Bishop MR, Tam CS, et al. Tisagenlecleucel in adult relapsed or refractory diffuse large B-cell "
        "lymphoma. N Engl J Med 2019;380:45-56.",
        "10.1056/NEJMoa1804980",
        "JULIET; dose 0.6-6.0e8 CAR+ cells (median 3e8), Flu 25 + Cy 250 mg/m2 x3 (recalled)",
    ),
    Reference(
        "Wang2020",
        "Wang M, Munoz J, Goy A, et al. KTE-X19 CAR T-cell therapy in relapsed or refractory mantle-cell lymphoma. "
        "N Engl J Med 2020;382:1331-1342.",
        "10.1056/NEJMoa1914347",
        "ZUMA-2; 2e6/kg after Flu 30 + Cy 500 mg/m2 x3 (recalled)",
    ),
    Reference(
        "Roddie2024",
        "Roddie C, Sandhu KS, Tholouli E, et al. Obecabtagene autoleucel in adults with B-cell acute lymphoblastic "
        "leukemia. N Engl J Med 2024;391:2219-2230.",
        "10.1056/NEJMoa2406526",
        "FELIX; split dose by marrow burden (recalled)",
    ),
    Reference(
        "Munshi2021",
        "Munshi NC, Anderson LD Jr, Shah N, et al. Idecabtagene vicleucel in relapsed and refractory multiple myeloma. "
        "N Engl J Med 2021;384:705-716.",
        "10.1056/NEJMoa2024850",
        "KarMMa; target doses 150-450e6 CAR+ cells after Flu 30 + Cy 300 mg/m2 x3 (recalled)",
    ),
    Reference(
        "Berdeja2021",
        "Berdeja JG, Madduri D, Usmani SZ, et al. Ciltacabtagene autoleucel, a B-cell maturation antigen-directed "
        "chimeric antigen receptor T-cell therapy in patients with relapsed or refractory multiple myeloma (CARTITUDE-1). "
        "Lancet 2021;398:314-324.",
        "10.1016/S0140-6736(21)00933-8",
        "0.75e6/kg (0.5-1.0e6) after Flu 30 + Cy 300 mg/m2 x3 (recalled)",
    ),
    Reference(
        "Turtle2016",
        "Turtle CJ, Hanafi LA, Berger C, et al. CD19 CAR-T cells of defined CD4+:CD8+ composition in adult B cell ALL "
        "patients. J Clin Invest 2016;126:2123-2138.",
        "10.1172/JCI85309",
        "transgene-specific T-cell responses after Cy-only lymphodepletion limited persistence and re-expansion (recalled)",
    ),
    Reference(
        "AntiCARMyositis2025",
        "Re-treatment of a relapse of anti-synthetase syndrome after CD19 CAR-T: no expansion of the same product despite "
        "full lymphodepletion, T cells against the CAR detected; BCMA CAR-T then restored remission. Nat Med 2025.",
        "10.1038/s41591-025-03718-3",
        "authors not checked; read from the abstract",
    ),
)

#: Every reference, by key (read-only).
BIBLIOGRAPHY: Mapping[str, Reference] = MappingProxyType({r.key: r for r in _ENTRIES})


def references_for(keys: Iterable[str]) -> tuple[Reference, ...]:
    """The references for ``keys`` (assumptions and unknown keys are skipped), sorted by key."""
    return tuple(BIBLIOGRAPHY[k] for k in sorted(set(keys)) if k in BIBLIOGRAPHY)
