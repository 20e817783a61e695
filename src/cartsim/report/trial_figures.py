"""Figures of a virtual trial for the HTML report, each returned as PNG bytes with alt text.

Bands (median and 5-95 % over virtual patients, per arm) come from ``result.bands``, an
xarray Dataset with dimensions ``(arm, time, quantile)``; grade shares from a DataFrame
(arm x grade); Kaplan-Meier curves from objects with ``timeline``, ``survival``, ``lower``
and ``upper``. Nothing here computes statistics: the trial runner did that.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cartsim.report.common import draw_band, note_floor

__all__ = [
    "ARM_COLOURS",
    "EVERY_HYPOTHESIS",
    "Figure",
    "NamedFigure",
    "band_figure",
    "grade_figure",
    "km_figure",
    "png_bytes",
    "pyplot",
    "reference_lines",
]

#: One colour per arm, in arm order, the same in every figure so a reader can follow an arm.
ARM_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown", "tab:pink", "tab:olive")
#: Inches at DPI: ~585 px wide, two figures side by side on a laptop screen.
SIZE, DPI = (6.5, 3.8), 90
#: Observables spanning more than this ratio (max/min over positive medians) get a log axis.
LOG_SPAN = 100.0


@dataclass(frozen=True)
class Figure:
    """A drawn figure: its caption, the alt text describing it and its PNG bytes."""

    caption: str
    alt: str
    png: bytes


@dataclass(frozen=True)
class NamedFigure:
    """A figure with its file name (without extension) and the hypothesis it shows (:data:`EVERY_HYPOTHESIS` when all draw it alike)."""

    name: str
    hypothesis: str
    figure: Figure


def label_of(name: str, attrs: Mapping[str, Any]) -> str:
    """A readable name for observable ``name``: its description (``long_name``), or the name prettified."""
    text = str(attrs.get("long_name") or name.replace("_", " "))
    return text[:1].upper() + text[1:]


#: The ``hypothesis`` of a figure that every hypothesis of the trial draws alike.
EVERY_HYPOTHESIS = "every hypothesis"


def _under(hypothesis: str | None) -> str:
    if hypothesis == EVERY_HYPOTHESIS:
        return " (the same under every hypothesis)"
    return f" (hypothesis {hypothesis})" if hypothesis else ""


def png_bytes(fig: Any) -> bytes:
    """The figure as PNG bytes (laid out, then closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return buffer.getvalue()


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; the figure goes into the page as bytes
    import matplotlib.pyplot as plt

    return plt


def _quantile(da: Any, q: float) -> np.ndarray:
    return np.asarray(da.sel(quantile=q, method="nearest").values, dtype=float)


def reference_lines(observable: str, units: str) -> list[tuple[float, str]]:
    """Levels worth drawing on a plot of ``observable``: the default thresholds of the endpoints that read it
    (depletion 10 cells/uL, IgG lower limit 7 g/L, CAR-T limit of detection), in the plot's units."""
    from cartsim.endpoints import ENDPOINTS
    from cartsim.units import conversion_factor, split_quantity

    lines: dict[float, str] = {}
    for endpoint in ENDPOINTS.values():
        if endpoint.observables != (observable,) or not units:
            continue
        for option in endpoint.options:
            if option.kind == "quantity" and isinstance(option.default, str):
                value, unit = split_quantity(option.default, option.name, option.default)
                lines.setdefault(round(value * conversion_factor(unit, units), 12), f"{option.description} ({option.default})")
    return sorted(lines.items())


def band_figure(bands: Any, name: str, hypothesis: str | None = None) -> Figure | None:
    """Median and 90 % band of observable ``name`` per arm over time; ``None`` when no arm has it.

    ``bands`` has dimensions ``(arm, time, quantile)`` (one hypothesis, named in the title when given).

    Arms whose band is all zero or missing (no drug in that arm, for example) are left out
    of the plot and named in the alt text, so an empty line does not suggest a value.
    """
    plt = pyplot()
    da = bands[name]
    units = str(da.attrs.get("units", ""))
    units = "" if units == "1" else units  # dimensionless (relative to baseline): no unit to print
    label = label_of(name, da.attrs)
    times = np.asarray(bands["time"].values, dtype=float)
    shown: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []
    for arm in [str(a) for a in bands["arm"].values]:
        arm_da = da.sel(arm=arm)
        low, mid, high = (_quantile(arm_da, q) for q in (0.05, 0.5, 0.95))
        if np.any(np.isfinite(high) & (np.abs(high) > 1e-9)):
            shown.append((arm, low, mid, high))
    if not shown:
        return None
    positive = np.concatenate([m[np.isfinite(m) & (m > 0)] for _, _, m, _ in shown] or [np.empty(0)])
    log = positive.size > 0 and positive.max() / max(positive.min(), 1e-3) > LOG_SPAN
    fig, ax = plt.subplots(figsize=SIZE)
    arms = [str(a) for a in bands["arm"].values]
    floored = False
    for arm, low, mid, high in shown:
        colour = ARM_COLOURS[arms.index(arm) % len(ARM_COLOURS)]
        floored |= draw_band(ax, times, low, mid, high, colour=colour, log=log, band_label=None, median_label=arm)
    references = reference_lines(name, units)
    for value, text in references:
        ax.axhline(value, color="0.35", lw=0.9, ls="--")
        ax.annotate(text, (times[0], value), xytext=(2, 2), textcoords="offset points", fontsize=7, color="0.3")
    floor_note = note_floor(ax, units) if floored else ""
    ax.set_xlabel("day")
    ax.set_ylabel(f"{label} ({units})" if units else label)
    ax.set_title(f"{label}: median and 90% band{_under(hypothesis)}", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    end = times[-1]
    words = [
        f"{arm}: median {mid[-1]:.3g}{' ' + units if units else ''} at day {end:.0f} "
        f"(90% of virtual patients between {low[-1]:.3g} and {high[-1]:.3g})"
        for arm, low, mid, high in shown
    ]
    absent = [a for a in arms if a not in {s[0] for s in shown}]
    alt = (
        f"Line chart of {label.lower()} over time{_under(hypothesis)}, one line (median) and shaded 90% band per arm"
        f"{', log scale' if log else ''}. "
        + "; ".join(words)
        + "."
        + (f" Not present in: {', '.join(absent)}." if absent else "")
        + "".join(f" Dashed line: {text}." for _, text in references)
        + (f" {floor_note[:1].upper()}{floor_note[1:]}." if floor_note else "")
    )
    return Figure(
        f"{label}{f' ({units})' if units else ''}: median (line) and 5-95% band (shaded) over virtual patients{_under(hypothesis)}.",
        alt,
        png_bytes(fig),
    )


def grade_figure(shares: Any, kind: str, hypothesis: str | None = None) -> Figure:
    """Grouped bars: the share of virtual patients at each highest grade (0-4) per arm.

    ``shares`` is a DataFrame indexed by arm with one column per grade.
    """
    plt = pyplot()
    grades = [c for c in shares.columns]
    arms = [str(a) for a in shares.index]
    fig, ax = plt.subplots(figsize=SIZE)
    width = 0.8 / max(len(arms), 1)
    x = np.arange(len(grades))
    for i, arm in enumerate(arms):
        values = shares.loc[arm].to_numpy(dtype=float)
        ax.bar(x + (i - (len(arms) - 1) / 2) * width, values, width, color=ARM_COLOURS[i % len(ARM_COLOURS)], label=arm)
    ax.set_xticks(x, [str(g) for g in grades])
    ax.set_xlabel(f"highest {kind} grade (ASTCT)")
    ax.set_ylabel("share of virtual patients")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{kind}: distribution of the highest grade{_under(hypothesis)}", fontsize=11)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    words = [f"{arm}: " + ", ".join(f"grade {g} {float(shares.loc[arm, g]):.0%}" for g in grades) for arm in arms]
    alt = f"Bar chart of the highest {kind} grade per virtual patient{_under(hypothesis)}. " + "; ".join(words) + "."
    return Figure(f"{kind}: share of virtual patients by highest grade, per arm{_under(hypothesis)}.", alt, png_bytes(fig))


def km_figure(curves: Mapping[str, Any], endpoint: str, arm_order: Sequence[str], hypothesis: str | None = None) -> Figure:
    """Kaplan-Meier curves (with their 95 % bands) of ``endpoint``, one per arm."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    words = []
    for i, (arm, curve) in enumerate(curves.items()):
        index = list(arm_order).index(arm) if arm in arm_order else i
        colour = ARM_COLOURS[index % len(ARM_COLOURS)]
        t = np.asarray(curve.timeline, dtype=float)
        s = np.asarray(curve.survival, dtype=float)
        ax.step(t, s, where="post", color=colour, lw=1.8, label=arm)
        lower, upper = getattr(curve, "lower", None), getattr(curve, "upper", None)
        if lower is not None and upper is not None:
            ax.fill_between(t, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float), step="post", color=colour, alpha=0.15, lw=0)
        if t.size:
            words.append(f"{arm}: {s[-1]:.0%} event-free at day {t[-1]:.0f}")
    ax.set_xlabel("day")
    ax.set_ylabel("share without the event")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Kaplan-Meier: {endpoint.replace('_', ' ')}{_under(hypothesis)}", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    alt = (
        f"Kaplan-Meier step curves of time to {endpoint.replace('_', ' ')} per arm with 95% bands{_under(hypothesis)}. "
        + "; ".join(words)
        + "."
    )
    return Figure(
        f"Kaplan-Meier estimate of time to {endpoint.replace('_', ' ')} (shaded: 95% confidence band){_under(hypothesis)}.",
        alt,
        png_bytes(fig),
    )
