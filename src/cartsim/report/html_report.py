"""One self-contained HTML page per virtual trial: question, hypotheses, scenario, plots, endpoints, sources.

The page has no external resources (figures are base64 PNG ``data:`` URIs, CSS is inline,
there is no JavaScript), so it can be mailed, archived or opened offline and shows the same.
It is written from a typed :class:`cartsim.trial.TrialResult`, the model it ran on and its
figures (:func:`cartsim.report.trial_report.trial_figures`). Where the scenario names several
hypotheses, every summary, table and figure is given per hypothesis, and the page says that
those results depend on an open question.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cartsim.endpoints import ENDPOINTS
from cartsim.engine import DISCLAIMER
from cartsim.model import Model
from cartsim.report.common import PARAMETER_UNCERTAINTY, PATIENT_SPREAD, SAMPLING_ERROR, describe_entry, number_text, p_value_text
from cartsim.report.plain_summary import by_hypothesis, hypothesis_contrast, plain_summary
from cartsim.report.trial_figures import Figure, NamedFigure
from cartsim.trial import TrialResult

__all__ = ["write_html_report"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:1240px;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}
h1{font-size:1.7rem;margin:.3rem 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.question{font-size:1.2rem;color:#333}
.disclaimer{background:#fff4e5;border-left:6px solid #e67700;padding:.7rem 1rem;font-weight:600;margin:1rem 0}
.summary{background:#eef6ff;border-left:6px solid #1864ab;padding:.4rem 1rem}
.open{background:#f3f0ff;border-left:6px solid #5f3dc4;padding:.4rem 1rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1rem}
figure{margin:0;border:1px solid #e5e5e5;padding:.4rem}figure img{width:100%;height:auto}
figcaption{font-size:.85rem;color:#444}
caption{caption-side:top;text-align:left;font-size:.88rem;color:#444;padding-bottom:.3rem}
pre{background:#f8f9fa;border:1px solid #e5e5e5;padding:.6rem;overflow-x:auto;font-size:.85rem}
footer{margin-top:2rem;font-size:.85rem;color:#555}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _question(names: Sequence[str], population: str) -> str:
    """The question a scenario asks, from its arm names and population."""
    who = f" in virtual patients with {population}"
    if len(names) == 1:
        return f"What does the model predict for {names[0]}{who}?"
    if len(names) == 2:
        return f"How does {names[0]} compare with {names[1]}{who}?"
    return f"How do {', '.join(names[:-1])} and {names[-1]} compare{who}?"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (), caption: str = "") -> str:
    """An HTML table with header cells scoped for screen readers; cells are given already escaped."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if j in numeric else f"<td>{c}</td>" for j, c in enumerate(r)) + "</tr>" for r in rows
    )
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _endpoint_table(summary: pd.DataFrame, several: bool) -> str:
    rows = []
    for r in summary.to_dict("records"):
        spec = ENDPOINTS[str(r["catalogue"])]
        unit = f" ({spec.unit})" if spec.unit not in ("", "1") else ""
        statistic = str(r["statistic"])
        if statistic == "mean" and spec.kind == "days" and r["censored"]:
            statistic = "restricted mean (censored times count as the horizon)"
        interval = "n/a" if number_text(r["low"]) == "n/a" else f"{number_text(r['low'])} to {number_text(r['high'])}"
        cells = [
            _e(r["arm"]),
            f"{_e(r['endpoint'])}{_e(unit)}<br><small>{_e(spec.description)}</small>",
            _e(statistic),
            number_text(r["value"]),
            interval,
            number_text(r["n"]),
            number_text(r["censored"]),
        ]
        rows.append(([_e(r["hypothesis"])] if several else []) + cells)
    headers = (["Hypothesis"] if several else []) + ["Arm", "Endpoint", "Statistic", "Value", "95% interval", "Patients (n)", "Censored"]
    first = 4 if several else 3
    return _table(
        headers,
        rows,
        numeric=tuple(range(first, first + 4)),
        caption=f"Endpoints per arm. {SAMPLING_ERROR} {PARAMETER_UNCERTAINTY} Censored: patients in whom the event did "
        "not happen within the horizon; a median that fewer than half reach reads 'not reached' (Kaplan-Meier).",
    )


def _comparison_table(comparisons: pd.DataFrame, several: bool) -> str:
    """Hazard ratios (where hazards are proportional) or restricted mean differences, and log-rank tests."""
    if not len(comparisons):
        return ""
    rows = []
    for r in comparisons.to_dict("records"):
        hr = "n/a" if number_text(r["hazard_ratio"]) == "n/a" else (f"{r['hazard_ratio']:.3g} ({r['hr_lower']:.3g} to {r['hr_upper']:.3g})")
        rmst = (
            "n/a"
            if number_text(r["rmst_difference"]) == "n/a"
            else (f"{r['rmst_difference']:+.0f} ({r['rmst_lower']:+.0f} to {r['rmst_upper']:+.0f})")
        )
        cells = [
            _e(str(r["endpoint"]).replace("_", " ")),
            _e(f"{r['arm']} vs {r['reference']}"),
            hr,
            p_value_text(r["ph_test_p"]),
            rmst,
            p_value_text(r["logrank_p"]),
            _e(r["reason"] if isinstance(r["reason"], str) else ""),
        ]
        rows.append(([_e(r["hypothesis"])] if several else []) + cells)
    headers = (["Hypothesis"] if several else []) + [
        "Endpoint",
        "Comparison",
        "Hazard ratio (95% interval)",
        "Proportional-hazards test p",
        "Restricted mean difference, days (95% interval)",
        "Log-rank p",
        "Note",
    ]
    caption = (
        "Time-to-event endpoints, each arm against the first (lifelines): the Cox hazard ratio is shown only where the "
        "proportional-hazards test does not reject it (p >= 0.05); the difference in restricted mean time to event up "
        "to the horizon holds either way. Patients without the event are censored at the horizon."
    )
    return _table(headers, rows, caption=caption)


def _figure_html(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{_e(figure.alt)}"><figcaption>{_e(figure.caption)}</figcaption></figure>'


def _hypotheses(result: TrialResult) -> str:
    scenario = result.scenario
    if not scenario.hypotheses:
        return (
            "<p>No hypotheses were named: every arm ran on the model as given (its default answers to the open "
            "questions are listed in docs/equations.md).</p>"
        )
    rows = [(_e(h.name), _e(h.description), _e(h.source), _e(", ".join(c.name for c in h.changes))) for h in scenario.hypotheses]
    return (
        '<p class="open">These results depend on open scientific questions. The same virtual patients ran under each '
        "hypothesis below; where the answers differ, the difference is what the open question is worth, not a finding.</p>"
        + _table(("Hypothesis", "What it says", "Evidence", "Parameters it changes"), rows)
    )


def failures_text(result: TrialResult) -> str:
    """One sentence on failed solves, or ``""`` when every virtual patient's solve succeeded."""
    failed = int(result.provenance.get("failed_solves", 0))
    if not failed:
        return ""
    total = len(result.endpoints)
    return (
        f"{failed} of {total} virtual patients' solves failed: they are left out of every statistic (status column of "
        "endpoints.parquet; provenance.json has the count)."
    )


def _failures(result: TrialResult) -> str:
    text = failures_text(result)
    return f'<p class="open" role="alert">{_e(text)}</p>' if text else ""


def _provenance(result: TrialResult, model: Model) -> str:
    import cartsim

    facts: dict[str, Any] = {"cartsim version": cartsim.__version__, "model": f"{model.name} (hash {model.hash})"}
    for key, value in result.provenance.items():
        facts[f"trial {key}" if key in facts else key] = (
            value if isinstance(value, (str, int, float)) else json.dumps(value, default=str, sort_keys=True)
        )
    return _table(("Item", "Value"), ((_e(k), f"<code>{_e(v)}</code>") for k, v in facts.items()))


def _sources(result: TrialResult, model: Model) -> str:
    from cartsim.parameters.bibliography import references_for

    users = result.scenario.cited_keys(model)
    items = "".join(f"<li>{_e(r.format())}<br><small>used for: {_e(', '.join(users[r.key]))}</small></li>" for r in references_for(users))
    assumptions = sum(p.is_assumption for p in model.parameters)
    return (
        f"<p>The values this run used come from these publications (<code>cartsim cite</code> prints the same list); "
        f"{assumptions} of the model's {len(model.parameters)} parameters are documented assumptions.</p><ol>{items}</ol>"
    )


def _summaries(result: TrialResult) -> str:
    scenario = result.scenario
    treatments = {arm.name: arm.treatment for arm in scenario.arms}
    summary = result.summary_table
    parts = []
    for hypothesis, paragraphs in by_hypothesis(summary, treatments, scenario.hypothesis_names, scenario.horizon_days).items():
        heading = f"<h3>Under hypothesis {_e(hypothesis)}</h3>" if len(scenario.runs) > 1 else ""
        parts.append(heading + "".join(f"<p>{_e(p)}</p>" for p in paragraphs))
    if contrast := hypothesis_contrast(summary):
        parts.append("<h3>What the open questions change</h3>" + "".join(f"<p>{_e(p)}</p>" for p in contrast))
    caveat = plain_summary(summary.iloc[0:0], {}, scenario.horizon_days)[-1]
    return '<div class="summary">' + "".join(parts) + f"<p>{_e(caveat)}</p></div>"


def write_html_report(result: TrialResult, path: Path | str, model: Model, figures: Sequence[NamedFigure]) -> Path:
    """Write the report of a virtual trial to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    result
        The trial result.
    path
        The HTML file to write; its folder is created.
    model
        The model the trial ran on (its version and the sources of the values it used).
    figures
        The figures to show (:func:`cartsim.report.trial_report.trial_figures`).

    Returns
    -------
    Path
        ``path``.
    """
    scenario = result.scenario
    names = [arm.name for arm in scenario.arms]
    several = len(scenario.runs) > 1
    population = scenario.population
    facts = [
        ("Population", _e(f"{population.description} ({population.name})")),
        ("Virtual patients per arm", number_text(scenario.patients)),
        ("Horizon", f"{number_text(scenario.horizon_days)} days"),
        ("Seed", number_text(scenario.seed)),
        ("Model", _e(f"{model.name}: " + ", ".join(m.name for m in model.modules))),
        ("Solver", _e(json.dumps(result.provenance.get("solver", {})))),
    ]
    regimen_rows = [(_e(arm.name), "<br>".join(_e(describe_entry(e)) for e in arm.entries) or "no treatment") for arm in scenario.arms]
    shown = "".join(_figure_html(f.figure) for f in figures)
    title = "cartsim virtual trial: " + " vs ".join(names)
    body = [
        f'<header><h1>{_e(title)}</h1><p class="question">{_e(_question(names, population.description))}</p>',
        f'<p class="disclaimer" role="note">{_e(DISCLAIMER)} The patients in this report are simulated.</p>{_failures(result)}</header>',
        "<main>",
        f'<section aria-labelledby="plain"><h2 id="plain">In plain language</h2>{_summaries(result)}</section>',
        f'<section aria-labelledby="hypotheses"><h2 id="hypotheses">Open questions and hypotheses</h2>{_hypotheses(result)}</section>',
        '<section aria-labelledby="scenario"><h2 id="scenario">Scenario</h2>',
        _table(("Setting", "Value"), facts),
        _table(("Arm", "Regimen"), regimen_rows, caption="Arms and their regimens (days relative to day 0)."),
        f"<details><summary>Scenario file (TOML)</summary><pre><code>{_e(scenario.text)}</code></pre></details>",
        "</section>",
        '<section aria-labelledby="plots"><h2 id="plots">Over time</h2>'
        f"<p>Lines are the median over virtual patients. {_e(PATIENT_SPREAD)}</p>"
        f'<div class="figures">{shown or "<p>No trajectories were saved.</p>"}</div></section>',
        f'<section aria-labelledby="endpoints"><h2 id="endpoints">Endpoints</h2>{_endpoint_table(result.summary_table, several)}'
        f"{_comparison_table(result.comparisons(), several)}</section>",
        f'<section aria-labelledby="version"><h2 id="version">Model version and provenance</h2>{_provenance(result, model)}</section>',
        f'<section aria-labelledby="sources"><h2 id="sources">Sources</h2>{_sources(result, model)}</section>',
        "</main>",
        f"<footer><p>{_e(DISCLAIMER)}</p></footer>",
    ]
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
