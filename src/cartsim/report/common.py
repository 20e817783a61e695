"""Pieces the validation report and the trial report share: regimen entries in words and
the median-and-band drawing, so both pages describe and draw a scenario the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "LOG_FLOOR",
    "PARAMETER_UNCERTAINTY",
    "PATIENT_SPREAD",
    "SAMPLING_ERROR",
    "describe_entry",
    "draw_band",
    "note_floor",
    "number_text",
    "p_value_text",
]

#: Lowest value drawn on a log axis: B cells and CAR-T fall by orders of magnitude, and a
#: floor keeps a depleted band visible instead of vanishing below the axis.
LOG_FLOOR = 1e-3

# Three kinds of uncertainty, named apart wherever a result shows a range (a 95% interval is easily read as the range
# patients fall in; it is not).
#: Patient-to-patient spread: the bands of the figures.
PATIENT_SPREAD = "Shaded bands: the spread between virtual patients (90% of them lie within, 5th to 95th percentile)."
#: The sampling error of a finite virtual trial: the intervals of the endpoint tables.
SAMPLING_ERROR = (
    "95% intervals: how precisely this virtual trial estimates each value with its finite number of virtual patients "
    "(bootstrap over trial replicates); they narrow as patients are added and are not the spread between patients."
)
#: Parameter uncertainty: not part of a run (yet).
PARAMETER_UNCERTAINTY = (
    "Not included: uncertainty in the model's parameters themselves (each run uses their published or assumed values "
    "and between-patient spread)."
)


def number_text(x: Any) -> str:
    """A value for tables: ``"not reached"`` for an infinite event time, ``"n/a"`` without one, else 3 significant digits
    (whole numbers below 10 million as integers, so days read as days)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "n/a"
    if np.isnan(v):
        return "n/a"
    if np.isinf(v):
        return "not reached" if v > 0 else "-inf"
    return f"{v:.0f}" if v.is_integer() and abs(v) < 1e7 else f"{v:.3g}"


def p_value_text(p: Any) -> str:
    """A p-value as printed: ``"< 0.0001"`` below 1e-4, else two significant digits; ``"n/a"`` without one."""
    try:
        v = float(p)
    except (TypeError, ValueError):
        return "n/a"
    if np.isnan(v):
        return "n/a"
    return "< 0.0001" if v < 1e-4 else f"{v:.2g}"


def describe_entry(entry: Mapping[str, Any]) -> str:
    """One regimen entry (a dict as in a scenario's ``regimen``) in words.

    Parameters
    ----------
    entry
        A regimen entry, e.g. ``{"therapy": "ocrelizumab", "day": 168, "dose": "600 mg",
        "every_days": 168, "count": 3}``.

    Returns
    -------
    str
        E.g. ``"ocrelizumab 600 mg on day 168 (every 168 days x3)"``.
    """
    therapy, day = entry.get("therapy", "?"), entry.get("day", 0)
    if therapy == "flu-cy" and "fludarabine_mg_per_m2" in entry:
        text = (
            f"flu-cy from day {day}: fludarabine {entry['fludarabine_mg_per_m2']} mg/m² x{entry.get('fludarabine_days', 1)} d, "
            f"cyclophosphamide {entry.get('cyclophosphamide_mg_per_m2', '?')} mg/m² x{entry.get('cyclophosphamide_days', 1)} d"
        )
    else:
        text = f"{therapy} {entry['dose']} on day {day}" if "dose" in entry else f"{therapy} from day {day}"
    extras = [f"{entry[k]}" for k in ("product", "costim") if k in entry]
    if "infusion_hours" in entry:
        extras.append(f"{entry['infusion_hours']} h infusion")
    if "every_days" in entry:
        extras.append(f"every {entry['every_days']} days x{entry.get('count', 1)}")
    return text + (f" ({', '.join(extras)})" if extras else "")


def draw_band(
    ax: Any,
    times: np.ndarray,
    low: np.ndarray,
    mid: np.ndarray,
    high: np.ndarray,
    *,
    colour: str,
    log: bool = False,
    band_label: str | None = "simulated 5-95%",
    median_label: str | None = "simulated median",
    alpha: float = 0.2,
    lw: float = 1.8,
) -> bool:
    """Draw a median line and its 5-95 % band onto ``ax``.

    On a log axis values are floored at :data:`LOG_FLOOR` (and the axis set to log), so
    a band that drops to zero stays on the plot; the return value says whether any value was
    floored, so that the caller says so (:func:`note_floor`): no floor is silent.

    Parameters
    ----------
    ax
        A matplotlib Axes.
    times, low, mid, high
        Output times and the 5 %, 50 % and 95 % quantiles at each.
    colour
        Matplotlib colour of both band and line (one colour per arm or per series).
    log
        Log y axis, floored at :data:`LOG_FLOOR`.
    band_label, median_label
        Legend labels; ``None`` keeps the item out of the legend.
    """
    floor = LOG_FLOOR if log else -np.inf
    ax.fill_between(times, np.maximum(low, floor), np.maximum(high, floor), color=colour, alpha=alpha, lw=0, label=band_label)
    ax.plot(times, np.maximum(mid, floor), color=colour, lw=lw, label=median_label)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(bottom=LOG_FLOOR * 0.5)
    return bool(log and np.nanmin(low, initial=np.inf) < LOG_FLOOR)


def note_floor(ax: Any, units: str) -> str:
    """Say on the plot (and return the words, for alt text) that values below the log floor are drawn at it."""
    text = f"values below {LOG_FLOOR:g}{' ' + units if units else ''} are drawn at {LOG_FLOOR:g}"
    ax.annotate(text, (0.99, 0.01), xycoords="axes fraction", ha="right", va="bottom", fontsize=7, color="0.3")
    return text
