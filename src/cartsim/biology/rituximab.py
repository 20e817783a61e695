r"""Rituximab: two-compartment PK after intravenous infusion, and CD20+ B-cell killing.

Pharmacokinetics as in Lioger et al. (2017), a population model of rituximab in rheumatoid
arthritis written in rate constants: elimination :math:`k_{10}` and distribution
:math:`k_{12}, k_{21}` from a central volume :math:`V_1` (terminal half-life ~19 days with
the typical values). Killing of CD20+ B cells follows an Emax model of the concentration
seen by each compartment, as for the other anti-CD20 antibodies: serum for blood, a fraction
:math:`f_t` in lymphoid tissue, a fraction :math:`f_{CNS}` (CSF/serum IgG ratio) in the CNS.
The rates are contributions, summed with those of other antibodies.

.. math::

   C &= A_c / V_1 \\
   \frac{dA_c}{dt} &= -(k_{10} + k_{12}) A_c + k_{21} A_p + u_{RTX} \\
   \frac{dA_p}{dt} &= k_{12} A_c - k_{21} A_p \\
   \kappa_{20,k} &\mathrel{+}= k_{max} \frac{f_k C}{EC_{50} + f_k C},
   \qquad f_{blood} = 1,\ f_{tissue} = f_t,\ f_{cns} = f_{CNS}

``rtx_cleared`` accumulates what :math:`k_{10}` removes, so that every dose is accounted for
(:math:`A_c + A_p + A_{cl}` equals the doses given; checked after every solve).

References: Lioger2017 (PK), Rubenstein2003 (CSF/serum ratio).
"""

from __future__ import annotations

import math

from cartsim.biology.anti_cd20 import cd20_killing, emax_killing
from cartsim.model import Administration, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["rituximab_pkpd"]

_C = "(rtx_central/rtx_central_volume)"  # serum concentration, mg/L


_kill = emax_killing("rtx_kmax", "rtx_ec50", _C)


rituximab_pkpd = Module(
    name="rituximab_pkpd",
    description="Rituximab two-compartment PK (rheumatoid arthritis); CD20+ B-cell killing",
    states=(
        State("rtx_central", "mg", "0", "rituximab in the central compartment"),
        State("rtx_peripheral", "mg", "0", "rituximab in the peripheral compartment"),
        State("rtx_cleared", "mg", "0", "rituximab eliminated so far (for the conservation check)"),
    ),
    parameters=(
        Quantity("rtx_central_volume", "L", "central volume V1"),
        Quantity("rtx_elimination_rate", "1/day", "elimination rate constant k10"),
        Quantity("rtx_central_to_peripheral", "1/day", "distribution rate constant k12"),
        Quantity("rtx_peripheral_to_central", "1/day", "redistribution rate constant k21"),
        Quantity("rtx_kmax", "1/day", "maximal rituximab-driven death rate of CD20+ B cells"),
        Quantity("rtx_ec50", "mg/L", "concentration giving half-maximal killing"),
        Quantity("rtx_tissue_ratio", "1", "lymphoid-tissue to serum concentration ratio"),
        Quantity("antibody_cns_ratio", "1", "CSF to serum concentration ratio of IgG antibodies"),
    ),
    contributes=cd20_killing("rituximab", _kill, "rtx_tissue_ratio"),
    rates={
        "rtx_central": "-(rtx_elimination_rate + rtx_central_to_peripheral)*rtx_central + rtx_peripheral_to_central*rtx_peripheral",
        "rtx_peripheral": "rtx_central_to_peripheral*rtx_central - rtx_peripheral_to_central*rtx_peripheral",
        "rtx_cleared": "rtx_elimination_rate*rtx_central",
    },
    observables=(Expression("rituximab_concentration", _C, "ug/mL", "serum rituximab"),),
    doses=(
        DoseRoute(
            "rituximab_iv",
            "rtx_central",
            "mg",
            "1",
            "intravenous rituximab, into the central compartment",
            conserved="rtx_central + rtx_peripheral + rtx_cleared",
        ),
    ),
    therapies=(
        Therapy(
            "rituximab",
            "rituximab, an anti-CD20 antibody given by intravenous infusion",
            "antibody",
            Administration("rituximab_iv", ("mg",), "'1000 mg'", infusion_hours=((math.inf, 4.0),), most=((10_000.0, "mg"),)),
            concentration="rituximab_concentration",
            exclusive="anti-CD20 antibody",
        ),
    ),
    references=("Lioger2017", "Rubenstein2003"),
)
