"""Statistics of an endpoint over virtual patients, with a bootstrap interval.

``mean``, ``median``, ``sd``, ``quantile:Q``, ``fraction`` (share of true), ``fraction_ge:K``
and ``fraction_le:K`` (share at or above / at or below K), and ``ratio_to:ID``: this target's
values summarised with target ID's statistic, divided by target ID's statistic.

Event times are censored at the horizon only (administrative censoring), so the
Kaplan-Meier estimate is the empirical distribution up to the horizon: a censored time
counts as never happening (+infinity) in ``fraction_*``, and for event times
(``event_times=True``) ``median`` and ``quantile:Q`` are Kaplan-Meier quantiles, the first
time at which the share of patients with the event reaches Q (``inf``, "not reached", when
it never does), as lifelines' ``KaplanMeierFitter.median_survival_time_``. Other values use
NumPy's linear sample quantile. The ``mean`` of a censored time is the mean of the times
capped at the horizon: the restricted mean survival time.

Patients with NaN values (failed solves, undefined values) are left out. The 95% interval is
over virtual-trial replicates: bootstrap resamples of the patients, drawn from a stream
derived from the target's seed, so it is reproducible. Every statistic here has sampling
noise, so every one gets an interval (it collapses to a point when all patients agree).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from cartsim.errors import InputError

__all__ = ["STATISTICS", "Statistic", "bootstrap", "interval", "parse_statistic", "quantiles", "summarise"]

#: Statistic names; those with a ``:`` argument are marked with a trailing colon.
STATISTICS = ("mean", "median", "sd", "quantile:", "fraction", "fraction_ge:", "fraction_le:", "ratio_to:")
#: Virtual-trial replicates for the interval.
REPLICATES = 400
#: Second key word of the bootstrap stream (the first is the target's seed): an id no patient
#: has, so resamples never share random numbers with a patient's stream ``(seed, patient id)``.
BOOTSTRAP_KEY = 2**64 - 1
_ALLOWED = "one of mean, median, sd, quantile:Q (0 < Q < 1), fraction, fraction_ge:K, fraction_le:K, ratio_to:TARGET-ID"


@dataclass(frozen=True)
class Statistic:
    """A parsed statistic: ``name`` and its argument (Q, K, a target id, or None)."""

    name: str
    argument: float | str | None = None

    @property
    def text(self) -> str:
        if self.argument is None:
            return self.name
        argument = f"{self.argument:g}" if isinstance(self.argument, float) else self.argument
        return f"{self.name}:{argument}"


def parse_statistic(text: object, field: str = "statistic") -> Statistic:
    """Parse ``"quantile:0.9"`` and friends; anything else is an :class:`InputError`."""
    if not isinstance(text, str):
        raise InputError(field, text, _ALLOWED)
    name, colon, argument = text.partition(":")
    if not colon:
        if name in ("mean", "median", "sd", "fraction"):
            return Statistic(name)
        raise InputError(field, text, _ALLOWED)
    if name == "ratio_to":
        if not argument:
            raise InputError(field, text, "ratio_to:ID with the id of another target")
        return Statistic(name, argument)
    if name not in ("quantile", "fraction_ge", "fraction_le"):
        raise InputError(field, text, _ALLOWED)
    try:
        value = float(argument)
    except ValueError:
        raise InputError(field, text, f"{name}:<number>, e.g. {name}:{'0.9' if name == 'quantile' else '1'}") from None
    if not math.isfinite(value) or (name == "quantile" and not 0 < value < 1):
        raise InputError(field, text, "quantile:Q with 0 < Q < 1" if name == "quantile" else f"{name}:K with a finite K")
    return Statistic(name, value)


def quantiles(values: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile of each row (linear interpolation, as NumPy's default), ignoring NaN; ``+inf`` allowed.

    A quantile that falls on or next to an infinite value is infinite (not reached); a row of
    NaN only gives NaN. One sort of all rows at once: ``np.nanquantile`` loops over the rows in
    Python, which made the trajectory bands of a trial slower than its solves.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    ordered = np.sort(values, axis=1)  # NaN last
    n = np.count_nonzero(~np.isnan(values), axis=1)
    position = q * np.maximum(n - 1, 0)
    low = np.floor(position).astype(int)
    high = np.ceil(position).astype(int)
    rows = np.arange(values.shape[0])
    a, b, weight = ordered[rows, low], ordered[rows, high], position - low
    with np.errstate(invalid="ignore"):
        # NumPy's own interpolation (its _lerp): from the far end when past half way, so the results agree to the bit.
        between = np.where(weight >= 0.5, b - (b - a) * (1 - weight), a + (b - a) * weight)
        out = np.where(weight == 0, a, np.where(np.isinf(b), np.inf, between))
    return np.where(n > 0, out, np.nan)


def _along(statistic: Statistic, values: np.ndarray, censored: np.ndarray, event_times: bool = False) -> np.ndarray:
    """The statistic of each row of ``values`` (replicates x patients), ignoring NaN."""
    finite = ~np.isnan(values)
    n = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if statistic.name in ("mean", "fraction"):
            return np.where(n > 0, np.nansum(values, axis=1) / n, np.nan)
        if statistic.name in ("fraction_ge", "fraction_le"):
            events = np.where(censored, np.inf, values)  # a censored event never happens
            k = float(statistic.argument)  # type: ignore[arg-type]
            hit = events >= k if statistic.name == "fraction_ge" else events <= k
            return np.where(n > 0, (hit & finite).sum(axis=1) / n, np.nan)
        if n.max(initial=0) == 0:
            return np.full(values.shape[0], np.nan)
        if statistic.name in ("median", "quantile"):
            q = 0.5 if statistic.name == "median" else float(statistic.argument)  # type: ignore[arg-type]
            if event_times:
                events = np.where(censored & ~np.isnan(values), np.inf, values)  # a censored event is not reached
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as intended
                    return np.nanquantile(events, q, axis=1, method="inverted_cdf")
            if statistic.name == "median":
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    return np.nanmedian(values, axis=1)
            return quantiles(values, q)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as intended
            if statistic.name == "sd":
                return np.where(n > 1, np.nanstd(values, axis=1, ddof=1), np.nan)
    raise InputError("statistic", statistic.text, _ALLOWED + " (ratio_to is resolved by the scorecard)")


def summarise(statistic: Statistic, values: np.ndarray, censored: np.ndarray, event_times: bool = False) -> float:
    """The statistic of one set of patients (NaN values left out; NaN when none is left).

    ``event_times``: the values are times to an event (Kaplan-Meier quantiles; see the module docstring).

    Examples
    --------
    >>> summarise(Statistic("median"), np.array([10.0, 20.0, 365.0, 365.0]), np.array([False, False, True, True]), event_times=True)
    20.0
    >>> summarise(Statistic("median"), np.array([10.0, 365.0, 365.0]), np.array([False, True, True]), event_times=True)
    inf
    """
    values = np.asarray(values, dtype=float)
    return float(_along(statistic, values[None, :], np.asarray(censored, dtype=bool)[None, :], event_times)[0])


def bootstrap(
    statistic: Statistic, values: np.ndarray, censored: np.ndarray, seed: int, replicates: int = REPLICATES, event_times: bool = False
) -> np.ndarray:
    """The statistic over ``replicates`` bootstrap resamples of the patients.

    The resamples come from a Philox stream keyed by ``seed`` (the target's seed), so the
    same target gives the same interval. Returns an array of ``replicates`` values.
    """
    values = np.asarray(values, dtype=float)
    censored = np.asarray(censored, dtype=bool)
    if values.size == 0:
        return np.full(replicates, np.nan)
    key = np.array([seed, BOOTSTRAP_KEY], dtype=np.uint64)
    generator = np.random.Generator(np.random.Philox(key=key))
    index = generator.integers(0, values.size, size=(replicates, values.size))
    return _along(statistic, values[index], censored[index], event_times)


def interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    """Central ``level`` interval of replicate statistics (``inf``: not reached), or None when fewer than two have a value."""
    known = replicates[~np.isnan(replicates)]
    if known.size < 2 or not np.isfinite(known).any():
        return None
    tail = (1 - level) / 2
    return float(quantiles(known, tail)[0]), float(quantiles(known, 1 - tail)[0])
