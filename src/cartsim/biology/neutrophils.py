r"""Neutrophils after lymphodepleting chemotherapy: the myelosuppression model of Friberg et al. (2002).

Blood neutrophils come from proliferating marrow precursors through three maturation
compartments (mean transit time :math:`MTT`); a low blood count speeds precursor
proliferation (feedback exponent :math:`\gamma`), which gives the rebound after the nadir.
Fludarabine and cyclophosphamide kill proliferating precursors in proportion to the
lymphocyte killing the lymphodepletion module computes (:math:`f_M \kappa_{LD}`: the same
drugs, a myelotoxicity relative to their lymphotoxicity). All pools are relative to their
untreated steady state; the absolute count is :math:`ANC_0 \cdot N_c`.

.. math::

   k_{tr} &= 4 / MTT \\
   \frac{dP}{dt} &= k_{tr} P \left(\frac{1}{N_c}\right)^{\gamma} - k_{tr} P - f_M \kappa_{LD} P \\
   \frac{dN_1}{dt} &= k_{tr} (P - N_1), \quad \frac{dN_2}{dt} = k_{tr} (N_1 - N_2), \quad
   \frac{dN_3}{dt} = k_{tr} (N_2 - N_3), \quad \frac{dN_c}{dt} = k_{tr} (N_3 - N_c)

Provides ``neutropenia``, the depth below the severe-neutropenia level (ANC < 500 cells/uL,
CTCAE grade 4): :math:`\max(0, 1 - ANC/500)`, 0 at or above it and exactly 0 without
chemotherapy. References: Friberg2002 (structure, transit time, feedback).
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["neutrophils"]

_TRANSIT = ("neutrophil_transit_1", "neutrophil_transit_2", "neutrophil_transit_3")

neutrophils = Module(
    name="neutrophils",
    description="Neutrophils after myelotoxic chemotherapy (Friberg transit model): nadir, recovery, severe neutropenia",
    states=(
        State("neutrophil_precursors", "1", "1", "proliferating marrow neutrophil precursors relative to baseline"),
        *(State(name, "1", "1", f"maturing neutrophils, stage {i + 1}, relative to baseline") for i, name in enumerate(_TRANSIT)),
        State("neutrophils_circulating", "1", "1", "blood neutrophils relative to baseline"),
    ),
    parameters=(
        Quantity("anc_baseline", "cells/uL", "absolute neutrophil count before treatment"),
        Quantity("neutrophil_transit_time", "day", "mean transit time from proliferating precursor to blood neutrophil"),
        Quantity("neutrophil_feedback", "1", "exponent of the feedback of low blood counts on precursor proliferation"),
        Quantity("myelotoxicity", "1", "killing of proliferating precursors per unit of the chemotherapy's lymphocyte killing"),
        Quantity("severe_neutropenia_level", "cells/uL", "absolute neutrophil count below which neutropenia is severe (grade 4)"),
    ),
    derived=(Expression("neutrophil_ktr", "4/neutrophil_transit_time", "1/day", "transit rate between maturation stages"),),
    reads=(Quantity("lymphodepletion_kill_rate", "1/day", "lymphocyte death rate due to lymphodepleting chemotherapy", optional=True),),
    provides=(
        Expression(
            "neutropenia",
            "Max(0, 1 - anc_baseline*neutrophils_circulating/severe_neutropenia_level)",
            "1",
            "depth of neutropenia below the severe level (0 at or above it, 1 with no neutrophils)",
        ),
    ),
    rates={
        "neutrophil_precursors": "neutrophil_ktr*neutrophil_precursors*(1/neutrophils_circulating)**neutrophil_feedback"
        " - neutrophil_ktr*neutrophil_precursors - myelotoxicity*lymphodepletion_kill_rate*neutrophil_precursors",
        "neutrophil_transit_1": "neutrophil_ktr*(neutrophil_precursors - neutrophil_transit_1)",
        "neutrophil_transit_2": "neutrophil_ktr*(neutrophil_transit_1 - neutrophil_transit_2)",
        "neutrophil_transit_3": "neutrophil_ktr*(neutrophil_transit_2 - neutrophil_transit_3)",
        "neutrophils_circulating": "neutrophil_ktr*(neutrophil_transit_3 - neutrophils_circulating)",
    },
    observables=(Expression("anc", "anc_baseline*neutrophils_circulating", "cells/uL", "absolute neutrophil count"),),
    references=("Friberg2002",),
)
