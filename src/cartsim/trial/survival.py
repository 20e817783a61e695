"""Kaplan-Meier curves, log-rank tests and hazard ratios of time-to-event endpoints.

Every statistic comes from lifelines (``KaplanMeierFitter``, ``logrank_test``,
``CoxPHFitter``); this module only turns :class:`~cartsim.endpoints.values.EndpointValues`
into lifelines' inputs and its outputs into frozen results. A time-to-event value is the
event day or, when censored, the censoring day; patients with NaN values (failed solves)
are dropped and counted. lifelines is imported when first needed, so ``import cartsim``
stays fast.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cartsim.endpoints.values import EndpointValues
from cartsim.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Comparison", "KMCurve", "compare_arms", "kaplan_meier", "km_by_arm", "plot_km"]

#: Confidence level of every interval here.
LEVEL = 0.95
#: Proportional hazards are rejected below this p-value (then no hazard ratio is shown).
PH_LEVEL = 0.05


@dataclass(frozen=True)
class KMCurve:
    """A Kaplan-Meier estimate with pointwise 95% intervals (lifelines' exponential Greenwood).

    Attributes
    ----------
    label
        Name of the arm.
    timeline
        Days at which the estimate steps (starts at day 0); the curve is right-continuous.
    survival, lower, upper
        Survival probability and its 95% interval at each ``timeline`` day.
    median, median_lower, median_upper
        Median time to event (days) and its 95% interval; ``inf`` where not reached.
    n
        Patients used (after dropping NaN values).
    events
        Observed (uncensored) events.
    censor_times
        Censoring days, for censor ticks.
    dropped
        Patients left out because their value was NaN.
    """

    label: str
    timeline: np.ndarray = field(repr=False)
    survival: np.ndarray = field(repr=False)
    lower: np.ndarray = field(repr=False)
    upper: np.ndarray = field(repr=False)
    median: float
    median_lower: float
    median_upper: float
    n: int
    events: int
    censor_times: np.ndarray = field(repr=False)
    dropped: int = 0

    def at(self, days: float | Sequence[float] | np.ndarray) -> np.ndarray:
        """Survival probability at ``days`` (step function, 1 before the first step).

        Parameters
        ----------
        days
            Day or days to read the curve at.

        Returns
        -------
        numpy.ndarray
            Survival probability at each day.
        """
        days = np.atleast_1d(np.asarray(days, dtype=float))
        index = np.searchsorted(self.timeline, days, side="right") - 1
        return np.where(index >= 0, self.survival[np.clip(index, 0, None)], 1.0)


@dataclass(frozen=True)
class Comparison:
    """Arm b against arm a: log-rank test, Cox hazard ratio (b vs a) with its proportional-hazards
    check, and the difference in restricted mean time to event.

    A hazard ratio summarises two arms only when their hazards are proportional; lifelines'
    test on scaled Schoenfeld residuals (rank time transform) checks it. Where it is rejected
    (p < 0.05), or cannot be checked, :meth:`record` leaves the hazard ratio out and the
    restricted mean survival time (RMST) difference up to the horizon speaks instead.

    Attributes
    ----------
    label_a, label_b
        Names of the arms.
    statistic, p_value
        Log-rank chi-square statistic (1 degree of freedom) and its p-value; NaN when no
        patient in either arm had an event.
    hazard_ratio, hr_lower, hr_upper
        Hazard ratio of b relative to a (< 1: b has fewer events) with its 95% interval;
        NaN when it cannot be estimated.
    reason
        Why a value is NaN (None when everything was estimated).
    n_a, n_b, events_a, events_b
        Patients used and observed events in each arm.
    dropped_a, dropped_b
        Patients left out of each arm because their value was NaN.
    ph_p
        p-value of the proportional-hazards test (NaN when it could not be run).
    rmst_difference, rmst_lower, rmst_upper
        RMST of b minus RMST of a up to ``horizon`` (days), with a 95% interval (normal
        approximation from lifelines' variances); NaN without a horizon.
    """

    label_a: str
    label_b: str
    statistic: float
    p_value: float
    hazard_ratio: float
    hr_lower: float
    hr_upper: float
    reason: str | None
    n_a: int
    n_b: int
    events_a: int
    events_b: int
    dropped_a: int = 0
    dropped_b: int = 0
    ph_p: float = math.nan
    rmst_difference: float = math.nan
    rmst_lower: float = math.nan
    rmst_upper: float = math.nan

    @property
    def proportional(self) -> bool:
        """Whether the proportional-hazards check was run and not rejected (p >= 0.05)."""
        return math.isfinite(self.ph_p) and self.ph_p >= PH_LEVEL

    def record(self) -> dict[str, Any]:
        """The comparison as a table row: the hazard ratio only where hazards are proportional, else the RMST difference."""
        shown = self.proportional and math.isfinite(self.hazard_ratio)
        reason = self.reason or ""
        if math.isfinite(self.hazard_ratio) and not self.proportional:
            check = f"rejected, p = {self.ph_p:.2g}" if math.isfinite(self.ph_p) else "could not be run"
            reason = (
                f"hazards not proportional (test {check}): hazard ratio not shown; "
                "the restricted mean time to event up to the horizon compares the arms"
            )
        return {
            "hazard_ratio": self.hazard_ratio if shown else math.nan,
            "hr_lower": self.hr_lower if shown else math.nan,
            "hr_upper": self.hr_upper if shown else math.nan,
            "logrank_p": self.p_value,
            "ph_test_p": self.ph_p,
            "rmst_difference": self.rmst_difference,
            "rmst_lower": self.rmst_lower,
            "rmst_upper": self.rmst_upper,
            "reason": reason,
        }


def _clean(times: Any, events: Any, label: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Times and event flags as arrays, NaN times dropped (and counted); bad input raises."""
    t = np.asarray(times, dtype=float).reshape(-1)
    e = np.asarray(events).reshape(-1)
    if t.shape != e.shape:
        raise InputError(f"{label}.events", f"shape {e.shape}", f"one event flag per time, shape {t.shape}")
    if e.dtype != bool:
        e_float = e.astype(float)
        if np.any((e_float != 0) & (e_float != 1)):
            raise InputError(f"{label}.events", e, "booleans (or 0/1): True where the event was observed")
        e = e_float.astype(bool)
    keep = ~np.isnan(t)
    t, e = t[keep], e[keep]
    if np.any(np.isinf(t)) or np.any(t < 0):
        bad = t[np.isinf(t) | (t < 0)][0]
        raise InputError(f"{label}.times", float(bad), "finite days >= 0 (NaN values are dropped)")
    if t.size == 0:
        raise InputError(f"{label}.times", f"{keep.size} values, none usable", "at least one patient with a non-NaN time")
    return t, e, int(keep.size - t.size)


def _from_values(values: EndpointValues, label: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(values, EndpointValues):
        raise InputError(label, type(values).__name__, "an EndpointValues of a time-to-event endpoint")
    return values.values, ~values.censored


def kaplan_meier(times: Sequence[float] | np.ndarray, events: Sequence[bool] | np.ndarray, label: str = "arm") -> KMCurve:
    """Kaplan-Meier estimate of one arm (lifelines ``KaplanMeierFitter``).

    Parameters
    ----------
    times
        Event day, or censoring day where no event was observed; NaN values are dropped.
    events
        True where the event was observed (``~EndpointValues.censored``).
    label
        Name of the arm.

    Returns
    -------
    KMCurve
        The curve, its 95% band and the median time to event with its 95% interval.

    Raises
    ------
    InputError
        Mismatched shapes, negative or infinite times, or no usable patient.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    t, e, dropped = _clean(times, events, label)
    fitter = KaplanMeierFitter(alpha=1 - LEVEL)
    with warnings.catch_warnings():
        # With no events the interval is degenerate (survival 1); lifelines warns about it.
        warnings.simplefilter("ignore", RuntimeWarning)
        fitter.fit(t, event_observed=e, label=str(label))
        band = fitter.confidence_interval_survival_function_
        median_band = median_survival_times(fitter.confidence_interval_)
    lower = np.nan_to_num(band.iloc[:, 0].to_numpy(dtype=float), nan=1.0)
    upper = np.nan_to_num(band.iloc[:, 1].to_numpy(dtype=float), nan=1.0)
    return KMCurve(
        label=str(label),
        timeline=fitter.survival_function_.index.to_numpy(dtype=float),
        survival=fitter.survival_function_.iloc[:, 0].to_numpy(dtype=float),
        lower=lower,
        upper=upper,
        median=float(fitter.median_survival_time_),
        median_lower=float(median_band.iloc[0, 0]),
        median_upper=float(median_band.iloc[0, 1]),
        n=int(t.size),
        events=int(np.count_nonzero(e)),
        censor_times=np.sort(t[~e]),
        dropped=dropped,
    )


def km_by_arm(values_by_arm: Mapping[str, EndpointValues]) -> dict[str, KMCurve]:
    """Kaplan-Meier curve of each arm, keyed (and labelled) by the arm's name.

    Parameters
    ----------
    values_by_arm
        One time-to-event endpoint's values per arm.

    Returns
    -------
    dict of str to KMCurve
        The curves, in the order of ``values_by_arm``.
    """
    return {name: kaplan_meier(*_from_values(values, name), label=name) for name, values in values_by_arm.items()}


def compare_arms(a: EndpointValues, b: EndpointValues, label_a: str = "a", label_b: str = "b", horizon: float | None = None) -> Comparison:
    """Log-rank test, hazard ratio (with its proportional-hazards check) and RMST difference of arm ``b`` vs arm ``a``.

    The log-rank test is lifelines' ``logrank_test``; the hazard ratio and its 95% interval
    come from a ``CoxPHFitter`` with one covariate, the arm indicator (1 for ``b``), checked
    with ``proportional_hazard_test``; the restricted mean survival times up to ``horizon``
    from ``restricted_mean_survival_time`` of each arm's Kaplan-Meier fit.

    Parameters
    ----------
    a, b
        The same time-to-event endpoint in the two arms.
    label_a, label_b
        Names of the arms (used in messages and the result).
    horizon
        End of follow-up (days) for the restricted mean survival times (None: not computed).

    Returns
    -------
    Comparison
        Test statistic, p-value, hazard ratio with interval; values that cannot be estimated
        are NaN and ``reason`` says why:

        * no events in either arm (everyone censored): no test, no hazard ratio;
        * no events in one arm: the test is reported, the Cox estimate diverges so the hazard
          ratio is NaN;
        * the Cox fit fails to converge: the hazard ratio is NaN.

    Raises
    ------
    InputError
        Not EndpointValues, negative or infinite times, or an arm with no usable patient.
    """
    from lifelines.statistics import logrank_test

    ta, ea, dropped_a = _clean(*_from_values(a, label_a), label_a)
    tb, eb, dropped_b = _clean(*_from_values(b, label_b), label_b)
    counts = dict(
        n_a=int(ta.size), n_b=int(tb.size), events_a=int(ea.sum()), events_b=int(eb.sum()), dropped_a=dropped_a, dropped_b=dropped_b
    )
    nan = math.nan
    if counts["events_a"] + counts["events_b"] == 0:
        reason = "no events in either arm (all patients censored): log-rank test and hazard ratio undefined"
        return Comparison(label_a, label_b, nan, nan, nan, nan, nan, reason, **counts)
    result = logrank_test(ta, tb, event_observed_A=ea, event_observed_B=eb)
    statistic, p_value = float(result.test_statistic), float(result.p_value)
    rmst = _rmst_difference(ta, ea, tb, eb, horizon) if horizon is not None else (nan, nan, nan)
    empty = [label for label, events in ((label_a, counts["events_a"]), (label_b, counts["events_b"])) if events == 0]
    if empty:
        reason = f"no events in arm {empty[0]!r}: the hazard ratio is not estimable (Cox estimate diverges)"
        return Comparison(
            label_a,
            label_b,
            statistic,
            p_value,
            nan,
            nan,
            nan,
            reason,
            **counts,
            ph_p=nan,
            rmst_difference=rmst[0],
            rmst_lower=rmst[1],
            rmst_upper=rmst[2],
        )
    hr, lower, upper, ph_p, cox_problem = _cox_hazard_ratio(ta, ea, tb, eb)
    return Comparison(
        label_a,
        label_b,
        statistic,
        p_value,
        hr,
        lower,
        upper,
        cox_problem,
        **counts,
        ph_p=ph_p,
        rmst_difference=rmst[0],
        rmst_lower=rmst[1],
        rmst_upper=rmst[2],
    )


def _rmst_difference(ta: np.ndarray, ea: np.ndarray, tb: np.ndarray, eb: np.ndarray, horizon: float) -> tuple[float, float, float]:
    """RMST(b) - RMST(a) up to ``horizon`` with a 95% normal-approximation interval (lifelines)."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time
    from scipy.stats import norm

    means, variances = [], []
    for t, e in ((ta, ea), (tb, eb)):
        fitter = KaplanMeierFitter().fit(t, event_observed=e)
        with warnings.catch_warnings():
            # lifelines integrates the step function numerically for the variance; SciPy warns about the steps.
            warnings.simplefilter("ignore")
            mean, variance = restricted_mean_survival_time(fitter, t=horizon, return_variance=True)
        means.append(float(mean))
        variances.append(float(variance))
    difference = means[1] - means[0]
    half = norm.ppf(0.5 + LEVEL / 2) * math.sqrt(max(variances[0] + variances[1], 0.0))
    return difference, difference - half, difference + half


def _cox_hazard_ratio(ta: np.ndarray, ea: np.ndarray, tb: np.ndarray, eb: np.ndarray) -> tuple[float, float, float, float, str | None]:
    """Hazard ratio of b vs a with 95% interval from a one-covariate Cox model, and the proportional-hazards test's p."""
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning
    from lifelines.statistics import proportional_hazard_test

    frame = pd.DataFrame(
        {
            "time": np.concatenate([ta, tb]),
            "event": np.concatenate([ea, eb]).astype(int),
            "arm": np.concatenate([np.zeros(ta.size), np.ones(tb.size)]),
        }
    )
    fitter = CoxPHFitter(alpha=1 - LEVEL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            fitter.fit(frame, duration_col="time", event_col="event")
    except (ConvergenceError, ConvergenceWarning, np.linalg.LinAlgError) as error:
        return math.nan, math.nan, math.nan, math.nan, f"Cox model did not converge ({type(error).__name__}); hazard ratio not estimated"
    log_lower, log_upper = fitter.confidence_intervals_.loc["arm"].to_numpy(dtype=float)
    hr = float(fitter.hazard_ratios_["arm"])
    if not (math.isfinite(hr) and math.isfinite(log_lower) and math.isfinite(log_upper)):
        return math.nan, math.nan, math.nan, math.nan, "Cox model gave a non-finite hazard ratio; not estimated"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ph_p = float(proportional_hazard_test(fitter, frame, time_transform="rank").p_value[0])
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
        ph_p = math.nan
    return hr, math.exp(log_lower), math.exp(log_upper), ph_p, None


def plot_km(
    curves: Mapping[str, KMCurve] | Sequence[KMCurve],
    ax: Axes | None = None,
    *,
    ci: bool = True,
    censor_ticks: bool = True,
    ylabel: str = "probability event-free",
) -> Axes:
    """Step plot of Kaplan-Meier curves with their 95% bands.

    Parameters
    ----------
    curves
        Curves to draw (a mapping such as :func:`km_by_arm`'s result, or a sequence).
    ax
        Axes to draw on; a new figure when None.
    ci
        Shade each curve's 95% band.
    censor_ticks
        Mark censoring days with ``|`` ticks on the curve.
    ylabel
        Label of the y axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    import matplotlib.pyplot as plt

    items = list(curves.values()) if isinstance(curves, Mapping) else list(curves)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.2))
    for curve in items:
        if not isinstance(curve, KMCurve):
            raise InputError("curves", type(curve).__name__, "KMCurve objects (see kaplan_meier, km_by_arm)")
        median = "not reached" if math.isinf(curve.median) else f"{curve.median:.0f} d"
        (line,) = ax.step(curve.timeline, curve.survival, where="post", label=f"{curve.label} (n={curve.n}, median {median})")
        if ci:
            ax.fill_between(curve.timeline, curve.lower, curve.upper, step="post", color=line.get_color(), alpha=0.2, linewidth=0)
        if censor_ticks and curve.censor_times.size:
            ax.plot(curve.censor_times, curve.at(curve.censor_times), linestyle="none", marker="|", markersize=8, color=line.get_color())
    ax.set_xlabel("days")
    ax.set_ylabel(ylabel)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(left=0)
    if items:
        ax.legend(loc="best", frameon=False)
    return ax
