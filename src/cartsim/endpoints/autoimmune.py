"""Endpoints of antibody-mediated autoimmune disease (lupus, NMOSD, myasthenia): flares, remission, score."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.events import event_day, events_per_year, no_event, window_rule
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, share, value_text

__all__ = ["ANNUALIZED_FLARE_RATE", "DISEASE_SCORE_CHANGE", "FLARE_FREE", "FIRST_FLARE_DAY"]

_HAZARD = "flare_cumulative_hazard"


def _first_flare(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    return event_day(d, c, _HAZARD, "flares")


def _score_change(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    score = d.series("disease_score", "1", full=True)
    change = d.at(score, o["day"]) - d.at(score, 0.0)
    return change, np.zeros(change.shape, dtype=bool)


def _flare_free_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    if not str(row.get("statistic", "")).startswith("fraction"):
        return None
    return f"About {value_text(row)} of virtual patients had no flare of their disease by the day measured."


def _first_flare_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    reached = share(row)
    if reached is not None and reached <= 0.5:
        return f"Most virtual patients had no flare of their disease by {arm.end}; {reached:.0%} had one."
    return f"The first flare came after about {value_text(row, ' days')}."


def _score_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    return f"The clinical score changed by about {value_text(row, ' points')} from its value before treatment."


ANNUALIZED_FLARE_RATE = Endpoint(
    "annualized_flare_rate",
    "flares (attacks) per year between from_day and to_day",
    "number",
    "1/year",
    (_HAZARD,),
    events_per_year(_HAZARD, "flares"),
    (Option("from_day", "day", "start of the counting window", 0.0), Option("to_day", "day", "end of the counting window", required=True)),
    rule=window_rule("to_day"),
    words="flares per year",
    statistic="mean",
)
FLARE_FREE = Endpoint(
    "flare_free",
    "no flare (attack) between from_day and by_day: drug-free remission when no other treatment is given",
    "boolean",
    "1",
    (_HAZARD,),
    no_event(_HAZARD, "flares"),
    (
        Option("from_day", "day", "start of the window (e.g. once remission is reached)", 0.0),
        Option("by_day", "day", "day up to which the patient must stay flare-free", required=True),
    ),
    rule=window_rule("by_day"),
    words="staying free of flares",
    sentence=_flare_free_sentence,
)
FIRST_FLARE_DAY = Endpoint(
    "first_flare_day",
    "day of the first flare (attack) after day 0",
    "days",
    "day",
    (_HAZARD,),
    _first_flare,
    horizon_after_last_dose=730.0,
    words="how long patients stayed free of flares",
    sentence=_first_flare_sentence,
)
DISEASE_SCORE_CHANGE = Endpoint(
    "disease_score_change",
    "change of the clinical score (MG-ADL in myasthenia) from day 0 to day, in points",
    "number",
    "points",
    ("disease_score",),
    _score_change,
    (Option("day", "day", "day of the assessment (from day 0)", required=True),),
    words="the clinical score",
    sentence=_score_sentence,
)
