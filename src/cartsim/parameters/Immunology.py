"""Textbook immunology values: plasmablast lifespan, IgG half-life and level, IL-6 at rest."""

from cartsim.model import LogNormal, Parameter, ParameterSet

Immunology = ParameterSet(
    "Immunology",
    (
        Parameter("plasmablast_lifespan", 4.0, "day", "ImmunologyTextbook", description="short-lived plasmablasts live ~3-5 days"),
        Parameter("igg_half_life", 21.0, "day", "ImmunologyTextbook", description="serum IgG half-life (FcRn recycling)"),
        Parameter(
            "igg_baseline",
            10.0,
            "g/L",
            "ImmunologyTextbook",
            bounds=(1.0, 40.0),
            variability=LogNormal(0.2),
            description="normal adult IgG 7-16 g/L",
        ),
        Parameter("il6_baseline", 2.0, "pg/mL", "ImmunologyTextbook", description="serum IL-6 in health (< 5 pg/mL)"),
        Parameter("igg_lower_limit", 7.0, "g/L", "ImmunologyTextbook", description="lower limit of normal adult IgG"),
        Parameter("leukocyte_count", 7000.0, "cells/uL", "ImmunologyTextbook", description="adult white-cell count (4,000-11,000/uL)"),
        Parameter("dna_per_cell", 6.6e-6, "ug/cells", "ImmunologyTextbook", description="diploid human genome, ~6.6 pg"),
    ),
)
