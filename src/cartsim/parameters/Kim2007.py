"""FcRn-mediated salvage of IgG in humans (Kim et al. 2007, Table 1): a saturable recycling model.

The fractional catabolic rate of IgG is the intrinsic (endocytic) rate minus the salvaged
part, ``k_int - J_max / (V_c (K_m + C))``; here ``J_max / V_c`` is given per litre of plasma
(147 mg/day/kg over 42 mL/kg = 3.5 g/L/day). cartsim uses the model for how clearance
changes with the IgG concentration, relative to the patient's baseline.
"""

from cartsim.model import Parameter, ParameterSet

Kim2007 = ParameterSet(
    "Kim2007",
    (
        Parameter("igg_intrinsic_catabolism", 0.18, "1/day", "Kim2007", description="fractional intrinsic catabolic rate k_int"),
        Parameter(
            "igg_fcrn_capacity",
            3.5,
            "g/L/day",
            "Kim2007",
            description="maximal FcRn recycling J_max = 147 mg/day/kg over the vascular volume 42 mL/kg",
        ),
        Parameter("igg_fcrn_km", 21.0, "g/L", "Kim2007", description="plasma IgG at half-maximal recycling (21 mg/mL)"),
    ),
)
