r"""Cytokine release syndrome and ICANS: IL-6 from killed targets, capillary leak, encephalopathy.

CRS starts where CAR T cells kill: dying target cells (pyroptosis) and the activated CAR T
cells trigger macrophages, which make most of the IL-6 and amplify each other (Liu et al.
2020; Giavridis et al. 2018). So IL-6 is released in proportion to the antigen-positive cells
killed per day, weighted by the product's cytokine output (read from the CAR-T modules),
times a patient's susceptibility, and amplified by myeloid cells as it rises, the more so the
more macrophages there are: the host's inflammatory tone, and in lymphoma the tumour's own
macrophages, in proportion to its mass (so a bulkier tumour gives more severe CRS). A bulky lymphoma killed over days gives a large flux; the
B cells of a lupus patient after lymphodepletion a small one; an mRNA CAR-T that does not
expand kills few plasma cells a day. More cells infused kill faster, so the flux and CRS
rise with dose.

Grades follow ASTCT (Lee et al. 2019). Fever, required for any grade, is IL-6 above a pyrogenic
level. Hypotension and hypoxia come from capillary leak: endothelial activation :math:`L`
follows IL-6 within about a day, scaled by the patient's endothelial susceptibility (high
angiopoietin-2 before treatment predicts severe CRS and neurotoxicity, Gust et al. 2017), and
its levels stand for fluid-responsive hypotension or low-flow oxygen (grade 2), one
vasopressor or high-flow oxygen (3) and several vasopressors or positive pressure (4). ICANS
follows the endothelial activation of the brain with a delay of days (blood-brain barrier
disruption, Gust et al. 2017), the more for CD19-directed cells, which then also attack the
CD19+ mural cells that line the brain's vessels (Parker et al. 2020; the CAR-T modules
contribute this extra factor :math:`m`): its encephalopathy :math:`n` sets an ICE score,
graded as ASTCT does (7-9: grade 1, 3-6: 2, 0-2: 3), grade 4 at cerebral oedema. So BCMA
CAR-T in myeloma gives far less ICANS than CD19 CAR-T in lymphoma for the same CRS.

.. math::

   \frac{dI}{dt} &= k_I (I_0 - I) + p\, s\, \Phi \left(1 + a\, (\tau + T/T_m) \frac{I}{I + K_m}\right), \qquad
   \frac{dL}{dt} = k_L \left(e \frac{I^2}{I^2 + K_L^2} - L\right), \qquad
   \frac{dN}{dt} = k_N (L - N) \\
   \mathrm{CRS} &= \mathbb{1}[I \ge \theta_F] \left(1 + \sum_{g=2}^{4} \mathbb{1}[L \ge \ell_g]\right), \qquad
   n = s_N c\, (1 + m)\, N, \qquad \mathrm{ICE} = \frac{10}{1 + n} \\
   \mathrm{ICANS} &= \mathbb{1}[\mathrm{ICE} < 9.5] + \mathbb{1}[\mathrm{ICE} < 6.5] + \mathbb{1}[\mathrm{ICE} < 2.5]
      + \mathbb{1}[n \ge n_4]

with :math:`\Phi` the cells killed per day (weighted), :math:`s`, :math:`e` and :math:`s_N` the
patient's susceptibilities (log-normal between patients) and :math:`\tau` the population's
inflammatory tone; a tumour adds its own macrophages, :math:`T/T_m` (read from the tumour
module), which fall as it is killed.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["cytokines"]

#: ICE score below which each ICANS grade starts (ASTCT: 7-9 grade 1, 3-6 grade 2, 0-2 grade 3).
_ICE_GRADE_LIMITS = (9.5, 6.5, 2.5)
_CRS = "Heaviside(il6 - crs_fever_il6)*(1 + " + " + ".join(f"Heaviside(capillary_leak - crs_leak_grade_{g})" for g in range(2, 5)) + ")"
_ICANS = " + ".join(f"Heaviside({limit} - ice_score)" for limit in _ICE_GRADE_LIMITS) + " + Heaviside(encephalopathy - icans_oedema_level)"

#: Endothelial activation at baseline IL-6 (the untreated steady state; negligible).
_LEAK_AT_BASELINE = "endothelial_susceptibility*il6_baseline**2/(il6_baseline**2 + capillary_leak_half_saturation**2)"

cytokines = Module(
    name="cytokines",
    description="IL-6 from cells CAR T cells kill, myeloid amplification, capillary leak, encephalopathy; ASTCT-style CRS and ICANS",
    states=(
        State("il6", "pg/mL", "il6_baseline", "serum IL-6"),
        State("capillary_leak", "1", _LEAK_AT_BASELINE, "endothelial activation and capillary leak (0 none)"),
        State("cns_endothelial", "1", _LEAK_AT_BASELINE, "endothelial activation of the brain (0 none)"),
    ),
    parameters=(
        Quantity("il6_baseline", "pg/mL", "IL-6 before treatment"),
        Quantity("il6_half_life", "day", "serum half-life of IL-6"),
        Quantity("il6_release", "pg/mL/(cells/uL)", "IL-6 released per antigen-positive cell killed (per uL blood)"),
        Quantity("crs_susceptibility", "1", "patient's propensity to release cytokines (1 typical)"),
        Quantity("il6_myeloid_amplification", "1", "maximal myeloid amplification of IL-6 release at inflammatory tone 1"),
        Quantity("il6_myeloid_half_saturation", "pg/mL", "IL-6 level giving half-maximal amplification"),
        Quantity("inflammatory_tone", "1", "host's myeloid inflammatory tone (1: quiescent autoimmune disease)"),
        Quantity("crs_fever_il6", "pg/mL", "IL-6 level that brings fever (CRS grade 1)"),
        Quantity("capillary_leak_rate", "1/day", "rate at which endothelial activation follows IL-6"),
        Quantity("capillary_leak_half_saturation", "pg/mL", "IL-6 level giving half the patient's maximal endothelial activation"),
        Quantity("endothelial_susceptibility", "1", "patient's maximal endothelial activation (1 typical)"),
        *(Quantity(f"crs_leak_grade_{g}", "1", f"capillary leak that gives CRS grade {g} (with fever)") for g in range(2, 5)),
        Quantity("icans_rate", "1/day", "rate at which the brain's endothelial activation follows the body's"),
        Quantity("icans_coupling", "1", "encephalopathy per unit of endothelial activation of the brain (typical patient)"),
        Quantity("icans_susceptibility", "1", "patient's propensity to neurotoxicity (1 typical)"),
        Quantity("icans_oedema_level", "1", "encephalopathy at which cerebral oedema sets in (ICANS grade 4)"),
    ),
    derived=(Expression("il6_clearance", "log(2)/il6_half_life", "1/day"),),
    reads=(
        Quantity(
            "cart_kill_signal", "cells/uL/day", "cells killed by CAR T cells per day, times the product's cytokine output", optional=True
        ),
        Quantity("tumour_myeloid_load", "1", "a tumour's own macrophages, relative to the host's myeloid tone", optional=True),
        Quantity(
            "neurovascular_targeting",
            "1",
            "extra encephalopathy per unit of brain endothelial activation from CAR T cells attacking the brain's own cells",
            optional=True,
        ),
    ),
    provides=(
        Expression(
            "encephalopathy",
            "icans_susceptibility*icans_coupling*(1 + neurovascular_targeting)*cns_endothelial",
            "1",
            "encephalopathy (0 none; the ICE score is 10/(1 + this))",
        ),
        Expression("ice_score", "10/(1 + encephalopathy)", "1", "immune effector cell encephalopathy score (10 normal)"),
    ),
    rates={
        "il6": "il6_clearance*(il6_baseline - il6) + il6_release*crs_susceptibility*cart_kill_signal"
        "*(1 + il6_myeloid_amplification*(inflammatory_tone + tumour_myeloid_load)*il6/(il6 + il6_myeloid_half_saturation))",
        "capillary_leak": "capillary_leak_rate*(endothelial_susceptibility*il6**2/(il6**2 + capillary_leak_half_saturation**2) - capillary_leak)",
        "cns_endothelial": "icans_rate*(capillary_leak - cns_endothelial)",
    },
    observables=(
        Expression("il6_serum", "il6", "pg/mL", "serum IL-6"),
        Expression("crs_grade", _CRS, "1", "CRS grade (ASTCT-style: fever, then capillary leak for hypotension and hypoxia, 0-4)"),
        Expression("ice_score_value", "ice_score", "1", "ICE encephalopathy score (10 normal, 0 worst)"),
        Expression("icans_grade", _ICANS, "1", "ICANS grade (ASTCT-style from the ICE score, 4 at cerebral oedema, 0-4)"),
    ),
    references=("Lee2019", "Liu2020", "Giavridis2018", "Gust2017", "Parker2020"),
)
