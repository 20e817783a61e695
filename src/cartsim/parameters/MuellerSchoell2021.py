"""Axi-cel QSP model (Mueller-Schoell et al. 2021): antigen half-saturation of CAR T-cell activation."""

from cartsim.model import Parameter, ParameterSet

MuellerSchoell2021 = ParameterSet(
    "MuellerSchoell2021",
    (
        Parameter(
            "cart_antigen_half_saturation", 1.13, "cells/uL", "MuellerSchoell2021", description="KM of antigen-driven CAR T-cell activation"
        ),
    ),
)
