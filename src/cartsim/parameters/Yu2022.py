"""Ofatumumab population PK and B-cell model in relapsing MS (n = 1,486): Yu et al. 2022.

Typical values of the final model (Yu 2022, Table 3), as transcribed in the public model
library nlmixr2lib (``inst/modeldb/specificDrugs/Yu_2022_ofatumumab.R``). Target (CD20)
amounts are kept in the published nmol/L; the module converts them to drug mass.

The maximal lysis rate is Yu 2022's ``kout * Emax`` (0.0124/day x 159): B-cell lysis there
is ``kout * Emax * S(C)``.

Between-patient variability is log-normal with the published standard deviations of the
random effects, on the linear PK (ka, F, Vc, CL, Q), the initial CD20 synthesis and EC50.
Bioavailability: Yu 2022 puts its random effect on logit(F) (SD 0.531); on log F the same
spread is about ``0.531 * (1 - F) = 0.167`` (delta method), clipped at F = 1.

Kept at typical values (published SD in the description): the CD20 pool and its decline
(R0, k_e(P), ksyn_inf, kdes), the lysis rate and the Hill coefficient. Yu 2022 estimated
them in correlated blocks (|rho| up to 0.64) that cartsim's independent draws cannot
reproduce, with large spreads (SD up to 2.16); drawn independently they leave a quarter of
patients above 40 B cells/uL at week 2, where 4-5 % were observed (Kesimpta SmPC).
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

_F = 0.685
_EXPONENT = (-5.0, 5.0)

Yu2022 = ParameterSet(
    "Yu2022",
    (
        Parameter(
            "ofa_absorption_rate",
            0.157,
            "1/day",
            "Yu2022",
            variability=LogNormal(0.652),
            description="first-order absorption rate from the subcutaneous depot",
        ),
        Parameter(
            "ofa_bioavailability",
            _F,
            "1",
            "Yu2022",
            bounds=(0.0, 1.0),
            variability=LogNormal(0.531 * (1 - _F)),
            description="subcutaneous bioavailability",
        ),
        Parameter("ofa_central_volume", 2.62, "L", "Yu2022", variability=LogNormal(0.116)),
        Parameter("ofa_peripheral_volume", 2.8, "L", "Yu2022", description="fixed in Yu 2022"),
        Parameter("ofa_clearance", 0.34, "L/day", "Yu2022", variability=LogNormal(0.486), description="linear clearance of free drug"),
        Parameter("ofa_intercompartmental_clearance", 0.358, "L/day", "Yu2022", variability=LogNormal(0.705)),
        Parameter(
            "ofa_internalisation_rate",
            1.31,
            "1/day",
            "Yu2022",
            description="internalisation rate of the drug-CD20 complex, k_e(P) (published SD 1.14)",
        ),
        Parameter("ofa_target_baseline", 32.5, "nmol/L", "Yu2022", description="total CD20 before treatment, R0 (published SD 0.91)"),
        Parameter(
            "ofa_target_synthesis_initial",
            0.985,
            "nmol/L/day",
            "Yu2022",
            variability=LogNormal(0.0559),
            description="CD20 synthesis rate before treatment, ksyn0",
        ),
        Parameter(
            "ofa_target_synthesis_final",
            0.0554,
            "nmol/L/day",
            "Yu2022",
            description="CD20 synthesis rate after long treatment, ksyn_inf (published SD 2.16)",
        ),
        Parameter(
            "ofa_synthesis_decline",
            0.2,
            "1/year",
            source="assumption: calibrated to the label's steady-state exposure (targets kesimpta-steady-state-auc and -cmax: "
            "AUCtau 483 ug*h/mL, Cmax 1.43 ug/mL; KesimptaSmPC), measured in APLIOS over weeks 8-12 (Bar-Or 2022), where "
            "Yu2022's kdes of 2.58/year (SD 0.654) gives an AUC half as high again. Yu2022 added the term to capture a "
            "slight upward drift of troughs; applied from the first dose with t in years (nlmixr2lib), it removes "
            "target-mediated clearance within a year and doubles exposure over two years (Yu2022's own weeks 104-108 "
            "AUC is 33.3 mg*day/L, 1.66 times the label's)",
        ),
        Parameter("ofa_dissociation_constant", 0.167, "nmol/L", "Yu2022", description="KD, fixed in Yu 2022"),
        Parameter("ofa_off_rate", 5.53, "1/day", "Yu2022", description="k_off, fixed in Yu 2022 (preclinical)"),
        Parameter(
            "ofa_kmax",
            0.0124 * 159,
            "1/day",
            "Yu2022",
            description="maximal B-cell lysis rate, kout x Emax (published SDs 0.922 and 0.587, correlation 0.423)",
        ),
        Parameter(
            "ofa_ec50", 0.0057, "ug/mL", "Yu2022", variability=LogNormal(0.927), description="free concentration giving half-maximal lysis"
        ),
        Parameter("ofa_hill", 2.81, "1", "Yu2022", bounds=(0.1, 10.0), description="Hill coefficient of lysis (published SD 1.46)"),
        Parameter(
            "ofa_reference_weight",
            70.0,
            "kg",
            "Yu2022",
            bounds=(1.0, 300.0),
            description="reference body weight of the covariate model (cohort median)",
        ),
        Parameter("ofa_weight_exponent_absorption", -0.457, "1", "Yu2022", bounds=_EXPONENT),
        Parameter("ofa_weight_exponent_central_volume", 1.2, "1", "Yu2022", bounds=_EXPONENT),
        Parameter("ofa_weight_exponent_clearance", 1.52, "1", "Yu2022", bounds=_EXPONENT),
        Parameter("ofa_weight_exponent_synthesis", -1.52, "1", "Yu2022", bounds=_EXPONENT),
    ),
)
