r"""Ocrelizumab: two-compartment PK with time-dependent clearance, and CD20+ B-cell killing.

Pharmacokinetics as in Gibiansky et al. (2021): central and peripheral compartments, a
constant clearance and a time-dependent clearance that decays with a half-life of 33 weeks
from the first dose. Here the decay runs while drug is present (an exposure-gated decline,
:math:`C/(C + C_{ref})` with :math:`C_{ref}` far below trough levels), which reproduces the
published time course from the first dose and keeps an untreated patient at steady state.

Killing of CD20+ B cells follows an Emax model of the concentration; lymphoid tissue sees a
fraction of the serum concentration.

.. math::

   C &= A_c / V_c \\
   \frac{dA_c}{dt} &= -(CL + CL_T x)\, C - Q (C - A_p / V_p) + u_{OCR} \\
   \frac{dA_p}{dt} &= Q (C - A_p / V_p) \\
   \frac{dx}{dt} &= -k_{des}\, x\, \frac{C}{C + C_{ref}}, \qquad k_{des} = \ln 2 / t_{1/2,T} \\
   \kappa_{20,b} &= k_{max} \frac{C}{EC_{50} + C}, \qquad
   \kappa_{20,t} = k_{max} \frac{f_t C}{EC_{50} + f_t C}
"""

from __future__ import annotations

from cartsim.model import DoseRoute, Expression, Module, Quantity, State

__all__ = ["ocrelizumab_pkpd"]

ocrelizumab_pkpd = Module(
    name="ocrelizumab_pkpd",
    description="Ocrelizumab two-compartment PK with time-dependent clearance; CD20+ B-cell killing",
    states=(
        State("ocr_central", "mg", "0", "ocrelizumab in the central compartment"),
        State("ocr_peripheral", "mg", "0", "ocrelizumab in the peripheral compartment"),
        State("ocr_tdcl_fraction", "1", "1", "remaining fraction of the time-dependent clearance"),
    ),
    parameters=(
        Quantity("ocr_clearance", "L/day", "constant (linear) clearance"),
        Quantity("ocr_clearance_time_dependent", "L/day", "initial time-dependent clearance"),
        Quantity("ocr_tdcl_half_life", "day", "half-life of the decline of the time-dependent clearance"),
        Quantity("ocr_tdcl_reference_concentration", "mg/L", "concentration above which the time-dependent clearance declines"),
        Quantity("ocr_central_volume", "L", "central volume of distribution"),
        Quantity("ocr_peripheral_volume", "L", "peripheral volume of distribution"),
        Quantity("ocr_intercompartmental_clearance", "L/day", "intercompartmental clearance"),
        Quantity("anti_cd20_kmax", "1/day", "maximal antibody-driven death rate of CD20+ B cells"),
        Quantity("anti_cd20_ec50", "mg/L", "concentration giving half-maximal killing"),
        Quantity("antibody_tissue_ratio", "1", "lymphoid-tissue to serum concentration ratio of IgG antibodies"),
    ),
    derived=(Expression("ocr_tdcl_decline", "log(2)/ocr_tdcl_half_life", "1/day", "decline rate of the time-dependent clearance"),),
    provides=(
        Expression("ocr_concentration", "ocr_central/ocr_central_volume", "mg/L", "serum ocrelizumab"),
        Expression(
            "cd20_kill_rate_blood",
            "anti_cd20_kmax*ocr_concentration/(anti_cd20_ec50 + ocr_concentration)",
            "1/day",
            "death rate of CD20+ B cells in blood due to ocrelizumab",
        ),
        Expression(
            "cd20_kill_rate_tissue",
            "anti_cd20_kmax*antibody_tissue_ratio*ocr_concentration/(anti_cd20_ec50 + antibody_tissue_ratio*ocr_concentration)",
            "1/day",
            "death rate of CD20+ B cells in lymphoid tissue due to ocrelizumab",
        ),
    ),
    rates={
        "ocr_central": "-(ocr_clearance + ocr_clearance_time_dependent*ocr_tdcl_fraction)*ocr_concentration"
        " - ocr_intercompartmental_clearance*(ocr_concentration - ocr_peripheral/ocr_peripheral_volume)",
        "ocr_peripheral": "ocr_intercompartmental_clearance*(ocr_concentration - ocr_peripheral/ocr_peripheral_volume)",
        "ocr_tdcl_fraction": "-ocr_tdcl_decline*ocr_tdcl_fraction*ocr_concentration/(ocr_concentration + ocr_tdcl_reference_concentration)",
    },
    observables=(Expression("ocrelizumab_concentration", "ocr_central/ocr_central_volume", "ug/mL", "serum ocrelizumab"),),
    doses=(DoseRoute("ocrelizumab_iv", "ocr_central", "mg", "1", "intravenous ocrelizumab"),),
    references=("Gibiansky2021",),
)
