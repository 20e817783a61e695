"""The files a virtual trial's result folder gets besides its data: figures and the HTML report.

:func:`trial_view` adapts a :class:`cartsim.trial.TrialResult` to what the report and
figure writers read (the endpoint table with 95% intervals, CRS/ICANS grade shares per arm,
Kaplan-Meier curves of the time-to-event endpoints); :func:`write_trial_report` writes
``report.html`` and ``figures/*.png`` into a result folder. ``cartsim run`` passes it to
:func:`cartsim.trial.run_trial` as a finaliser, so the report is written before the folder
is completed and an interrupted run still leaves a complete folder or none.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from cartsim.endpoints import ENDPOINTS, EndpointValues
from cartsim.report.html_report import write_html_report
from cartsim.report.trial_figures import band_figure, grade_figure, km_figure

__all__ = ["trial_view", "write_trial_report"]


def _grades(endpoints: pd.DataFrame, column: str) -> pd.DataFrame | None:
    if column not in endpoints:
        return None
    counts = pd.crosstab(endpoints["arm"], endpoints[column].round().astype("Int64"), normalize="index")
    return counts.reindex(columns=range(5), fill_value=0.0)


def _km(endpoints: pd.DataFrame, scenario: Any) -> dict[str, dict[str, Any]]:
    from cartsim.trial.survival import km_by_arm

    curves = {}
    for request in scenario.endpoints:
        if ENDPOINTS[request.endpoint].kind != "days" or f"{request.label}_censored" not in endpoints:
            continue
        by_arm = {}
        for arm, rows in endpoints.groupby("arm", sort=False):
            values = rows[request.label].to_numpy(dtype=float)
            if np.isfinite(values).any():
                by_arm[str(arm)] = EndpointValues(values, rows[f"{request.label}_censored"].to_numpy(dtype=bool))
        if by_arm:
            curves[request.label] = km_by_arm(by_arm)
    return curves


def trial_view(result: Any) -> SimpleNamespace:
    """What the report writers read, from a :class:`~cartsim.trial.TrialResult`."""
    summary = result.summary_table.rename(columns={"low": "lower", "high": "upper"})
    endpoints = result.endpoints
    labels = {r.endpoint: r.label for r in result.scenario.endpoints}
    return SimpleNamespace(
        scenario=result.scenario,
        summary=summary,
        bands=result.bands,
        crs_grades=_grades(endpoints, labels.get("crs_max_grade", "crs_max_grade")),
        icans_grades=_grades(endpoints, labels.get("icans_max_grade", "icans_max_grade")),
        km=_km(endpoints, result.scenario),
        comparisons=result.comparisons(),
        provenance=result.provenance,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "figure"


def write_trial_report(result: Any, folder: Path, model: Any = None) -> Path:
    """Write ``report.html`` and ``figures/*.png`` for ``result`` into ``folder``."""
    view = trial_view(result)
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    arms = [arm.name for arm in result.scenario.arms]
    drawn = [(name, band_figure(view.bands, name)) for name in map(str, view.bands.data_vars)]
    drawn += [(f"{kind.lower()}-grades", grade_figure(shares, kind)) for kind, shares in (("CRS", view.crs_grades), ("ICANS", view.icans_grades))
              if shares is not None and len(shares)]
    drawn += [(f"km-{endpoint}", km_figure(curves, endpoint, arms)) for endpoint, curves in view.km.items()]
    for name, figure in drawn:
        if figure is not None:
            (figures / f"{_slug(name)}.png").write_bytes(figure.png)
    return write_html_report(view, folder / "report.html", model=model)
