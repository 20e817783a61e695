"""Elimination half-lives of the lymphodepleting drugs, from their product labels."""

from cartsim.model import Parameter, ParameterSet

DrugLabels = ParameterSet(
    "DrugLabels",
    (
        Parameter(
            "fludarabine_half_life",
            20.0,
            "hour",
            "FludarabineSmPC",
            description="terminal half-life of 2-F-ara-A, fludarabine's circulating metabolite (~20 h)",
        ),
        Parameter(
            "cyclophosphamide_half_life",
            7.0,
            "hour",
            "CyclophosphamideSmPC",
            description="elimination half-life of cyclophosphamide (3-12 h)",
        ),
    ),
)
