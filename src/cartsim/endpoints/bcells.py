"""B-cell endpoints: depletion, recovery and the naive share of returning B cells."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below
from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.values import TOLERANCE, EndpointContext, Window, event_times
from cartsim.endpoints.wording import ArmWords, finite, share, value_text
from cartsim.errors import InputError
from cartsim.units import ureg

__all__ = ["BCELL_DEPLETION", "BCELL_NAIVE_FRACTION", "BCELL_RECOVERY"]

#: B cells below this (cells/uL, one cell per mL) leave the naive fraction undefined.
NEGLIGIBLE_BCELLS = 1e-3


def _threshold(default: str) -> Option:
    return Option("threshold", "quantity", "B-cell level that counts as depleted", default, unit="cells/uL")


def _depletion(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    threshold = ureg.Quantity(o["threshold"]).to("cells/uL").magnitude
    return event_times(first_day_below(d.series("bcells_blood", "cells/uL"), d.times[d.window], threshold), 0.0, d.horizon)


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
    return event_times(recovered, origin, d.horizon, applicable=~np.isnan(depleted))


def _naive_fraction(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    total = d.at(d.series("bcells_blood", "cells/uL", full=True), o["day"])
    naive = d.at(d.series("bcells_naive_blood", "cells/uL", full=True), o["day"])
    fraction = np.where(total > NEGLIGIBLE_BCELLS, naive / np.where(total > 0, total, 1.0), np.nan)
    return fraction, np.zeros(fraction.shape, dtype=bool)


def _depletion_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    reached = share(row)
    if reached is not None and reached <= 0.5:
        return f"B cells fell below 10 cells per microlitre in only {reached:.0%} of virtual patients."
    who = "virtual patients" if reached is None else ("almost all virtual patients" if reached >= 0.9 else "most virtual patients")
    latest = row.get("upper", row.get("high"))
    if finite(latest) and float(latest) <= 0:
        # Depleted from the start (by earlier doses): "after about 0 days (95% interval 0 to 0)" would say it badly.
        return f"B cells in the blood were already below 10 cells per microlitre (depleted) at the start for {who}" + (
            f" ({reached:.0%})." if reached is not None else "."
        )
    return f"B cells in the blood fell below 10 cells per microlitre (depleted) after about {value_text(row, ' days')} for {who}" + (
        f" ({reached:.0%})." if reached is not None else "."
    )


def _recovery_sentence(row: Mapping[str, Any], arm: ArmWords) -> str | None:
    reached = share(row)
    if reached is not None and reached <= 0.5:
        if arm.repeated_drug:
            return (
                f"For most virtual patients B cells stayed low while the repeated {arm.repeated_drug} doses continued, "
                f"through {arm.end}; they came back in {reached:.0%}."
            )
        return f"For most virtual patients B cells had not come back by {arm.end}; they came back in {reached:.0%}."
    return f"B cells came back after about {value_text(row, ' days')}" + (
        f"; {reached:.0%} of virtual patients had B cells back before {arm.end}." if reached is not None else "."
    )


BCELL_DEPLETION = Endpoint(
    "bcell_depletion_day",
    "first day blood CD19+ B cells are below the threshold",
    "days",
    "day",
    ("bcells_blood",),
    _depletion,
    (_threshold("10 cells/uL"),),
    words="how fast B cells fell",
    sentence=_depletion_sentence,
)
BCELL_RECOVERY = Endpoint(
    "bcell_recovery_day",
    "first day, after depletion, that blood B cells are at or above the threshold",
    "days",
    "day",
    ("bcells_blood",),
    _recovery,
    (
        _threshold("10 cells/uL"),
        Option("from", "choice", "count days from day 0 or from the last dose of the regimen", "day0", choices=("day0", "last_dose")),
    ),
    horizon_after_last_dose=730.0,
    words="when B cells came back",
    sentence=_recovery_sentence,
)
BCELL_NAIVE_FRACTION = Endpoint(
    "bcell_naive_fraction",
    "naive share of blood B cells",
    "number",
    "1",
    ("bcells_blood", "bcells_naive_blood"),
    _naive_fraction,
    (Option("day", "day", "day of the measurement (from day 0)", required=True),),
)
