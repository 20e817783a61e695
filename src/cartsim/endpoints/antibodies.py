"""Antibody endpoints: changes of total, protective and auto-antibody levels, and IgG below its lower limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Compute, Endpoint, Option
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, value_text

__all__ = ["AUTOANTIBODY_CHANGE", "IGG_BELOW_LLN", "PROTECTIVE_IGG_CHANGE", "TOTAL_IGG_CHANGE", "change_endpoint"]

#: Total IgG lower limit of normal (g/L), the default of ``igg_below_lln``.
IGG_LLN = "7 g/L"
_DAY = Option("day", "day", "day of the measurement (from day 0)", required=True)


def _change(observable: str, unit: str) -> Compute:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        series = d.series(observable, unit, full=True)
        baseline, later = d.at(series, 0.0), d.at(series, o["day"])
        change = np.where(baseline > 0, 100.0 * (later / np.where(baseline > 0, baseline, 1.0) - 1.0), np.nan)
        return change, np.zeros(change.shape, dtype=bool)

    return compute


def _igg_low(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    from cartsim.units import ureg

    limit = ureg.Quantity(o["lln"]).to("g/L").magnitude
    level = d.at(d.series("igg_total", "g/L", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level < limit).astype(float)), np.zeros(level.shape, dtype=bool)


def _low_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    if not str(row.get("statistic", "")).startswith("fraction"):
        return None
    return f"About {value_text(row)} had low total antibody (IgG) levels, below the lower limit of normal, on the day measured."


def change_endpoint(name: str, observable: str, unit: str, what: str, day: Option = _DAY) -> Endpoint:
    """An endpoint: the change of ``observable`` from day 0 to the option ``day``, in percent."""
    return Endpoint(
        name,
        f"change of {what} from day 0, in percent",
        "number",
        "%",
        (observable,),
        _change(observable, unit),
        (day,),
        words=f"change in {what}",
    )


TOTAL_IGG_CHANGE = change_endpoint("total_igg_change_pct", "igg_total", "g/L", "total IgG")
PROTECTIVE_IGG_CHANGE = change_endpoint("protective_igg_change_pct", "igg_protective", "1", "protective (vaccine/pathogen) IgG")
AUTOANTIBODY_CHANGE = change_endpoint("autoantibody_change_pct", "autoantibody", "1", "the autoantibody titre")
IGG_BELOW_LLN = Endpoint(
    "igg_below_lln",
    "total IgG below the lower limit of normal",
    "boolean",
    "1",
    ("igg_total",),
    _igg_low,
    (_DAY, Option("lln", "quantity", "lower limit of normal total IgG", IGG_LLN, unit="g/L")),
    words="low antibody (IgG) levels",
    sentence=_low_sentence,
)
