r"""Ofatumumab: subcutaneous depot, target-mediated disposition (QSS), CD20+ B-cell killing.

Pharmacokinetics as in Yu et al. (2022), a population model of monthly subcutaneous
ofatumumab in relapsing MS: first-order absorption with bioavailability :math:`F` from an SC
depot, central and peripheral compartments, and binding to CD20 in the quasi-steady-state
(QSS) approximation of target-mediated drug disposition. The central state holds *total*
drug (free and bound); free drug :math:`C` solves the QSS balance; bound drug is internalised
with the CD20 it holds. Distribution is mass-conserving, as in the nlmixr2lib
transcription (Yu 2022's printed central equation writes the return flow with
:math:`Q/V_p`). CD20 synthesis falls from :math:`k_{syn,0}` towards :math:`k_{syn,\infty}`
with rate :math:`k_{des}` (Yu 2022: from the first dose); here the fall
runs while drug is present (:math:`L/(L + L_{ref})`, :math:`L_{ref}` far below troughs), so an
untreated patient stays at steady state. CD20 amounts are drug-equivalent concentrations
(published nmol/L times the molecular weight). Body weight scales :math:`k_a, V_c, CL,
k_{syn,0}` with Yu 2022's exponents.

The CD20 pool here is Yu 2022's empirical whole-body target, not the modelled B cells: tying
it to them would change the published PK, which was fitted with this pool.

Lysis of CD20+ B cells is Yu 2022's sigmoid Emax of free drug, :math:`k_{out} E_{max} S(C)`,
as a death rate; lymphoid tissue sees a fraction :math:`f_t` of the free concentration and
the CNS a fraction :math:`f_{CNS}` (CSF/serum IgG ratio). A numerical floor
:math:`\epsilon` (1e-9 ug/mL, a rate of ~1e-19/day) keeps the fractional power defined. The
rates are contributions, summed with those of other antibodies.

.. math::

   L &= A_c / V_c, \qquad K_{SS} = \frac{k_{int} + k_{off}}{k_{off}} K_D, \qquad
   q = L - R - K_{SS}, \qquad C = \tfrac12\left(q + \sqrt{q^2 + 4 K_{SS} L}\right) \\
   \frac{dA_d}{dt} &= -k_a A_d + F u_{SC} \\
   \frac{dA_c}{dt} &= k_a A_d - CL\, C - Q\left(C - \frac{A_p}{V_p}\right) - k_{int} V_c (L - C) \\
   \frac{dA_p}{dt} &= Q\left(C - \frac{A_p}{V_p}\right) \\
   \frac{dR}{dt} &= k_{syn} - k_{deg} R - (k_{int} - k_{deg})(L - C), \qquad
   k_{syn} = k_{syn,\infty} + (k_{syn,0} - k_{syn,\infty})\, y, \qquad k_{deg} = k_{syn} / R_0 \\
   \frac{dy}{dt} &= -k_{des}\, y\, \frac{L}{L + L_{ref}} \\
   \kappa_{20,k} &\mathrel{+}= k_{max} \frac{u_k^h}{1 + u_k^h}, \qquad
   u_k = \frac{\max(f_k C, \epsilon)}{EC_{50}}, \qquad f_{blood} = 1,\ f_{tissue} = f_t,\ f_{cns} = f_{CNS}

``ofa_cleared`` accumulates what linear clearance and internalisation remove, so that every
dose is accounted for (:math:`A_d + A_c + A_p + A_{cl}` equals the bioavailable doses given;
checked after every solve).

The decline rate :math:`k_{des}` is calibrated to the label's steady-state exposure (AUCtau 483
ug*h/mL, Cmax 1.43 ug/mL): Yu 2022's 2.58/year, applied from the first dose, removes the
target-mediated clearance within a year and doubles exposure over two years, more than the
"slight upward drift" of troughs the term was introduced for.

References: Yu2022 (PK and lysis), Rubenstein2003 (CSF/serum ratio).
"""

from __future__ import annotations

from cartsim.biology.anti_cd20 import cd20_killing
from cartsim.model import Administration, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["ofatumumab_pkpd"]

_L = "(ofa_central/ofa_vc)"  # total drug in serum, mg/L
_Q = f"({_L} - ofa_target - ofa_ks)"
_C = f"(0.5*({_Q} + sqrt({_Q}**2 + 4*ofa_ks*{_L})))"  # free drug, mg/L
_BOUND = f"({_L} - {_C})"
_KSYN = "(ofa_ksyn_final + (ofa_ksyn_initial - ofa_ksyn_final)*ofa_synthesis_fraction)"
_KDEG = f"({_KSYN}/ofa_r0)"


def _kill(ratio: str) -> str:
    # The floor keeps solver round-off (a free concentration of -1e-18) out of the fractional
    # power, and the analytic Jacobian finite without drug (d u^h/du is written h u^h / u).
    x = f"(Max({ratio}*{_C}, ofa_concentration_floor)/ofa_ec50)**ofa_hill"
    return f"ofa_kmax*{x}/(1 + {x})"


def _weight(exponent: str) -> str:
    return f"(body_weight/ofa_reference_weight)**{exponent}"


ofatumumab_pkpd = Module(
    name="ofatumumab_pkpd",
    description="Ofatumumab SC depot and QSS target-mediated PK (Yu 2022); CD20+ B-cell lysis",
    states=(
        State("ofa_depot", "mg", "0", "ofatumumab in the subcutaneous depot"),
        State("ofa_central", "mg", "0", "ofatumumab in the central compartment (free and CD20-bound)"),
        State("ofa_peripheral", "mg", "0", "ofatumumab in the peripheral compartment"),
        State("ofa_target", "mg/L", "ofa_r0", "total CD20 in the central compartment, drug-equivalent"),
        State("ofa_synthesis_fraction", "1", "1", "remaining fraction of the decline of CD20 synthesis"),
        State("ofa_cleared", "mg", "0", "ofatumumab cleared so far, free and by internalisation (for the conservation check)"),
    ),
    parameters=(
        Quantity("ofa_absorption_rate", "1/day", "absorption rate at the reference weight"),
        Quantity("ofa_bioavailability", "1", "subcutaneous bioavailability"),
        Quantity("ofa_central_volume", "L", "central volume at the reference weight"),
        Quantity("ofa_peripheral_volume", "L", "peripheral volume"),
        Quantity("ofa_clearance", "L/day", "linear clearance of free drug at the reference weight"),
        Quantity("ofa_intercompartmental_clearance", "L/day", "intercompartmental clearance"),
        Quantity("ofa_internalisation_rate", "1/day", "internalisation rate of the drug-CD20 complex"),
        Quantity("ofa_target_baseline", "nmol/L", "total CD20 before treatment"),
        Quantity("ofa_target_synthesis_initial", "nmol/L/day", "CD20 synthesis before treatment, reference weight"),
        Quantity("ofa_target_synthesis_final", "nmol/L/day", "CD20 synthesis after long treatment"),
        Quantity("ofa_synthesis_decline", "1/day", "rate of decline of CD20 synthesis"),
        Quantity("ofa_synthesis_reference_concentration", "mg/L", "total drug above which CD20 synthesis declines"),
        Quantity("ofa_dissociation_constant", "nmol/L", "equilibrium dissociation constant"),
        Quantity("ofa_off_rate", "1/day", "dissociation rate constant"),
        Quantity("ofa_molecular_weight", "mg/nmol", "molecular weight of ofatumumab"),
        Quantity("body_weight", "kg", "body weight"),
        Quantity("ofa_reference_weight", "kg", "reference weight of the covariate model"),
        Quantity("ofa_weight_exponent_absorption", "1", "weight exponent on the absorption rate"),
        Quantity("ofa_weight_exponent_central_volume", "1", "weight exponent on the central volume"),
        Quantity("ofa_weight_exponent_clearance", "1", "weight exponent on the linear clearance"),
        Quantity("ofa_weight_exponent_synthesis", "1", "weight exponent on the initial CD20 synthesis"),
        Quantity("ofa_kmax", "1/day", "maximal ofatumumab-driven death rate of CD20+ B cells"),
        Quantity("ofa_ec50", "mg/L", "free concentration giving half-maximal lysis"),
        Quantity("ofa_hill", "1", "Hill coefficient of lysis"),
        Quantity("ofa_concentration_floor", "mg/L", "numerical floor of the concentration in the lysis term"),
        Quantity("ofa_tissue_ratio", "1", "lymphoid-tissue to serum concentration ratio"),
        Quantity("antibody_cns_ratio", "1", "CSF to serum concentration ratio of IgG antibodies"),
    ),
    derived=(
        Expression("ofa_ka", f"ofa_absorption_rate*{_weight('ofa_weight_exponent_absorption')}", "1/day", "the patient's absorption rate"),
        Expression("ofa_vc", f"ofa_central_volume*{_weight('ofa_weight_exponent_central_volume')}", "L", "the patient's central volume"),
        Expression("ofa_cl", f"ofa_clearance*{_weight('ofa_weight_exponent_clearance')}", "L/day", "the patient's linear clearance"),
        Expression("ofa_r0", "ofa_target_baseline*ofa_molecular_weight", "mg/L", "total CD20 before treatment, drug-equivalent"),
        Expression(
            "ofa_ksyn_initial",
            f"ofa_target_synthesis_initial*ofa_molecular_weight*{_weight('ofa_weight_exponent_synthesis')}",
            "mg/L/day",
            "the patient's CD20 synthesis before treatment, drug-equivalent",
        ),
        Expression(
            "ofa_ksyn_final",
            "ofa_target_synthesis_final*ofa_molecular_weight",
            "mg/L/day",
            "CD20 synthesis after long treatment, drug-equivalent",
        ),
        Expression(
            "ofa_ks",
            "(ofa_internalisation_rate + ofa_off_rate)/ofa_off_rate*ofa_dissociation_constant*ofa_molecular_weight",
            "mg/L",
            "quasi-steady-state constant",
        ),
    ),
    contributes=cd20_killing("ofatumumab", _kill, "ofa_tissue_ratio"),
    rates={
        "ofa_depot": "-ofa_ka*ofa_depot",
        "ofa_central": f"ofa_ka*ofa_depot - ofa_cl*{_C} - ofa_intercompartmental_clearance*({_C} - ofa_peripheral/ofa_peripheral_volume)"
        f" - ofa_internalisation_rate*ofa_vc*{_BOUND}",
        "ofa_peripheral": f"ofa_intercompartmental_clearance*({_C} - ofa_peripheral/ofa_peripheral_volume)",
        "ofa_target": f"{_KSYN} - {_KDEG}*ofa_target - (ofa_internalisation_rate - {_KDEG})*{_BOUND}",
        "ofa_synthesis_fraction": f"-ofa_synthesis_decline*ofa_synthesis_fraction*{_L}/({_L} + ofa_synthesis_reference_concentration)",
        "ofa_cleared": f"ofa_cl*{_C} + ofa_internalisation_rate*ofa_vc*{_BOUND}",
    },
    observables=(Expression("ofatumumab_concentration", _L, "ug/mL", "total serum ofatumumab (free and bound)"),),
    doses=(
        DoseRoute(
            "ofatumumab_sc",
            "ofa_depot",
            "mg",
            "ofa_bioavailability",
            "subcutaneous ofatumumab, into the depot (times the bioavailability)",
            conserved="ofa_depot + ofa_central + ofa_peripheral + ofa_cleared",
        ),
    ),
    therapies=(
        Therapy(
            "ofatumumab",
            "ofatumumab, an anti-CD20 antibody injected under the skin",
            "antibody",
            Administration("ofatumumab_sc", ("mg",), "'20 mg'", most=((10_000.0, "mg"),)),
            concentration="ofatumumab_concentration",
            exclusive="anti-CD20 antibody",
        ),
    ),
    references=("Yu2022", "Rubenstein2003"),
)
