"""Body surface area (Mosteller 1987): BSA [m2] = sqrt(height [cm] x weight [kg] / 3600)."""

from cartsim.model import Parameter, ParameterSet

Mosteller1987 = ParameterSet(
    "Mosteller1987",
    (Parameter("mosteller_constant", 3600.0, "cm*kg/m**4", "Mosteller1987", description="constant of the BSA formula"),),
)
