"""The files a virtual trial's result folder gets besides its data: figures and the HTML report.

:func:`trial_figures` draws every figure of a :class:`cartsim.trial.TrialResult` (bands of
each kept observable, CRS/ICANS grade shares and Kaplan-Meier curves of the time-to-event
endpoints, per hypothesis); :func:`write_trial_report` writes them as ``figures/*.png`` and
into ``report.html``. ``cartsim run`` passes it to :func:`cartsim.trial.run_trial` as a
finaliser, so the report is written before the folder is completed and an interrupted run
still leaves a complete folder or none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from cartsim.endpoints import ENDPOINTS, EndpointValues
from cartsim.model import Model
from cartsim.report.html_report import write_html_report
from cartsim.report.trial_figures import NamedFigure, band_figure, grade_figure, km_figure
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


def trial_figures(result: TrialResult) -> list[NamedFigure]:
    """Every figure of the report, hypothesis by hypothesis."""
    from cartsim.trial.survival import km_by_arm

    arms = [arm.name for arm in result.scenario.arms]
    names = result.scenario.hypothesis_names
    several = len(names) > 1
    drawn: list[NamedFigure] = []
    observables = sorted(map(str, result.bands.data_vars), key=lambda n: (PREFERRED.index(n) if n in PREFERRED else len(PREFERRED), n))
    for hypothesis in names:
        suffix = f"-{hypothesis}" if several else ""
        under = hypothesis if several else None
        for name in observables:
            if (figure := band_figure(result.bands.sel(hypothesis=hypothesis), name, under)) is not None:
                drawn.append(NamedFigure(_slug(name + suffix), hypothesis, figure))
        for kind, catalogue in (("CRS", "crs_max_grade"), ("ICANS", "icans_max_grade")):
            shares = grade_shares(result, hypothesis, catalogue)
            if shares is not None and len(shares):
                drawn.append(NamedFigure(_slug(f"{kind.lower()}-grades{suffix}"), hypothesis, grade_figure(shares, kind, under)))
        rows = result.endpoints[result.endpoints["hypothesis"] == hypothesis]
        for request in result.scenario.endpoints:
            if ENDPOINTS[request.endpoint].kind != "days":
                continue
            by_arm = {}
            for arm, arm_rows in rows.groupby("arm", sort=False):
                values = arm_rows[request.label].to_numpy(dtype=float)
                if np.isfinite(values).any():
                    by_arm[str(arm)] = EndpointValues(values, arm_rows[f"{request.label}_censored"].to_numpy(dtype=bool))
            if by_arm:
                drawn.append(
                    NamedFigure(_slug(f"km-{request.label}{suffix}"), hypothesis, km_figure(km_by_arm(by_arm), request.label, arms, under))
                )
    return drawn


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
