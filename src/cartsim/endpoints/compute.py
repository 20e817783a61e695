r"""Endpoints per virtual patient, computed from a simulation's observables.

The observation window is ``0 <= t <= horizon``: a lead-in before day 0 (lymphodepletion)
is simulated but not observed. Event times (kind ``"days"``) that do not happen within the
window are censored at the horizon. Patients whose solve failed get NaN.

Two endpoints draw random events from the model's cumulative hazards, each from its own
counter-based stream keyed by ``(seed, patient id)`` (the key of
:func:`cartsim.population.patient_normals`, in a separate block of the counter), so a
patient's events do not depend on the batch or on other endpoints:

- relapses in a window: :math:`N \sim \mathrm{Poisson}(H_r(t_1) - H_r(t_0))`;
- progression: :math:`E \sim \mathrm{Exp}(1)`, event at the first :math:`t` with
  :math:`H_p(t) \ge E`; confirmed 12 weeks (84 days) later.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from cartsim.endpoints.catalogue import endpoint_spec, validate_options
from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below
from cartsim.endpoints.values import TOLERANCE, EndpointContext, EndpointValues, Window, observation_window, patient_draws
from cartsim.errors import InputError
from cartsim.units import ureg

__all__ = ["compute_endpoint"]

#: Total IgG lower limit of normal (g/L).
IGG_LLN_G_PER_L = 7.0
#: B cells below this (cells/uL, one cell per mL) leave the naive fraction undefined.
NEGLIGIBLE_BCELLS = 1e-3
#: Antibody concentrations below this (ug/mL) are solver noise, far below any assay, not fitted.
NEGLIGIBLE_CONCENTRATION = 1e-6
#: Share of the time after the last dose, at its end, used for the terminal log-linear fit.
TERMINAL_FRACTION = 0.5
CONFIRMATION_DAYS = 84.0
DAYS_PER_YEAR = 365.25
#: Counter block of each endpoint's random stream (block 0 is the parameter draws).
STREAMS = {"annualized_relapse_rate": 1, "cdp12": 2}


_Endpoint = Callable[[Window, Mapping[str, Any], EndpointContext], tuple[np.ndarray, np.ndarray]]


def _event(day: np.ndarray, origin: float, horizon: float, applicable: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Event times from ``origin``; a missing event is censored at the horizon (unless not applicable)."""
    censored = np.isnan(day) if applicable is None else np.isnan(day) & applicable
    values = np.where(censored, horizon - origin, day - origin)
    return values, censored


def _depletion(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    threshold = ureg.Quantity(o["threshold"]).to("cells/uL").magnitude
    return _event(first_day_below(d.series("bcells_blood", "cells/uL"), d.times[d.window], threshold), 0.0, d.horizon)


def _recovery(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    threshold = ureg.Quantity(o["threshold"]).to("cells/uL").magnitude
    origin = 0.0
    if o["from"] == "last_dose":
        if not c.dose_days:
            raise InputError("endpoint_options.from", "last_dose", "'day0' (the regimen has no doses)")
        origin = c.dose_days[-1]
    # Depletion and recovery are looked for after the origin, so an earlier dip does not count.
    keep = d.times[d.window] >= origin - TOLERANCE
    values, times = d.series("bcells_blood", "cells/uL")[:, keep], d.times[d.window][keep]
    depleted = first_day_below(values, times, threshold)
    recovered = first_day_at_or_above_after(values, times, threshold, depleted)
    # A patient never depleted has no recovery time: NaN, not censored.
    return _event(recovered, origin, d.horizon, applicable=~np.isnan(depleted))


def _naive_fraction(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    total = d.at(d.series("bcells_blood", "cells/uL", full=True), o["day"])
    naive = d.at(d.series("bcells_naive_blood", "cells/uL", full=True), o["day"])
    fraction = np.where(total > NEGLIGIBLE_BCELLS, naive / np.where(total > 0, total, 1.0), np.nan)
    return fraction, np.zeros(fraction.shape, dtype=bool)


def _cart_peak(height: bool) -> _Endpoint:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        values, times = d.series("cart_blood", "cells/uL"), d.times[d.window]
        peak = np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=1)
        index = np.argmax(np.where(np.isnan(values), -np.inf, values), axis=1)
        present = np.isfinite(peak) & (peak > 0)
        if height:
            return np.where(present, peak, np.nan), np.zeros(peak.shape, dtype=bool)
        # A maximum at the last output time may still be rising: censored at the horizon.
        censored = present & (index == times.size - 1)
        return np.where(present, times[index], np.nan), censored

    return compute


def _detectable(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    lod = ureg.Quantity(o["lod"]).to("cells/uL").magnitude
    level = d.at(d.series("cart_blood", "cells/uL", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level >= lod).astype(float)), np.zeros(level.shape, dtype=bool)


def _max_grade(observable: str) -> _Endpoint:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        values = d.series(observable, None)
        grade = np.where(np.isnan(values).any(axis=1), np.nan, np.max(np.nan_to_num(values), axis=1))
        return grade, np.zeros(grade.shape, dtype=bool)

    return compute


def _change(observable: str, unit: str) -> _Endpoint:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        series = d.series(observable, unit, full=True)
        baseline, later = d.at(series, 0.0), d.at(series, o["day"])
        change = np.where(baseline > 0, 100.0 * (later / np.where(baseline > 0, baseline, 1.0) - 1.0), np.nan)
        return change, np.zeros(change.shape, dtype=bool)

    return compute


def _igg_low(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    level = d.at(d.series("igg_total", "g/L", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level < IGG_LLN_G_PER_L).astype(float)), np.zeros(level.shape, dtype=bool)


def _concentration(d: Window, c: EndpointContext) -> tuple[np.ndarray, tuple[float, ...]]:
    if c.antibody is None or not c.antibody_dose_days:
        raise InputError("regimen", "no anti-CD20 antibody", "a regimen with ocrelizumab, rituximab or ofatumumab (drug endpoints)")
    return d.series(f"{c.antibody}_concentration", "ug/mL", full=True), c.antibody_dose_days


def _exposure(auc: bool) -> _Endpoint:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        series, days = _concentration(d, c)
        k = len(days) - 1 if o.get("dose_index") is None else o["dose_index"]
        if k >= len(days):
            raise InputError("endpoint_options.dose_index", k, f"a dose of the antibody, 0 to {len(days) - 1}")
        following = days[k + 1] if k + 1 < len(days) else math.inf
        start, end = days[k], min(following, d.horizon)
        if end <= start:
            raise InputError("endpoint_options.dose_index", k, f"a dose before the horizon (day {d.horizon:g})")
        inside = (d.times > start) & (d.times < end)
        times = np.concatenate([[start], d.times[inside], [end]])
        values = np.column_stack([d.at(series, start), series[:, inside], d.at(series, end)])
        if auc:
            # Antibody doses are infusions or subcutaneous depots: the concentration is continuous at the next dose.
            result = np.sum(0.5 * (values[:, 1:] + values[:, :-1]) * np.diff(times), axis=1)
        else:
            # An output at the next dose's time may already include that dose: it belongs to the next interval.
            result = np.max(values if following > d.horizon else values[:, :-1], axis=1)
        return result, np.zeros(result.shape, dtype=bool)

    return compute


def _half_life(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    series, days = _concentration(d, c)
    last = days[-1]
    if last >= d.horizon:
        raise InputError("horizon_days", d.horizon, f"a horizon after the last antibody dose (day {last:g})")
    start = d.horizon - TERMINAL_FRACTION * (d.horizon - last)
    keep = (d.times >= start - TOLERANCE) & (d.times <= d.horizon + TOLERANCE)
    t, conc = d.times[keep], series[:, keep]
    use = np.isfinite(conc) & (conc > NEGLIGIBLE_CONCENTRATION)
    y = np.log(np.where(use, conc, 1.0))
    n, sx, sy = use.sum(axis=1), (use * t).sum(axis=1), (use * y).sum(axis=1)
    sxx, sxy = (use * t * t).sum(axis=1), (use * t * y).sum(axis=1)
    denominator = n * sxx - sx * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = -(n * sxy - sx * sy) / denominator
        half_life = np.where((n >= 3) & (denominator > 0) & (rate > 0), math.log(2) / rate, np.nan)
    return half_life, np.zeros(half_life.shape, dtype=bool)


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


_COMPUTE: Mapping[str, _Endpoint] = {
    "bcell_depletion_day": _depletion,
    "bcell_recovery_day": _recovery,
    "bcell_naive_fraction": _naive_fraction,
    "cart_peak_day": _cart_peak(height=False),
    "cart_peak_cells_per_uL": _cart_peak(height=True),
    "cart_detectable": _detectable,
    "crs_max_grade": _max_grade("crs_grade"),
    "icans_max_grade": _max_grade("icans_grade"),
    "total_igg_change_pct": _change("igg_total", "g/L"),
    "protective_igg_change_pct": _change("igg_protective", "1"),
    "autoantibody_change_pct": _change("autoantibody", "1"),
    "igg_below_lln": _igg_low,
    "drug_cmax_ug_per_mL": _exposure(auc=False),
    "drug_auc_tau_ug_day_per_mL": _exposure(auc=True),
    "drug_terminal_half_life_days": _half_life,
    "annualized_relapse_rate": _relapse_rate,
    "cdp12": _cdp12,
}


def compute_endpoint(name: str, options: Mapping[str, Any] | None, result: Any, context: EndpointContext = EndpointContext()) -> EndpointValues:
    """Compute endpoint ``name`` for every patient of a simulation.

    Parameters
    ----------
    name
        An endpoint of :data:`cartsim.endpoints.ENDPOINTS`.
    options
        Its options (checked and completed by :func:`~cartsim.endpoints.validate_options`).
    result
        A :class:`~cartsim.Simulation`, or its ``xarray.Dataset`` (``patient`` x ``time`` in days).
    context
        Seed, patient ids, dose days and horizon (:class:`EndpointContext`).

    Returns
    -------
    EndpointValues
        One value per patient (NaN where not available) and whether it is censored.
    """
    endpoint_spec(name)
    checked = validate_options(name, options)
    data = observation_window(result, context.horizon_days)
    values, censored = _COMPUTE[name](data, checked, context)
    return EndpointValues(np.where(data.ok, values, np.nan), censored & data.ok)
