r"""MS endpoints: the annualized relapse rate and 12-week confirmed disability progression.

Both draw random events from the model's cumulative hazards, each from its own
counter-based stream keyed by ``(seed, patient id)`` (the key of
:func:`cartsim.population.patient_normals`, in a separate block of the counter), so a
patient's events do not depend on the batch or on other endpoints:

- relapses in a window: :math:`N \sim \mathrm{Poisson}(H_r(t_1) - H_r(t_0))`;
- progression: :math:`E \sim \mathrm{Exp}(1)`, event at the first :math:`t` with
  :math:`H_p(t) \ge E`; confirmed 12 weeks (84 days) later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.values import EndpointContext, Window, patient_draws
from cartsim.endpoints.wording import ArmWords, value_text
from cartsim.errors import InputError

__all__ = ["ANNUALIZED_RELAPSE_RATE", "CDP12"]

CONFIRMATION_DAYS = 84.0
DAYS_PER_YEAR = 365.25
#: Counter block of each endpoint's random stream (block 0 is the parameter draws).
STREAMS = {"annualized_relapse_rate": 1, "cdp12": 2}


def _ids(d: Window, c: EndpointContext) -> np.ndarray:
    ids = np.asarray(d.dataset["patient"].values if c.patient_ids is None else c.patient_ids)
    if ids.shape != (d.ok.size,):
        raise InputError("patient_ids", f"{ids.size} ids", f"one id per simulated patient ({d.ok.size})")
    return ids


def _relapse_rate(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    hazard = d.series("relapse_cumulative_hazard", "1", full=True)
    expected = np.clip(d.at(hazard, o["to_day"], "to_day") - d.at(hazard, o["from_day"], "from_day"), 0.0, None)
    mean = np.nan_to_num(expected, nan=0.0)
    counts = patient_draws(c.seed, _ids(d, c), STREAMS["annualized_relapse_rate"], lambda g, i: g.poisson(mean[i]))
    years = (o["to_day"] - o["from_day"]) / DAYS_PER_YEAR
    return np.where(np.isfinite(expected), counts / years, np.nan), np.zeros(counts.shape, dtype=bool)


def _cdp12(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    hazard = d.series("progression_cumulative_hazard", "1", full=True)
    d.at(hazard, o["by_day"], "by_day")  # the window must reach by_day
    # Non-decreasing from day 0, so "first time H >= E is at most by_day - 84" is "H(by_day - 84) >= E".
    since = np.where(d.times[None, :] >= 0, hazard - d.at(hazard, 0.0)[:, None], 0.0)
    since = np.maximum.accumulate(np.nan_to_num(since, nan=0.0), axis=1)
    reached = d.at(since, o["by_day"] - CONFIRMATION_DAYS, "by_day")
    threshold = patient_draws(c.seed, _ids(d, c), STREAMS["cdp12"], lambda g, i: g.standard_exponential())
    confirmed = np.where(d.ok, (reached >= threshold).astype(float), np.nan)
    return confirmed, np.zeros(confirmed.shape, dtype=bool)


def _window_rule(options: Mapping[str, Any], field: str) -> None:
    if options["to_day"] <= options["from_day"]:
        raise InputError(f"{field}.to_day", options["to_day"], f"a day after from_day ({options['from_day']:g})")


def _confirmation_rule(options: Mapping[str, Any], field: str) -> None:
    if options["by_day"] < CONFIRMATION_DAYS:
        raise InputError(
            f"{field}.by_day", options["by_day"], f"a day >= {CONFIRMATION_DAYS:g} (progression must be confirmed 12 weeks later)"
        )


def _relapse_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    return f"On average the model predicts about {value_text(row)} relapses per patient per year."


def _cdp_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    if not str(row.get("statistic", "")).startswith("fraction"):
        return None
    return f"About {value_text(row)} of virtual patients had disability progression confirmed over 12 weeks."


ANNUALIZED_RELAPSE_RATE = Endpoint(
    "annualized_relapse_rate",
    "relapses per year between from_day and to_day",
    "number",
    "1/year",
    ("relapse_cumulative_hazard",),
    _relapse_rate,
    (Option("from_day", "day", "start of the counting window", 0.0), Option("to_day", "day", "end of the counting window", required=True)),
    rule=_window_rule,
    words="relapses per year",
    sentence=_relapse_sentence,
)
CDP12 = Endpoint(
    "cdp12",
    "12-week confirmed disability progression by by_day",
    "boolean",
    "1",
    ("progression_cumulative_hazard",),
    _cdp12,
    (Option("by_day", "day", "day by which progression must be confirmed", required=True),),
    rule=_confirmation_rule,
    words="confirmed disability progression",
    sentence=_cdp_sentence,
)
