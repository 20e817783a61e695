"""One figure per validation target: the simulated trajectories with the observation drawn in.

:func:`figure_data` reduces a target's :class:`~cartsim.Simulation` to what its figure shows
(median and 5-95 % band over the virtual patients of the observable behind the endpoint), so
the report keeps kilobytes per target instead of every patient's trajectories.
:func:`draw_figure` draws that data with the target's scorecard row: a trajectory panel
chosen by the kind of endpoint, with the observed value and its accept range where they sit
on the simulated scale, and a panel of the statistic itself (observed, simulated with its 95 %
interval, accept range), which every target gets whatever its endpoint.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cartsim.endpoints import ENDPOINTS, EndpointValues
from cartsim.engine import Simulation
from cartsim.report.common import LOG_FLOOR, draw_band, note_floor
from cartsim.units import ureg
from cartsim.validation import Row, Target

__all__ = ["Band", "FigureData", "draw_figure", "figure_data"]

#: Width x height in inches; at DPI the page shows it at ~900 px, readable without zooming.
SIZE = (10.0, 4.0)
DPI = 90
OBSERVED, ACCEPT, SIMULATED = "black", "tab:green", "tab:blue"
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Band:
    """Median and 5-95 % band of one quantity over the virtual patients, per output time."""

    label: str
    times: np.ndarray
    low: np.ndarray
    mid: np.ndarray
    high: np.ndarray
    log: bool = False
    mean: np.ndarray | None = None


@dataclass(frozen=True)
class FigureData:
    """What a target's figure shows: trajectory bands, or per-patient grades for CRS/ICANS."""

    bands: tuple[Band, ...]
    grades: np.ndarray | None = None
    patients: int = 0


#: Days from onset to confirmation of the endpoints that confirm an event.
CONFIRMATION = {"cdp12": 84.0, "pira": 84.0, "edss_change": 84.0, "cdp24": 168.0}


def _family(endpoint: str) -> str:
    """Endpoints drawn alike share a family, from what they read."""
    if endpoint.startswith(("crs_", "icans_")):
        return "grade"
    observable = ENDPOINTS[endpoint].observables[0]
    if observable.endswith("_cumulative_hazard"):
        return "hazard"
    if endpoint.endswith("_change_pct"):
        return "change"
    return {"bcells_blood": "bcell", "cart_blood": "cart", "drug concentration": "drug", "igg_total": "igg"}.get(observable, "level")


def _band(label: str, times: np.ndarray, values: np.ndarray, log: bool = False, mean: bool = False) -> Band:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a time where every patient failed is NaN, as it should be
        low, mid, high = np.nanpercentile(values, [5, 50, 95], axis=0)
        average = np.nanmean(values, axis=0) if mean else None
    return Band(label, times, low, mid, high, log, average)


def figure_data(target: Target, simulation: Simulation, values: EndpointValues) -> FigureData:
    """Reduce ``simulation`` (of ``target``) to the bands its figure draws."""
    family, times, ok = _family(target.endpoint), simulation.times, simulation.ok
    if family == "grade":
        return FigureData((), values.values[np.isfinite(values.values)], int(ok.sum()))

    def series(name: str) -> tuple[np.ndarray, str]:
        return simulation[name].values[ok], str(simulation[name].attrs.get("units", ""))

    day0 = int(np.argmin(np.abs(times)))  # outputs are daily from a whole day, so day 0 is one of them
    bands: list[Band] = []
    if family == "bcell":
        b, unit = series("bcells_blood")
        bands.append(_band(f"blood B cells ({unit})", times, b, log=True))
        if target.endpoint == "bcell_naive_fraction":
            naive, _ = series("bcells_naive_blood")
            with np.errstate(divide="ignore", invalid="ignore"):
                bands.append(_band("naive share of blood B cells", times, np.where(b > 1e-3, naive / b, np.nan)))
    elif family == "cart":
        v, unit = series("cart_blood")
        bands.append(_band(f"CAR-T cells in blood ({unit})", times, v, log=True))
    elif family == "change":
        name = ENDPOINTS[target.endpoint].observables[0]
        v, _ = series(name)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = 100.0 * (v / v[:, day0 : day0 + 1] - 1.0)
        bands.append(_band(f"{name.replace('_', ' ')}: change from day 0 (%)", times, change))
    elif family == "igg":
        v, unit = series("igg_total")
        bands.append(_band(f"total IgG ({unit})", times, v))
    elif family == "drug":
        name = f"{target.treatment.antibody}_concentration"
        v, unit = series(name)
        bands.append(_band(f"{target.treatment.antibody} ({unit})", times, v, log=True))
    elif family == "hazard":
        name = ENDPOINTS[target.endpoint].observables[0]
        v, _ = series(name)
        # Event rates and shares are means over patients: the mean hazard is what they follow.
        what = name.removesuffix("_cumulative_hazard").replace("_", " ")
        bands.append(_band(f"{what} cumulative hazard since day 0", times, v - v[:, day0 : day0 + 1], mean=True))
    else:
        name = ENDPOINTS[target.endpoint].observables[0]
        v, unit = series(name)
        label = simulation[name].attrs.get("long_name") or name.replace("_", " ")
        cells = unit.startswith("cells")  # cell counts span decades: a log axis
        bands.append(_band(f"{label}{f' ({unit})' if unit not in ('', '1') else ''}", times, v, log=cells, mean=not cells))
    return FigureData(tuple(bands), None, int(ok.sum()))


def _draw_band(ax: Any, band: Band) -> None:
    if draw_band(ax, band.times, band.low, band.mid, band.high, colour=SIMULATED, log=band.log):
        note_floor(ax, "")
    if band.mean is not None:
        floor = LOG_FLOOR if band.log else -np.inf
        ax.plot(band.times, np.maximum(band.mean, floor), color=SIMULATED, lw=1.4, ls="-.", label="simulated mean")
    ax.set_xlabel("day")
    ax.set_ylabel(band.label)
    ax.grid(alpha=0.3)


def _on_scale(target: Target, row: Row) -> bool:
    """Whether observed and simulated are values of the endpoint itself (not shares or ratios)."""
    return target.statistic.name in ("mean", "median", "quantile") and math.isfinite(row.simulated)


def _mark_days(ax: Any, target: Target, row: Row, origin: float) -> None:
    """An event-time statistic as vertical lines: observed, accept range and simulated."""
    low, high = row.accept
    ax.axvspan(origin + low, origin + high, color=ACCEPT, alpha=0.15, label="accept range")
    ax.axvline(origin + row.observed, color=OBSERVED, lw=1.5, label=f"observed {target.statistic.text}")
    ax.axvline(origin + row.simulated, color=SIMULATED, lw=1.5, ls="--", label=f"simulated {target.statistic.text}")


def _mark_point(ax: Any, target: Target, row: Row, day: float) -> None:
    """A value measured on one day: observed with the accept range, simulated (beside it) with its interval."""
    low, high = row.accept
    left, right = ax.get_xlim()
    shift = 0.02 * (right - left)  # simulated beside observed, so neither hides the other
    ax.vlines(day, low, high, color=ACCEPT, lw=7, alpha=0.45, label="accept range", zorder=4)
    ax.plot([day], [row.observed], "D", color=OBSERVED, ms=7, zorder=5, label=f"observed {target.statistic.text}")
    if row.interval is not None:
        ax.errorbar(
            [day + shift],
            [row.simulated],
            yerr=[[row.simulated - row.interval[0]], [row.interval[1] - row.simulated]],
            fmt="o",
            color=SIMULATED,
            capsize=4,
            ms=6,
            zorder=6,
            label=f"simulated {target.statistic.text} [95%]",
        )


def _mark(axes: list[Any], target: Target, row: Row, data: FigureData) -> None:
    """Draw the observation onto the trajectory panels, where it has a place there."""
    family, o, ax = _family(target.endpoint), target.endpoint_options, axes[0]
    on_scale = _on_scale(target, row)
    if family == "bcell":
        if "threshold" in o:
            threshold = ureg.Quantity(o["threshold"]).to("cells/uL").magnitude
            ax.axhline(threshold, color="grey", ls=":", lw=1.2, label=f"threshold {o['threshold']}")
            origin = target.treatment.dose_days[-1] if o.get("from") == "last_dose" else 0.0
            if on_scale:
                _mark_days(ax, target, row, origin)
            if target.endpoint == "bcell_depletion_day":  # depletion takes days, the horizon months: show the days
                ax.set_xlim(data.bands[0].times[0] - 1.0, min(target.horizon_days, max(3.0 * row.accept[1], 28.0)))
        else:  # naive fraction: measured on one day, drawn on the naive-share panel
            ax.axvline(o["day"], color="grey", ls=":", lw=1.2, label=f"day {o['day']:g}")
            if on_scale:
                _mark_point(axes[1], target, row, o["day"])
    elif family == "cart":
        if target.endpoint == "cart_detectable":
            ax.axhline(ureg.Quantity(o["lod"]).to("cells/uL").magnitude, color="grey", ls=":", label=f"limit of detection {o['lod']}")
            ax.axvline(o["day"], color="grey", ls="--", lw=1, label=f"day {o['day']:g}")
        elif on_scale and target.endpoint == "cart_peak_day":
            _mark_days(ax, target, row, 0.0)
        elif on_scale:
            ax.axhspan(*row.accept, color=ACCEPT, alpha=0.15, label="accept range")
            ax.axhline(row.observed, color=OBSERVED, lw=1.5, label=f"observed {target.statistic.text} peak")
            ax.axhline(row.simulated, color=SIMULATED, lw=1.5, ls="--", label=f"simulated {target.statistic.text} peak")
    elif family == "change":
        ax.axhline(0.0, color="grey", lw=0.8)
        if on_scale:
            _mark_point(ax, target, row, o["day"])
        else:
            ax.axvline(o["day"], color="grey", ls="--", lw=1, label=f"day {o['day']:g}")
    elif family == "igg":
        ax.axhline(7.0, color="grey", ls=":", label="lower limit of normal 7 g/L")
        ax.axvline(o["day"], color="grey", ls="--", lw=1, label=f"day {o['day']:g}")
    elif family == "drug":
        days = target.treatment.antibody_dose_days
        if target.endpoint == "drug_terminal_half_life_days":
            horizon = target.horizon_days
            ax.axvspan(horizon - 0.5 * (horizon - days[-1]), horizon, color="grey", alpha=0.15, label="terminal fit window")
        else:
            k = len(days) - 1 if o.get("dose_index") is None else int(o["dose_index"])
            end = min(days[k + 1] if k + 1 < len(days) else math.inf, target.horizon_days)
            ax.axvspan(days[k], end, color="grey", alpha=0.15, label=f"dosing interval (dose {k})")
            if on_scale and target.endpoint == "drug_cmax_ug_per_mL":
                ax.fill_between([days[k], end], *row.accept, color=ACCEPT, alpha=0.25, label="accept range")
                ax.hlines(row.observed, days[k], end, color=OBSERVED, lw=1.5, label=f"observed {target.statistic.text} Cmax")
    elif family == "hazard" and "to_day" in o:  # events counted in a window: a rate
        start, stop = o["from_day"], o["to_day"]
        ax.axvspan(start, stop, color="grey", alpha=0.08, label="counting window")
        if on_scale:
            t = np.linspace(start, stop, 50)
            band = data.bands[0]
            base = float(np.interp(start, band.times, band.mid if band.mean is None else band.mean))
            years = (t - start) / DAYS_PER_YEAR
            ax.fill_between(
                t, base + row.accept[0] * years, base + row.accept[1] * years, color=ACCEPT, alpha=0.2, label="accept range (rate)"
            )
            ax.plot(t, base + row.observed * years, color=OBSERVED, lw=1.5, label=f"observed {row.observed:g} events/year")
    elif family == "hazard" and "by_day" in o:  # an event (confirmed) by a day, or none in a window
        if o.get("from_day"):
            ax.axvline(o["from_day"], color="grey", ls="--", lw=1, label=f"from_day {o['from_day']:g}")
        confirmation = CONFIRMATION.get(target.endpoint, 0.0)
        if confirmation:
            ax.axvline(
                o["by_day"] - confirmation, color="grey", ls="--", lw=1, label=f"by_day - {confirmation:g} d: last onset confirmed in time"
            )
        ax.axvline(o["by_day"], color="grey", ls=":", lw=1, label=f"by_day {o['by_day']:g}")
    elif family == "level" and "day" in o:
        ax.axvline(o["day"], color="grey", ls="--", lw=1, label=f"day {o['day']:g}")
        if target.endpoint == "ocb_present":
            ax.axhline(o["detection"], color="grey", ls=":", lw=1.2, label=f"detection limit {o['detection']:g} of baseline")
        elif target.endpoint == "cart_csf_detectable":
            ax.axhline(ureg.Quantity(o["lod"]).to("cells/uL").magnitude, color="grey", ls=":", label=f"limit of detection {o['lod']}")
        elif on_scale:
            _mark_point(ax, target, row, o["day"])


def _draw_grades(ax: Any, target: Target, row: Row, grades: np.ndarray) -> None:
    """The simulated grade distribution, with the share at or above each grade."""
    g = np.arange(6)
    n = max(grades.size, 1)
    ax.bar(g, [np.sum(grades == k) / n for k in g], color=SIMULATED, alpha=0.35, label="simulated: max grade = g")
    ax.plot(g[1:], [np.sum(grades >= k) / n for k in g[1:]], "o-", color=SIMULATED, label="simulated: max grade >= g")
    if target.statistic.name in ("fraction_ge", "fraction_le") and math.isfinite(row.simulated):
        k = float(target.statistic.argument)  # type: ignore[arg-type]
        _mark_point(ax, target, row, k)
    kind = "CRS" if target.endpoint.startswith("crs") else "ICANS"
    ax.set_xticks(g)
    ax.set_xlabel(f"ASTCT {kind} grade g")
    ax.set_ylabel("share of virtual patients")
    ax.set_ylim(0, 1.05)
    ax.grid(alpha=0.3, axis="y")


def _draw_statistic(ax: Any, target: Target, row: Row) -> None:
    """Observed and simulated statistic side by side, with the accept range; the numbers are the tick labels."""
    low, high = row.accept
    ax.axhspan(low, high, color=ACCEPT, alpha=0.2)
    ax.text(-0.55, high, f"accept [{low:.3g}, {high:.3g}]", va="top", ha="left", fontsize=7, color="darkgreen")
    colour = SIMULATED if row.passed else "tab:red"
    finite = math.isfinite(row.simulated)
    ax.bar([0, 1], [row.observed, row.simulated if finite else 0.0], color=["0.55", colour], width=0.6)
    simulated = f"{row.simulated:.3g}" if finite else "n/a"
    if row.interval is not None and finite:
        ax.errorbar(
            [1],
            [row.simulated],
            yerr=[[row.simulated - row.interval[0]], [min(row.interval[1], 1e300) - row.simulated]],
            fmt="none",
            ecolor="black",
            capsize=6,
        )
    if row.interval is not None:
        simulated += f"\n[{row.interval[0]:.3g}, {row.interval[1]:.3g}]"
    ax.set_xticks([0, 1], [f"observed\n{row.observed:.3g}", f"simulated\n{simulated}"], fontsize=8)
    unit = ENDPOINTS[target.endpoint].unit
    scale = "share" if target.statistic.name.startswith("fraction") else ("ratio" if target.statistic.name == "ratio_to" else unit)
    ax.set_ylabel(f"{target.statistic.text} of {target.endpoint}" + (f" ({scale})" if scale not in ("1", "") else ""), fontsize=8)
    ax.set_title("pass" if row.passed else ("error" if row.error else "FAIL"), color="tab:green" if row.passed else "tab:red", fontsize=11)
    ax.set_xlim(-0.6, 1.6)
    shown = [v for v in (low, high, row.observed, row.simulated, *(row.interval or ()), 0.0) if math.isfinite(v)]
    top, bottom = max(shown), min(shown)  # an interval that is not reached ("inf") runs off the top
    span = (top - bottom) or 1.0
    ax.set_ylim(bottom - 0.05 * span, top + 0.12 * span)  # room for the accept label
    ax.grid(alpha=0.3, axis="y")


def draw_figure(target: Target, row: Row, data: FigureData, path: Path) -> Path:
    """Draw ``target``'s figure (trajectories or grades, and the statistic) to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = max(len(data.bands), 1)
    ratios = [2.4] * panels + [1.0 if panels == 1 else 1.4]
    fig, axes = plt.subplots(1, panels + 1, figsize=SIZE, gridspec_kw={"width_ratios": ratios})
    if data.grades is not None:
        _draw_grades(axes[0], target, row, data.grades)
    else:
        for ax, band in zip(axes, data.bands, strict=False):
            _draw_band(ax, band)
        _mark(list(axes[:panels]), target, row, data)
    for ax in axes[:panels]:
        ax.legend(fontsize=7, loc="best")
    _draw_statistic(axes[-1], target, row)
    fig.suptitle(f"{target.id}: simulated vs observed", fontsize=12, fontweight="bold")
    shown = "grades" if data.grades is not None else "bands: 5-95% over patients"
    fig.text(
        0.5,
        0.005,
        f"{data.patients} virtual patients ({target.population.name}); {shown}. Research tool, not medical advice.",
        ha="center",
        va="bottom",
        fontsize=7,
        color="0.35",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
