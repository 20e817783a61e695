r"""Ocrelizumab: two-compartment PK with time-dependent clearance, and CD20+ B-cell killing.

Pharmacokinetics as in Gibiansky et al. (2021): central and peripheral compartments, a
constant clearance and a time-dependent clearance that decays with a half-life of 33 weeks
from the first dose. Here the decay runs while drug is present (an exposure-gated decline,
:math:`C/(C + C_{ref})` with :math:`C_{ref}` far below trough levels), which reproduces the
published time course from the first dose and keeps an untreated patient at steady state.
Body weight :math:`W`, the main covariate, scales clearances and volumes allometrically
around a reference weight :math:`W_{ref}`.

Killing of CD20+ B cells follows an Emax model of the concentration seen by each
compartment: serum for blood, a fraction :math:`f_t` of it in lymphoid tissue and a
fraction :math:`f_{CNS}` (the CSF/serum IgG ratio, ~0.1 %) in the CNS. The rates are
*contributions*: with several antibodies in one model the B-cell module sees their sum.

.. math::

   s_{CL} &= (W / W_{ref})^{e_{CL}}, \qquad s_V = (W / W_{ref})^{e_V}, \qquad
   C = \frac{A_c}{s_V V_c} \\
   \frac{dA_c}{dt} &= -s_{CL}(CL + CL_T x)\, C - s_{CL} Q \left(C - \frac{A_p}{s_V V_p}\right) + u_{OCR} \\
   \frac{dA_p}{dt} &= s_{CL} Q \left(C - \frac{A_p}{s_V V_p}\right) \\
   \frac{dx}{dt} &= -k_{des}\, x\, \frac{C}{C + C_{ref}}, \qquad k_{des} = \ln 2 / t_{1/2,T} \\
   \kappa_{20,k} &\mathrel{+}= k_{max} \frac{f_k C}{EC_{50} + f_k C},
   \qquad f_{blood} = 1,\ f_{tissue} = f_t,\ f_{cns} = f_{CNS}

``ocr_cleared`` accumulates what the clearances remove, so that every dose is accounted for
(:math:`A_c + A_p + A_{cl}` equals the doses given; checked after every solve).

References: Gibiansky2021 (PK), Rubenstein2003 (CSF/serum ratio).
"""

from __future__ import annotations

import math

from cartsim.biology.anti_cd20 import cd20_killing, emax_killing
from cartsim.model import Administration, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["ocrelizumab_pkpd"]

_C = "(ocr_central/ocr_vc)"  # serum concentration, mg/L


_kill = emax_killing("ocr_kmax", "ocr_ec50", _C)


ocrelizumab_pkpd = Module(
    name="ocrelizumab_pkpd",
    description="Ocrelizumab two-compartment PK with time-dependent clearance and weight covariate; CD20+ B-cell killing",
    states=(
        State("ocr_central", "mg", "0", "ocrelizumab in the central compartment"),
        State("ocr_peripheral", "mg", "0", "ocrelizumab in the peripheral compartment"),
        State("ocr_tdcl_fraction", "1", "1", "remaining fraction of the time-dependent clearance"),
        State("ocr_cleared", "mg", "0", "ocrelizumab cleared so far (for the conservation check)"),
    ),
    parameters=(
        Quantity("ocr_clearance", "L/day", "constant (linear) clearance at the reference weight"),
        Quantity("ocr_clearance_time_dependent", "L/day", "initial time-dependent clearance at the reference weight"),
        Quantity("ocr_tdcl_half_life", "day", "half-life of the decline of the time-dependent clearance"),
        Quantity("ocr_tdcl_reference_concentration", "mg/L", "concentration above which the time-dependent clearance declines"),
        Quantity("ocr_central_volume", "L", "central volume at the reference weight"),
        Quantity("ocr_peripheral_volume", "L", "peripheral volume at the reference weight"),
        Quantity("ocr_intercompartmental_clearance", "L/day", "intercompartmental clearance at the reference weight"),
        Quantity("body_weight", "kg", "body weight"),
        Quantity("ocr_reference_weight", "kg", "reference weight of the covariate model"),
        Quantity("ocr_clearance_weight_exponent", "1", "allometric exponent of the clearances"),
        Quantity("ocr_volume_weight_exponent", "1", "allometric exponent of the volumes"),
        Quantity("ocr_kmax", "1/day", "maximal ocrelizumab-driven death rate of CD20+ B cells"),
        Quantity("ocr_ec50", "mg/L", "concentration giving half-maximal killing"),
        Quantity("ocr_tissue_ratio", "1", "lymphoid-tissue to serum concentration ratio"),
        Quantity("antibody_cns_ratio", "1", "CSF to serum concentration ratio of IgG antibodies"),
    ),
    derived=(
        Expression("ocr_tdcl_decline", "log(2)/ocr_tdcl_half_life", "1/day", "decline rate of the time-dependent clearance"),
        Expression(
            "ocr_clearance_scale", "(body_weight/ocr_reference_weight)**ocr_clearance_weight_exponent", "1", "weight factor on clearances"
        ),
        Expression("ocr_volume_scale", "(body_weight/ocr_reference_weight)**ocr_volume_weight_exponent", "1", "weight factor on volumes"),
        Expression("ocr_vc", "ocr_central_volume*ocr_volume_scale", "L", "the patient's central volume"),
        Expression("ocr_vp", "ocr_peripheral_volume*ocr_volume_scale", "L", "the patient's peripheral volume"),
        Expression("ocr_cl", "ocr_clearance*ocr_clearance_scale", "L/day", "the patient's constant clearance"),
        Expression(
            "ocr_cl_td", "ocr_clearance_time_dependent*ocr_clearance_scale", "L/day", "the patient's initial time-dependent clearance"
        ),
        Expression("ocr_q", "ocr_intercompartmental_clearance*ocr_clearance_scale", "L/day", "the patient's intercompartmental clearance"),
    ),
    contributes=cd20_killing("ocrelizumab", _kill, "ocr_tissue_ratio"),
    rates={
        "ocr_central": f"-(ocr_cl + ocr_cl_td*ocr_tdcl_fraction)*{_C} - ocr_q*({_C} - ocr_peripheral/ocr_vp)",
        "ocr_peripheral": f"ocr_q*({_C} - ocr_peripheral/ocr_vp)",
        "ocr_tdcl_fraction": f"-ocr_tdcl_decline*ocr_tdcl_fraction*{_C}/({_C} + ocr_tdcl_reference_concentration)",
        "ocr_cleared": f"(ocr_cl + ocr_cl_td*ocr_tdcl_fraction)*{_C}",
    },
    observables=(Expression("ocrelizumab_concentration", _C, "ug/mL", "serum ocrelizumab"),),
    doses=(
        DoseRoute(
            "ocrelizumab_iv",
            "ocr_central",
            "mg",
            "1",
            "intravenous ocrelizumab, into the central compartment",
            conserved="ocr_central + ocr_peripheral + ocr_cleared",
        ),
    ),
    therapies=(
        Therapy(
            "ocrelizumab",
            "ocrelizumab, an anti-CD20 antibody given by intravenous infusion",
            "antibody",
            # The label's infusion times: 2.5 h for the 300 mg initial doses, 3.5 h for 600 mg.
            Administration("ocrelizumab_iv", ("mg",), "'600 mg'", infusion_hours=((600.0, 2.5), (math.inf, 3.5)), most=((10_000.0, "mg"),)),
            concentration="ocrelizumab_concentration",
            exclusive="anti-CD20 antibody",
        ),
    ),
    references=("Gibiansky2021", "Rubenstein2003"),
)
