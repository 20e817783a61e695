"""The answer to one question of the web explorer: a virtual trial, in words and figures.

The trial is an ordinary cartsim scenario (:func:`cartsim.web.request.scenario_table`) run by
:func:`cartsim.trial.run_trial`; the words are the trial report's plain-language summary
(:mod:`cartsim.report.plain_summary`), per hypothesis of the immune reset, then what the open
question changes. Figures are Plotly figure specifications (plain JSON), drawn in the browser
by the plotly.js that the plotly package ships.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cartsim.engine import DISCLAIMER
from cartsim.model import Model
from cartsim.report.plain_summary import arm_sentences, by_hypothesis, contrast_parts, hypothesis_contrast, plain_summary
from cartsim.trial import TrialResult, parse_scenario, run_trial
from cartsim.web.request import OUTPUTS, Question, depleted, scenario_table, washout
from cartsim.web.sources import endpoint_sources
from cartsim.web.words import HYPOTHESIS_WORDS, washout_words

__all__ = ["DEFAULT_HYPOTHESIS", "NOT_REACHED", "answer", "scenario_for", "yearly_endpoints"]

#: The hypothesis the figures' bands and the toxicity grades are shown under (the model's default answer).
DEFAULT_HYPOTHESIS = "reset-partial"
#: Colour of each arm, by position (colour-blind safe, Okabe-Ito).
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
#: Points per line of a figure at most (daily outputs are thinned evenly: a browser need not draw thousands).
_POINTS = 400
_DASH = {"reset-none": "dot", "reset-partial": "solid", "reset-full": "dash"}
#: Observable -> (figure title, axis label, log axis).
_TRAJECTORIES = {
    "bcells_blood": ("B cells in blood", "B cells per microlitre", True),
    "cart_blood": ("CAR T cells in blood", "CAR T cells per microlitre", True),
    "igg_total": ("Antibody level (total IgG)", "IgG, g/L", False),
}


def yearly_endpoints(ms_type: str, years: int) -> list[dict[str, Any]]:
    """Per-year risk requests: relapses per year in each year (relapsing MS), or confirmed progression by each year's end."""
    if ms_type == "rrms":
        return [
            {
                "name": f"relapses_year_{k}",
                "endpoint": "annualized_relapse_rate",
                "options": {"from_day": 365 * (k - 1), "to_day": 365 * k},
                "statistic": "mean",
            }
            for k in range(1, years + 1)
        ]
    return [
        {"name": f"progression_by_year_{k}", "endpoint": "cdp24", "options": {"by_day": 365 * k}, "statistic": "fraction"}
        for k in range(1, years + 1)
    ]


def scenario_for(question: Question) -> Any:
    """The checked scenario that answers ``question``: its population's endpoints and the per-year risks."""
    table = scenario_table(question)
    # After a depleting therapy, B-cell return is counted from each option's last dose: the infusion, not the washout before it.
    origin = "last_dose" if depleted(question) else "day0"
    defaults = [
        {**e, "options": {**e.get("options", {}), "from": origin}} if e["endpoint"] == "bcell_recovery_day" else e
        for e in parse_scenario(table).raw["endpoint"]
    ]
    return parse_scenario({**table, "endpoint": [*defaults, *yearly_endpoints(question.situation.ms_type, question.years)]})


def _finite(x: Any) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def _band_figure(result: TrialResult, observable: str) -> dict[str, Any]:
    title, axis, log = _TRAJECTORIES[observable]
    bands = result.bands[observable]
    bands = bands.isel(time=slice(None, None, max(1, bands.sizes["time"] // _POINTS)))
    years = (bands["time"].values / 365.0).round(4).tolist()
    data: list[dict[str, Any]] = []
    for i, arm in enumerate(bands["arm"].values.tolist()):
        colour = _COLOURS[i % len(_COLOURS)]
        low, high = (bands.sel(arm=arm, hypothesis=DEFAULT_HYPOTHESIS, quantile=q).values for q in (0.05, 0.95))
        floor = 1e-2 if log else None
        data.append(
            {
                "x": years,
                "y": _clean(high, floor),
                "mode": "lines",
                "line": {"width": 0},
                "showlegend": False,
                "hoverinfo": "skip",
                "legendgroup": arm,
            }
        )
        data.append(
            {
                "x": years,
                "y": _clean(low, floor),
                "mode": "lines",
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": colour + "33",
                "name": f"{arm}: 90% of patients ({DEFAULT_HYPOTHESIS})",
                "legendgroup": arm,
                "hoverinfo": "skip",
            }
        )
        for hypothesis in bands["hypothesis"].values.tolist():
            median = bands.sel(arm=arm, hypothesis=hypothesis, quantile=0.5).values
            data.append(
                {
                    "x": years,
                    "y": _clean(median, floor),
                    "mode": "lines",
                    "line": {"color": colour, "dash": _DASH.get(hypothesis, "solid")},
                    "name": f"{arm}, {hypothesis}: median",
                    "legendgroup": arm,
                }
            )
    layout = {
        "title": {"text": title},
        "xaxis": {"title": {"text": "years from today"}},
        "yaxis": {"title": {"text": axis}, "type": "log" if log else "linear"},
        "legend": {"orientation": "h"},
        "margin": {"t": 40, "l": 60, "r": 10},
    }
    return {"data": data, "layout": layout}


def _clean(values: np.ndarray, floor: float | None) -> list[float | None]:
    """JSON numbers: NaN as null, and values below ``floor`` raised to it (a log axis cannot show zero)."""
    out = np.asarray(values, dtype=float)
    if floor is not None:
        out = np.where(out < floor, floor, out)
    return [None if not math.isfinite(v) else round(float(v), 6) for v in out]


def _risk_figure(result: TrialResult, ms_type: str) -> dict[str, Any]:
    summary = result.summary_table
    prefix = "relapses_year_" if ms_type == "rrms" else "progression_by_year_"
    rows = summary[summary["endpoint"].astype(str).str.startswith(prefix)]
    data = []
    for i, arm in enumerate(dict.fromkeys(rows["arm"])):
        for hypothesis in dict.fromkeys(rows["hypothesis"]):
            part = rows[(rows["arm"] == arm) & (rows["hypothesis"] == hypothesis)]
            years = [int(str(e).removeprefix(prefix)) for e in part["endpoint"]]
            value = [_finite(v) for v in part["value"]]
            data.append(
                {
                    "x": years,
                    "y": value,
                    "error_y": {
                        "type": "data",
                        "symmetric": False,
                        "array": [_gap(v, _finite(h)) for h, v in zip(part["high"], value, strict=True)],
                        "arrayminus": [_gap(_finite(lo), v) for lo, v in zip(part["low"], value, strict=True)],
                    },
                    "mode": "lines+markers",
                    "line": {"color": _COLOURS[i % len(_COLOURS)], "dash": _DASH.get(str(hypothesis), "solid")},
                    "name": f"{arm}, {hypothesis}",
                }
            )
    if ms_type == "rrms":
        title, axis = "Relapses per year, year by year", "relapses per patient-year (mean, 95% interval)"
    else:
        title, axis = "Confirmed disability progression", "share of patients with progression confirmed over 24 weeks"
    layout = {
        "title": {"text": title},
        "xaxis": {"title": {"text": "year from today"}, "dtick": 1},
        "yaxis": {"title": {"text": axis}, "rangemode": "tozero"},
        "legend": {"orientation": "h"},
        "margin": {"t": 40, "l": 60, "r": 10},
    }
    return {"data": data, "layout": layout}


def _gap(low: float | None, high: float | None) -> float:
    """Length of an error bar from ``low`` to ``high`` (0 where either is unknown)."""
    return 0.0 if low is None or high is None else high - low


def _grade_figure(result: TrialResult, endpoint: str, title: str) -> dict[str, Any]:
    table = result.endpoints
    table = table[table["hypothesis"] == DEFAULT_HYPOTHESIS]
    data = []
    for i, arm in enumerate(dict.fromkeys(table["arm"])):
        grades = table.loc[table["arm"] == arm, endpoint].dropna().to_numpy()
        shares = [float(np.mean(grades == g)) if grades.size else None for g in range(5)]
        data.append(
            {
                "type": "bar",
                "x": [f"grade {g}" for g in range(5)],
                "y": shares,
                "name": str(arm),
                "marker": {"color": _COLOURS[i % len(_COLOURS)]},
            }
        )
    layout = {
        "title": {"text": title},
        "barmode": "group",
        "yaxis": {"title": {"text": "share of patients (highest grade)"}, "range": [0, 1]},
        "legend": {"orientation": "h"},
        "margin": {"t": 40, "l": 60, "r": 10},
    }
    return {"data": data, "layout": layout}


def _sentences(result: TrialResult) -> dict[str, Any]:
    scenario = result.scenario
    treatments = {arm.name: arm.treatment for arm in scenario.arms}
    summary = result.summary_table
    general = summary[~summary["endpoint"].astype(str).str.contains("_year_")]  # the yearly risks are the figure's
    paragraphs = by_hypothesis(general, treatments, scenario.hypothesis_names, scenario.horizon_days)
    # The same sentences one by one, each with its endpoint: the page links every number to what stands behind it.
    detail = {}
    for h in scenario.hypothesis_names:
        arms = arm_sentences(general[general["hypothesis"] == h], treatments, scenario.horizon_days)
        detail[h] = {
            "arms": [{"arm": arm, "sentences": [{"endpoint": e, "text": t} for e, t in lines]} for arm, lines in arms.items()],
            "comparisons": paragraphs[h][len(arms) :],
        }
    return {
        "by_hypothesis": paragraphs,
        "detail": detail,
        "contrast": hypothesis_contrast(general),
        "contrast_parts": [{"arm": arm, "decides": d, "alike": a} for arm, (d, a) in contrast_parts(general).items()],
        "caveat": plain_summary(summary.iloc[0:0], {}, scenario.horizon_days)[-1],
    }


def _sources(result: TrialResult, models: list[Model]) -> list[dict[str, Any]]:
    from cartsim.parameters.bibliography import references_for

    users = result.scenario.cited_keys(result.scenario.model(), models)
    return [{"key": r.key, "citation": r.format(), "used_for": list(users[r.key])} for r in references_for(users)]


#: How an event nobody reached (an infinite median day) is written in JSON, which has no infinity.
NOT_REACHED = "not reached"


def _json_value(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return NOT_REACHED if v == math.inf else _finite(v)
    return v.item() if isinstance(v, np.generic) else v


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as JSON values: NaN as null, +inf as :data:`NOT_REACHED`."""
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def answer(question: Question) -> tuple[dict[str, Any], TrialResult]:
    """Run the virtual trial that answers ``question``: the answer (JSON-ready) and the trial result."""
    scenario = scenario_for(question)
    result = run_trial(scenario)
    models = scenario.cohort_models(scenario.model())  # once, for the sources and the sources by endpoint
    days = washout(question)
    ms_type = question.situation.ms_type
    figures = {name: _band_figure(result, name) for name in _TRAJECTORIES if name in OUTPUTS[ms_type]}
    figures["risk"] = _risk_figure(result, ms_type)
    figures["crs"] = _grade_figure(result, "crs_max_grade", "Cytokine release syndrome (CRS), highest grade")
    figures["icans"] = _grade_figure(result, "icans_max_grade", "Neurotoxicity (ICANS), highest grade")
    failed = result.endpoints[result.endpoints["status"] != 0] if "status" in result.endpoints else result.endpoints.iloc[0:0]
    return (
        {
            "question": question.model_dump(),
            "arms": [arm.name for arm in scenario.arms],
            "hypotheses": [
                {"name": h.name, "words": HYPOTHESIS_WORDS.get(h.name, h.description), "description": h.description, "source": h.source}
                for h in scenario.hypotheses
            ],
            "default_hypothesis": DEFAULT_HYPOTHESIS,
            "washout_day": days,
            "washout": washout_words(question, days),
            "sentences": _sentences(result),
            "figures": figures,
            "summary": _records(result.summary_table),
            "failed_patients": int(len(failed)),
            "scenario_toml": scenario.text,
            "sources": _sources(result, models),
            "sources_by_endpoint": endpoint_sources(scenario, models),
            "disclaimer": DISCLAIMER,
        },
        result,
    )
