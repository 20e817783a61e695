r"""Random clinical events drawn per patient from a model's cumulative hazards.

Each process (relapses, progression, flares, ...) is a Poisson process in the model's
cumulative hazard :math:`H`: a patient's events sit at :math:`H(t) = E_1, E_1 + E_2, \dots` with
:math:`E_k \sim \mathrm{Exp}(1)` drawn from the process's own counter-based stream keyed by
``(seed, patient id)``, in a counter block of its own. So a patient's events do not depend
on the batch, the horizon or other endpoints, counts in different windows come from the same events (a relapse counted in year
two is not drawn again for year three), and endpoints of one process agree with each other
(12- and 24-week confirmed progression and PIRA share the first progression event, so PIRA
or 24-week confirmation implies 12-week confirmation; a flare-free year has no flare counted
in it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.values import EndpointContext, Window, patient_draws
from cartsim.errors import InputError

__all__ = [
    "DAYS_PER_YEAR",
    "STREAMS",
    "event_by",
    "event_count",
    "event_day",
    "events_per_year",
    "no_event",
    "patient_ids_of",
    "window_rule",
]

#: Counter block of each stream (parameter draws have keys of their own, in block
#: ``cartsim.population.sampling.PARAMETER_BLOCK``).
STREAMS = {"relapses": 1, "progression": 2, "flares": 4, "new_t2": 5, "infections": 6}
DAYS_PER_YEAR = 365.25

Compute = Callable[[Window, Mapping[str, Any], EndpointContext], "tuple[np.ndarray, np.ndarray]"]


def patient_ids_of(d: Window, c: EndpointContext) -> np.ndarray:
    """The ids of the simulated patients (the context's, else the dataset's)."""
    ids = np.asarray(d.dataset["patient"].values if c.patient_ids is None else c.patient_ids)
    if ids.shape != (d.ok.size,):
        raise InputError("patient_ids", f"{ids.size} ids", f"one id per simulated patient ({d.ok.size})")
    return ids


def _since_day0(d: Window, observable: str) -> np.ndarray:
    """The cumulative hazard from day 0 on, non-decreasing (full time grid)."""
    hazard = d.series(observable, "1", full=True)
    since = np.where(d.times[None, :] >= 0, hazard - d.at(hazard, 0.0)[:, None], 0.0)
    return np.maximum.accumulate(np.nan_to_num(since, nan=0.0), axis=1)


def _count_between(generator: np.random.Generator, low: float, high: float) -> int:
    """Events of the unit-rate process with cumulative position in (low, high]."""
    position, count = 0.0, 0
    while True:
        position += generator.standard_exponential()
        if position > high:
            return count
        count += position > low


def event_count(d: Window, c: EndpointContext, observable: str, start: float, end: float, stream: str) -> np.ndarray:
    """Events per patient between ``start`` and ``end`` (from the process's events); NaN for failed solves."""
    since = _since_day0(d, observable)
    low, high = d.at(since, max(start, 0.0), "from_day"), d.at(since, end, "to_day")
    counts = patient_draws(c.seed, patient_ids_of(d, c), STREAMS[stream], lambda g, i: _count_between(g, low[i], high[i]))
    return np.where(d.ok, counts, np.nan)


def event_by(d: Window, c: EndpointContext, observable: str, day: float, confirmation: float, stream: str) -> np.ndarray:
    """1.0 where the first event (from day 0) happened by ``day - confirmation`` (confirmed by ``day``), else 0.0."""
    since = _since_day0(d, observable)
    d.at(since, day, "by_day")  # the window must reach the day
    reached = d.at(since, day - confirmation, "by_day")
    threshold = patient_draws(c.seed, patient_ids_of(d, c), STREAMS[stream], lambda g, i: g.standard_exponential())
    return np.where(d.ok, (reached >= threshold).astype(float), np.nan)


def event_day(d: Window, c: EndpointContext, observable: str, stream: str) -> tuple[np.ndarray, np.ndarray]:
    """Day of the first event from day 0 (censored at the horizon when it does not happen)."""
    since = _since_day0(d, observable)[:, d.window]
    times = d.times[d.window]
    threshold = patient_draws(c.seed, patient_ids_of(d, c), STREAMS[stream], lambda g, i: g.standard_exponential())
    hit = since >= threshold[:, None]
    happened = hit.any(axis=1)
    day = np.where(happened, times[np.argmax(hit, axis=1)], d.horizon)
    return np.where(d.ok, day, np.nan), ~happened & d.ok


def events_per_year(observable: str, stream: str, per: float = 1.0) -> Compute:
    """An endpoint computation: events between ``from_day`` and ``to_day`` per ``per`` patient-years."""

    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        counts = event_count(d, c, observable, o["from_day"], o["to_day"], stream)
        return counts * per / ((o["to_day"] - o["from_day"]) / DAYS_PER_YEAR), np.zeros(counts.shape, dtype=bool)

    return compute


def no_event(observable: str, stream: str) -> Compute:
    """An endpoint computation: 1.0 where no event happened between ``from_day`` and ``by_day``, else 0.0."""

    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        counts = event_count(d, c, observable, o["from_day"], o["by_day"], stream)
        free = np.where(np.isnan(counts), np.nan, (counts == 0).astype(float))
        return free, np.zeros(free.shape, dtype=bool)

    return compute


def window_rule(end: str) -> Callable[[Mapping[str, Any], str], None]:
    """An option rule: the window's ``end`` option must come after ``from_day``."""

    def rule(options: Mapping[str, Any], field: str) -> None:
        if options[end] <= options["from_day"]:
            raise InputError(f"{field}.{end}", options[end], f"a day after from_day ({options['from_day']:g})")

    return rule
