"""MS endpoints: relapses, lesions, confirmed progression (12 and 24 weeks, PIRA), EDSS change.

Events are drawn per patient from the MS module's cumulative hazards (:mod:`cartsim.endpoints.events`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Compute, Endpoint, Option
from cartsim.endpoints.events import event_by, event_count, events_per_year, window_rule
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, value_text
from cartsim.errors import InputError

__all__ = ["ANNUALIZED_RELAPSE_RATE", "CDP12", "CDP24", "EDSS_CHANGE", "GD_LESIONS", "NEW_T2_LESIONS", "PIRA"]

CONFIRMATION_12 = 84.0
CONFIRMATION_24 = 168.0
_WINDOW = (
    Option("from_day", "day", "start of the counting window", 0.0),
    Option("to_day", "day", "end of the counting window", required=True),
)
_BY = (Option("by_day", "day", "day by which progression must be confirmed", required=True),)


def _confirmed(observable: str, confirmation: float, stream: str) -> Compute:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        confirmed = event_by(d, c, observable, o["by_day"], confirmation, stream)
        return confirmed, np.zeros(confirmed.shape, dtype=bool)

    return compute


def _gd_lesions(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    expected = d.at(d.series("gd_lesion_rate", "1", full=True), o["day"])
    return expected, np.zeros(expected.shape, dtype=bool)


def _new_t2(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    # The new-lesion rate integrated over time is a cumulative hazard like the others.
    rate = d.series("new_t2_lesion_rate", "1/day", full=True)
    steps = 0.5 * (rate[:, 1:] + rate[:, :-1]) * np.diff(d.times)
    cumulative = np.column_stack([np.zeros(len(rate)), np.cumsum(steps, axis=1)])
    counts = event_count(_with(d, "new_t2_cumulative", cumulative), c, "new_t2_cumulative", o["from_day"], o["to_day"], "new_t2")
    return counts, np.zeros(counts.shape, dtype=bool)


def _with(d: Window, name: str, values: np.ndarray) -> Window:
    """The window with one more (patient, time) variable, dimensionless."""
    from dataclasses import replace

    return replace(d, dataset=d.dataset.assign({name: (("patient", "time"), values, {"units": "1"})}))


def _edss(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    # Confirmed progressions (12 weeks) counted up to by_day, each moving the EDSS by the patient's step.
    counts = event_count(d, c, "progression_cumulative_hazard", 0.0, max(o["by_day"] - CONFIRMATION_12, 0.0), "progression")
    step = d.at(d.series("edss_step", "1", full=True), 0.0)
    return counts * step, np.zeros(counts.shape, dtype=bool)


def _confirmation_rule(days: float) -> Any:
    def rule(options: Mapping[str, Any], field: str) -> None:
        if options["by_day"] < days:
            raise InputError(
                f"{field}.by_day", options["by_day"], f"a day >= {days:g} (progression must be confirmed {days / 7:g} weeks later)"
            )

    return rule


def _relapse_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    return f"On average the model predicts about {value_text(row)} relapses per patient per year."


def _share_sentence(what: str) -> Any:
    def sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
        if not str(row.get("statistic", "")).startswith("fraction"):
            return None
        return f"About {value_text(row)} of virtual patients had {what}."

    return sentence


ANNUALIZED_RELAPSE_RATE = Endpoint(
    "annualized_relapse_rate",
    "relapses per year between from_day and to_day",
    "number",
    "1/year",
    ("relapse_cumulative_hazard",),
    events_per_year("relapse_cumulative_hazard", "relapses"),
    _WINDOW,
    rule=window_rule("to_day"),
    words="relapses per year",
    sentence=_relapse_sentence,
    statistic="mean",
)
CDP12 = Endpoint(
    "cdp12",
    "12-week confirmed disability progression by by_day",
    "boolean",
    "1",
    ("progression_cumulative_hazard",),
    _confirmed("progression_cumulative_hazard", CONFIRMATION_12, "progression"),
    _BY,
    rule=_confirmation_rule(CONFIRMATION_12),
    words="confirmed disability progression",
    sentence=_share_sentence("disability progression confirmed over 12 weeks"),
)
CDP24 = Endpoint(
    "cdp24",
    "24-week confirmed disability progression by by_day",
    "boolean",
    "1",
    ("progression24_cumulative_hazard",),
    _confirmed("progression24_cumulative_hazard", CONFIRMATION_24, "progression"),
    _BY,
    rule=_confirmation_rule(CONFIRMATION_24),
    words="disability progression confirmed over 24 weeks",
    sentence=_share_sentence("disability progression confirmed over 24 weeks"),
)
PIRA = Endpoint(
    "pira",
    "12-week confirmed progression independent of relapse activity (PIRA) by by_day",
    "boolean",
    "1",
    ("pira_cumulative_hazard",),
    # The progression stream: PIRA is the relapse-independent part of the same first progression,
    # so a patient with PIRA also has confirmed progression (H_I <= H_P for one threshold).
    _confirmed("pira_cumulative_hazard", CONFIRMATION_12, "progression"),
    _BY,
    rule=_confirmation_rule(CONFIRMATION_12),
    words="progression independent of relapses (PIRA)",
    sentence=_share_sentence("progression independent of relapses (PIRA)"),
)
GD_LESIONS = Endpoint(
    "gd_lesions",
    "expected gadolinium-enhancing lesions on a T1 scan on the day",
    "number",
    "lesions",
    ("gd_lesion_rate",),
    _gd_lesions,
    (Option("day", "day", "day of the scan (from day 0)", required=True),),
    words="gadolinium-enhancing lesions",
    statistic="mean",
)
NEW_T2_LESIONS = Endpoint(
    "new_t2_lesions",
    "new T2 lesions between from_day and to_day",
    "number",
    "lesions",
    ("new_t2_lesion_rate",),
    _new_t2,
    _WINDOW,
    rule=window_rule("to_day"),
    words="new T2 lesions on MRI",
    statistic="mean",
)
EDSS_CHANGE = Endpoint(
    "edss_change",
    "EDSS change by by_day: confirmed progressions times the EDSS step",
    "number",
    "points",
    ("progression_cumulative_hazard", "edss_step"),
    _edss,
    _BY,
    rule=_confirmation_rule(CONFIRMATION_12),
    words="EDSS change",
    statistic="mean",
)
