"""Standard physiology values (textbook)."""

from cartsim.model import Parameter, ParameterSet

PhysiologyTextbook = ParameterSet(
    "PhysiologyTextbook",
    (
        Parameter("blood_volume_per_kg", 70.0, "mL/kg", "PhysiologyTextbook", description="adult blood volume"),
        Parameter(
            "bcell_blood_share", 0.02, "1", "PhysiologyTextbook", bounds=(1e-4, 0.5), description="share of mature B cells in blood (~2 %)"
        ),
        Parameter(
            "cart_blood_fraction",
            0.02,
            "1",
            "PhysiologyTextbook",
            bounds=(1e-4, 1.0),
            description="CAR T cells assumed to distribute like other lymphocytes (~2 % in blood)",
        ),
        Parameter("csf_volume", 150.0, "mL", "PhysiologyTextbook", description="adult CSF volume (~150 mL)"),
        Parameter(
            "anc_baseline",
            4000.0,
            "cells/uL",
            "PhysiologyTextbook",
            description="adult absolute neutrophil count (reference range ~1,800-7,700 cells/uL; kept at the typical value)",
        ),
        Parameter(
            "severe_neutropenia_level",
            500.0,
            "cells/uL",
            "PhysiologyTextbook",
            description="absolute neutrophil count below which neutropenia is grade 4 (CTCAE)",
        ),
    ),
)
