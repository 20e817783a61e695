"""Safety endpoints beyond CRS and ICANS: serious infections and severe neutropenia.

Infections are drawn per patient from the infection module's cumulative hazard
(:mod:`cartsim.endpoints.events`), so the rate and "at least one" agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.events import events_per_year, no_event, window_rule
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, value_text
from cartsim.units import ureg

__all__ = ["SERIOUS_INFECTION", "SERIOUS_INFECTION_RATE", "SEVERE_NEUTROPENIA_DAYS"]

_HAZARD = "infection_cumulative_hazard"
_FROM = Option("from_day", "day", "start of the window", 0.0)


def _infection(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    free, censored = no_event(_HAZARD, "infections")(d, o, c)
    return np.where(np.isnan(free), np.nan, 1.0 - free), censored


def _neutropenia_days(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    level = ureg.Quantity(o["level"]).to("cells/uL").magnitude
    anc = d.series("anc", "cells/uL", full=True)
    d.at(anc, o["to_day"], "to_day")  # the window must reach the day
    inside = (d.times >= o["from_day"]) & (d.times <= o["to_day"])
    below = (anc[:, inside] < level).astype(float)
    times = d.times[inside]
    days = np.sum(0.5 * (below[:, 1:] + below[:, :-1]) * np.diff(times), axis=1) if times.size > 1 else np.zeros(len(anc))
    return np.where(d.ok, days, np.nan), np.zeros(days.shape, dtype=bool)


def _rate_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    return f"The model predicts about {value_text(row)} serious infections per 100 patient-years."


def _share_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    if not str(row.get("statistic", "")).startswith("fraction"):
        return None
    return f"About {value_text(row)} of virtual patients had at least one serious infection in the window."


SERIOUS_INFECTION_RATE = Endpoint(
    "serious_infection_rate",
    "serious infections (needing hospital care or intravenous antibiotics) per 100 patient-years between from_day and to_day",
    "number",
    "per 100 patient-years",
    (_HAZARD,),
    events_per_year(_HAZARD, "infections", per=100.0),
    (_FROM, Option("to_day", "day", "end of the counting window", required=True)),
    rule=window_rule("to_day"),
    words="serious infections per 100 patient-years",
    sentence=_rate_sentence,
    statistic="mean",
)
SERIOUS_INFECTION = Endpoint(
    "serious_infection",
    "at least one serious infection between from_day and by_day",
    "boolean",
    "1",
    (_HAZARD,),
    _infection,
    (_FROM, Option("by_day", "day", "end of the window", required=True)),
    rule=window_rule("by_day"),
    words="having a serious infection",
    sentence=_share_sentence,
)
SEVERE_NEUTROPENIA_DAYS = Endpoint(
    "severe_neutropenia_days",
    "days with neutrophils below the level (grade 4 neutropenia at 500 cells/uL) between from_day and to_day",
    "number",
    "day",
    ("anc",),
    _neutropenia_days,
    (
        _FROM,
        Option("to_day", "day", "end of the window", required=True),
        Option("level", "quantity", "neutrophil count below which a day counts", "500 cells/uL", unit="cells/uL"),
    ),
    rule=window_rule("to_day"),
    words="days of severe neutropenia",
    statistic="mean",
)
