"""The files a virtual trial's result folder gets besides its data: figures and the HTML report.

:func:`trial_figures` draws every figure of a :class:`cartsim.trial.TrialResult` (bands of
each kept observable, CRS/ICANS grade shares and Kaplan-Meier curves of the time-to-event
endpoints; drawn once when every hypothesis gives the same numbers, else per hypothesis);
:func:`write_trial_report` writes them as ``figures/*.png`` and
into ``report.html``. ``cartsim run`` passes it to :func:`cartsim.trial.run_trial` as a
finaliser, so the report is written before the folder is completed and an interrupted run
still leaves a complete folder or none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cartsim.endpoints import ENDPOINTS, EndpointValues
from cartsim.model import Model
from cartsim.report.html_report import write_html_report
from cartsim.report.trial_figures import EVERY_HYPOTHESIS, Figure, NamedFigure, band_figure, grade_figure, km_figure
from cartsim.trial import Scenario, TrialResult, run_trial

__all__ = ["grade_shares", "run_and_report", "trial_figures", "write_trial_report"]

#: Observables drawn first, in the order the question is usually asked; others follow.
PREFERRED = (
    "bcells_blood",
    "cart_blood",
    "ocrelizumab_concentration",
    "rituximab_concentration",
    "ofatumumab_concentration",
    "igg_total",
    "autoreactive_memory_relative",
    "autoantibody",
)


def grade_shares(result: TrialResult, hypothesis: str, catalogue: str) -> pd.DataFrame | None:
    """Share of patients per arm at each highest grade (0-4) of a grade endpoint, or None when not requested."""
    label = next((r.label for r in result.scenario.endpoints if r.endpoint == catalogue), None)
    if label is None:
        return None
    rows = result.endpoints[result.endpoints["hypothesis"] == hypothesis]
    counts = pd.crosstab(rows["arm"], rows[label].round().astype("Int64"), normalize="index")
    return counts.reindex(index=[a.name for a in result.scenario.arms], columns=range(5), fill_value=0.0)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "figure"


def _alike(values: Sequence[Any]) -> bool:
    """Whether every hypothesis gave the same numbers (to well within the solver's tolerance)."""
    arrays = [np.asarray(v, dtype=float) for v in values]
    return all(a.shape == arrays[0].shape and np.allclose(a, arrays[0], rtol=1e-4, atol=1e-9, equal_nan=True) for a in arrays[1:])


def _km_data(result: TrialResult, hypothesis: str, label: str) -> dict[str, EndpointValues]:
    rows = result.endpoints[result.endpoints["hypothesis"] == hypothesis]
    by_arm = {}
    for arm, arm_rows in rows.groupby("arm", sort=False):
        values = arm_rows[label].to_numpy(dtype=float)
        if np.isfinite(values).any():
            by_arm[str(arm)] = EndpointValues(values, arm_rows[f"{label}_censored"].to_numpy(dtype=bool))
    return by_arm


def _band_numbers(bands: Any, name: str) -> Any:
    return bands[name].values


def _band_drawing(bands: Any, under: str | None, name: str) -> Figure | None:
    return band_figure(bands, name, under)


def _grade_numbers(shares: pd.DataFrame) -> np.ndarray:
    return shares.to_numpy(dtype=float)


def _grade_drawing(shares: pd.DataFrame, under: str | None, kind: str) -> Figure:
    return grade_figure(shares, kind, under)


def _km_numbers(curves: dict[str, EndpointValues]) -> np.ndarray:
    return np.concatenate([np.r_[v.values, v.censored] for v in curves.values()]) if curves else np.zeros(0)


def _km_drawing(curves: dict[str, EndpointValues], under: str | None, label: str, arms: list[str]) -> Figure | None:
    from cartsim.trial.survival import km_by_arm

    return km_figure(km_by_arm(curves), label, arms, under) if curves else None


def trial_figures(result: TrialResult) -> list[NamedFigure]:
    """Every figure of the report: those every hypothesis draws alike once, then the others hypothesis by hypothesis."""
    arms = [arm.name for arm in result.scenario.arms]
    names = result.scenario.hypothesis_names
    several = len(names) > 1
    shared: list[NamedFigure] = []
    apart: dict[str, list[NamedFigure]] = {h: [] for h in names}

    def add(name: str, data: dict[str, Any], numbers: Callable[[Any], Any], draw: Callable[[Any, str | None], Figure | None]) -> None:
        if several and _alike([numbers(d) for d in data.values()]):
            if (figure := draw(data[names[0]], EVERY_HYPOTHESIS)) is not None:
                shared.append(NamedFigure(_slug(name), EVERY_HYPOTHESIS, figure))
            return
        for hypothesis, d in data.items():
            if (figure := draw(d, hypothesis if several else None)) is not None:
                apart[hypothesis].append(NamedFigure(_slug(f"{name}-{hypothesis}" if several else name), hypothesis, figure))

    observables = sorted(map(str, result.bands.data_vars), key=lambda n: (PREFERRED.index(n) if n in PREFERRED else len(PREFERRED), n))
    for name in observables:
        bands = {h: result.bands.sel(hypothesis=h) for h in names}
        add(name, bands, partial(_band_numbers, name=name), partial(_band_drawing, name=name))
    for kind, catalogue in (("CRS", "crs_max_grade"), ("ICANS", "icans_max_grade")):
        shares = {h: grade_shares(result, h, catalogue) for h in names}
        if any(s is not None and len(s) for s in shares.values()):
            add(f"{kind.lower()}-grades", shares, _grade_numbers, partial(_grade_drawing, kind=kind))
    for request in result.scenario.endpoints:
        if ENDPOINTS[request.endpoint].kind != "days":
            continue
        curves = {h: _km_data(result, h, request.label) for h in names}
        if any(curves.values()):
            add(f"km-{request.label}", curves, _km_numbers, partial(_km_drawing, label=request.label, arms=arms))
    return shared + [f for h in names for f in apart[h]]


def write_trial_report(result: TrialResult, folder: Path, model: Model) -> Path:
    """Write ``figures/*.png`` and ``report.html`` for ``result`` (run on ``model``) into ``folder``."""
    figures = trial_figures(result)
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    for named in figures:
        (target / f"{named.name}.png").write_bytes(named.figure.png)
    return write_html_report(result, folder / "report.html", model, figures)


def run_and_report(
    scenario: Scenario, out: Path, *, resume: bool = False, progress: Callable[[int, int], None] | None = None
) -> TrialResult:
    """Run ``scenario`` on its model into the result folder ``out``, with figures and ``report.html`` (all or nothing)."""
    model = scenario.model()
    return run_trial(
        scenario,
        out,
        model=model,
        resume=resume,
        progress=progress,
        finalise=lambda result, folder: write_trial_report(result, folder, model),
    )
