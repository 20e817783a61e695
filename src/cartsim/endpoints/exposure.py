"""Drug exposure endpoints: Cmax and AUC over one dosing interval, terminal half-life.

They read the serum concentration of the regimen's drug (the therapy that declares a
``concentration`` observable: an anti-CD20 antibody).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Compute, Endpoint, Option, dosing_interval
from cartsim.endpoints.values import TOLERANCE, EndpointContext, Window
from cartsim.errors import InputError

__all__ = ["DRUG_AUC_TAU", "DRUG_CMAX", "DRUG_HALF_LIFE"]

#: Antibody concentrations below this (ug/mL) are solver noise, far below any assay, not fitted.
NEGLIGIBLE_CONCENTRATION = 1e-6
#: Share of the time after the last dose, at its end, used for the terminal log-linear fit.
TERMINAL_FRACTION = 0.5
_DOSE_INDEX = Option("dose_index", "index", "which dose of the drug (from 0, in time order; default the last)")


def _concentration(d: Window, c: EndpointContext) -> tuple[np.ndarray, tuple[float, ...]]:
    if not c.concentration or not c.drug_dose_days:
        raise InputError(
            "regimen", "no drug with a serum concentration", "a regimen with ocrelizumab, rituximab or ofatumumab (drug endpoints)"
        )
    return d.series(c.concentration, "ug/mL", full=True), c.drug_dose_days


def _exposure(auc: bool) -> Compute:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        series, days = _concentration(d, c)
        index = o.get("dose_index")
        if index is not None and index >= len(days):
            raise InputError("endpoint_options.dose_index", index, f"a dose of the drug, 0 to {len(days) - 1}")
        start, end = dosing_interval(days, index, d.horizon)
        if end > d.horizon + TOLERANCE or end <= start:
            raise InputError(
                "horizon_days", d.horizon, f"a horizon of at least day {end:g}, the end of the dosing interval from day {start:g}"
            )
        inside = (d.times > start) & (d.times < end)
        times = np.concatenate([[start], d.times[inside], [end]])
        values = np.column_stack([d.at(series, start), series[:, inside], d.at(series, end)])
        if auc:
            # Antibody doses are infusions or subcutaneous depots: the concentration is continuous at the next dose.
            result = np.sum(0.5 * (values[:, 1:] + values[:, :-1]) * np.diff(times), axis=1)
        else:
            # An output at the next dose's time may already include that dose: it belongs to the next interval.
            next_dose = index is not None and index + 1 < len(days)
            result = np.max(values[:, :-1] if next_dose else values, axis=1)
        return result, np.zeros(result.shape, dtype=bool)

    return compute


def _half_life(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    series, days = _concentration(d, c)
    last = days[-1]
    if last >= d.horizon:
        raise InputError("horizon_days", d.horizon, f"a horizon after the last drug dose (day {last:g})")
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


DRUG_CMAX = Endpoint(
    "drug_cmax_ug_per_mL",
    "highest drug concentration in one dosing interval",
    "number",
    "ug/mL",
    ("drug concentration",),
    _exposure(auc=False),
    (_DOSE_INDEX,),
    needs="antibody",
    horizon_after_last_dose=168.0,
)
DRUG_AUC_TAU = Endpoint(
    "drug_auc_tau_ug_day_per_mL",
    "area under the drug concentration over one dosing interval",
    "number",
    "ug*day/mL",
    ("drug concentration",),
    _exposure(auc=True),
    (_DOSE_INDEX,),
    needs="antibody",
    horizon_after_last_dose=168.0,
)
DRUG_HALF_LIFE = Endpoint(
    "drug_terminal_half_life_days",
    "half-life of the terminal log-linear phase after the last dose",
    "number",
    "day",
    ("drug concentration",),
    _half_life,
    needs="antibody",
    horizon_after_last_dose=168.0,
)
