"""Toxicity endpoints: the highest CRS and ICANS grades."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Compute, Endpoint
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, value_text

__all__ = ["CRS_MAX_GRADE", "ICANS_MAX_GRADE"]


def _max_grade(observable: str) -> Compute:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        values = d.series(observable, None)
        grade = np.where(np.isnan(values).any(axis=1), np.nan, np.max(np.nan_to_num(values), axis=1))
        return grade, np.zeros(grade.shape, dtype=bool)

    return compute


def _grade_sentence(name: str) -> Callable[[Mapping[str, Any], ArmWords], str | None]:
    def sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
        statistic = str(row.get("statistic", ""))
        if statistic.startswith("fraction_ge:"):
            k = statistic.split(":", 1)[1]
            if float(row["value"]) == 0.0 and not float(row.get("upper", row.get("high")) or 0.0) > 0.0:
                return f"No virtual patient had {name} of grade {k} or higher."
            return f"About {value_text(row)} of virtual patients had {name} of grade {k} or higher."
        if statistic in ("mean", "median"):
            return f"The highest {name} grade was about {value_text(row)} (grades run from 0, none, to 5)."
        return None

    return sentence


CRS_MAX_GRADE = Endpoint(
    "crs_max_grade",
    "highest ASTCT cytokine release syndrome grade (0-5)",
    "number",
    "grade",
    ("crs_grade",),
    _max_grade("crs_grade"),
    horizon_after_last_dose=60.0,
    words="cytokine release syndrome (CRS)",
    sentence=_grade_sentence("cytokine release syndrome (CRS, a fever-like immune reaction)"),
    statistic="mean",
)
ICANS_MAX_GRADE = Endpoint(
    "icans_max_grade",
    "highest ASTCT ICANS grade (0-5)",
    "number",
    "grade",
    ("icans_grade",),
    _max_grade("icans_grade"),
    horizon_after_last_dose=60.0,
    words="neurological side effects (ICANS)",
    sentence=_grade_sentence("neurological side effects (ICANS)"),
    statistic="mean",
)
