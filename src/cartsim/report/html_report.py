"""One self-contained HTML page per virtual trial: question, scenario, plots, endpoints, sources.

The page has no external resources (figures are base64 PNG ``data:`` URIs, CSS is inline,
there is no JavaScript), so it can be mailed, archived or opened offline and shows the same.

The trial result is duck-typed, so this module does not depend on the trial runner:

``result.scenario``
    ``population`` (str), ``patients`` (per arm), ``horizon_days``, ``seed``, ``arms`` (each
    with ``.name`` and ``.entries``: the regimen entry dicts of ``../shared/TARGETS.md``) and
    ``text`` (the scenario's TOML). Any of these may be missing.
``result.summary``
    DataFrame with columns ``arm, endpoint, statistic, value, lower, upper, n, censored``.
``result.bands``
    xarray Dataset, dimensions ``(arm, time, quantile)``, one variable per observable
    (``units`` in its attrs), quantiles 0.05, 0.5 and 0.95.
``result.crs_grades``, ``result.icans_grades`` (optional)
    DataFrame, arm x highest grade, shares of virtual patients.
``result.km`` (optional)
    endpoint -> arm -> object with ``timeline``, ``survival``, ``lower``, ``upper`` arrays.
``result.provenance``
    dict: model name/hash, parameter sets, versions, seed.
"""

from __future__ import annotations

import base64
import html
import json
import math
from pathlib import Path
from typing import Any, Iterable, Sequence

from cartsim.endpoints import ENDPOINTS
from cartsim.engine import DISCLAIMER
from cartsim.report.common import describe_entry
from cartsim.report.plain_summary import plain_summary
from cartsim.report.trial_figures import Figure, band_figure, grade_figure, km_figure

__all__ = ["write_html_report", "POPULATIONS"]

#: Population key -> words for the question and the scenario table.
POPULATIONS = {
    "healthy": "healthy adults", "sle": "systemic lupus erythematosus", "ssc": "systemic sclerosis",
    "iim": "idiopathic inflammatory myopathy", "rrms": "relapsing-remitting multiple sclerosis",
    "ppms": "primary progressive multiple sclerosis", "spms": "secondary progressive multiple sclerosis",
    "nmosd": "neuromyelitis optica spectrum disorder", "lbcl": "large B-cell lymphoma",
}
#: Observables drawn first, in the order the question is usually asked; others follow.
PREFERRED = ("bcells_blood", "cart_blood", "ocrelizumab_concentration", "rituximab_concentration",
             "ofatumumab_concentration", "igg_total", "autoantibody")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:1240px;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}
h1{font-size:1.7rem;margin:.3rem 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.question{font-size:1.2rem;color:#333}
.disclaimer{background:#fff4e5;border-left:6px solid #e67700;padding:.7rem 1rem;font-weight:600;margin:1rem 0}
.summary{background:#eef6ff;border-left:6px solid #1864ab;padding:.4rem 1rem}
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


def _arms(scenario: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """(name, entries) per arm; unnamed arms get a number so the page still names them."""
    arms = []
    for i, arm in enumerate(getattr(scenario, "arms", None) or ()):
        name = getattr(arm, "name", None) or (arm.get("name") if isinstance(arm, dict) else None) or f"arm {i + 1}"
        entries = getattr(arm, "entries", None)
        if entries is None and isinstance(arm, dict):
            entries = arm.get("regimen", ())
        arms.append((str(name), [dict(e) for e in entries or ()]))
    return arms


def _question(names: Sequence[str], population: str) -> str:
    """The question a scenario asks, from its arm names and population."""
    who = f" in virtual patients with {population}" if population else " in virtual patients"
    if len(names) == 1:
        return f"What does the model predict for {names[0]}{who}?"
    if len(names) == 2:
        return f"How does {names[0]} compare with {names[1]}{who}?"
    if names:
        return f"How do {', '.join(names[:-1])} and {names[-1]} compare{who}?"
    return f"What does the model predict{who}?"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (), caption: str = "") -> str:
    """An HTML table with header cells scoped for screen readers; cells are given already escaped."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if j in numeric else f"<td>{c}</td>" for j, c in enumerate(r))
                   + "</tr>" for r in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _num(x: Any) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return _e(x) if x is not None else "n/a"
    if not math.isfinite(v):
        return "n/a"
    return f"{v:.0f}" if v.is_integer() and abs(v) < 1e7 else f"{v:.3g}"  # counts and days whole, not 1.1e+03


def _endpoint_table(summary: Any) -> str:
    if summary is None or len(summary) == 0:
        return "<p>No endpoints were computed.</p>"
    rows = []
    for r in summary.to_dict("records"):
        spec = ENDPOINTS.get(str(r.get("endpoint")))
        unit = f" ({spec.unit})" if spec is not None and spec.unit not in ("", "1") else ""
        what = f"<br><small>{_e(spec.description)}</small>" if spec is not None else ""
        lower, upper = _num(r.get("lower")), _num(r.get("upper"))
        interval = "n/a" if lower == upper == "n/a" else f"{lower} to {upper}"
        rows.append((_e(r.get("arm")), f"{_e(r.get('endpoint'))}{_e(unit)}{what}", _e(r.get("statistic")), _num(r.get("value")),
                     interval, _num(r.get("n")), _num(r.get("censored"))))
    return _table(("Arm", "Endpoint", "Statistic", "Value", "95% interval", "Patients (n)", "Censored"), rows, numeric=(3, 4, 5, 6),
                  caption="Endpoints per arm; the 95% interval is over trial replicates. Censored: patients in whom the "
                          "event did not happen within the horizon.")


def _figure_html(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(figure.alt)}">'
            f"<figcaption>{_e(figure.caption)}</figcaption></figure>")


def _figures(result: Any, arm_names: Sequence[str]) -> list[str]:
    """Figure HTML: bands per observable, then grade distributions, then Kaplan-Meier curves."""
    out = []
    bands = getattr(result, "bands", None)
    if bands is not None:
        names = [str(v) for v in bands.data_vars]
        for name in sorted(names, key=lambda n: (PREFERRED.index(n) if n in PREFERRED else len(PREFERRED), n)):
            if (figure := band_figure(bands, name)) is not None:
                out.append(_figure_html(figure))
    for attr, kind in (("crs_grades", "CRS"), ("icans_grades", "ICANS")):
        shares = getattr(result, attr, None)
        if shares is not None and len(shares):
            out.append(_figure_html(grade_figure(shares, kind)))
    for endpoint, curves in (getattr(result, "km", None) or {}).items():
        if curves:
            out.append(_figure_html(km_figure(curves, str(endpoint), arm_names)))
    return out


def _provenance(result: Any, model: Any) -> str:
    import cartsim

    facts: dict[str, Any] = {"cartsim version": cartsim.__version__}
    if model is not None:
        facts["model"] = f"{getattr(model, 'name', '?')} (hash {getattr(model, 'hash', '?')})"
    for key, value in (getattr(result, "provenance", None) or {}).items():
        key = f"trial {key}" if str(key) in facts else str(key)  # keep the model this report was given in view
        facts[key] = value if isinstance(value, (str, int, float)) else json.dumps(value, default=str, sort_keys=True)
    return _table(("Item", "Value"), ((_e(k), f"<code>{_e(v)}</code>") for k, v in facts.items()))


def _sources(model: Any) -> str:
    if model is None:
        return "<p>No model was given to the report writer, so the parameter sources are not listed here; run <code>cartsim cite</code>.</p>"
    from cartsim.parameters.citations import cited_references

    refs = cited_references(model)
    assumptions = sum(bool(getattr(p, "is_assumption", False)) for p in getattr(model, "parameters", ()))
    items = "".join(f"<li>{_e(r.format())}</li>" for r in refs)
    return (f"<p>The model's parameter values come from these publications; {assumptions} parameters are documented "
            f"assumptions.</p><ol>{items}</ol>")


def _comparison_table(comparisons: Any) -> str:
    """Hazard ratios and log-rank tests of the time-to-event endpoints (optional ``result.comparisons``)."""
    if comparisons is None or not len(comparisons):
        return ""
    rows = []
    for r in comparisons.itertuples(index=False):
        hr = "n/a" if r.hazard_ratio != r.hazard_ratio else f"{r.hazard_ratio:.3g} ({r.hr_lower:.3g} to {r.hr_upper:.3g})"
        p = "n/a" if r.logrank_p != r.logrank_p else f"{r.logrank_p:.2g}"
        rows.append((_e(r.endpoint.replace("_", " ")), _e(f"{r.arm} vs {r.reference}"), hr, p, _e(r.reason)))
    caption = ("Time-to-event endpoints: hazard ratio of each arm against the first (Cox model, 95% interval) and the "
               "log-rank test, both by lifelines; patients without the event are censored at the horizon.")
    return _table(("Endpoint", "Comparison", "Hazard ratio (95% interval)", "Log-rank p", "Note"), rows, caption=caption)


def write_html_report(result: Any, path: Path | str, model: Any = None) -> Path:
    """Write the report of a virtual trial to ``path`` as one self-contained HTML file.

    Parameters
    ----------
    result
        A trial result with the attributes listed in this module's docstring (duck-typed;
        missing optional parts are left out of the page).
    path
        The HTML file to write; its folder is created.
    model
        The model the trial ran, to list its parameter sources and version; optional.

    Returns
    -------
    Path
        ``path``.
    """
    scenario = getattr(result, "scenario", None)
    arms = _arms(scenario)
    names = [n for n, _ in arms]
    population_key = str(getattr(scenario, "population", "") or "")
    population = POPULATIONS.get(population_key, population_key)
    horizon = getattr(scenario, "horizon_days", None)
    summary = getattr(result, "summary", None)
    facts = [("Population", _e(f"{population} ({population_key})" if population != population_key else population or "n/a")),
             ("Virtual patients per arm", _num(getattr(scenario, "patients", None))),
             ("Horizon", f"{_num(horizon)} days"), ("Seed", _num(getattr(scenario, "seed", None)))]
    regimen_rows = [(_e(n), "<br>".join(_e(describe_entry(e)) for e in entries) or "no treatment") for n, entries in arms]
    toml = getattr(scenario, "text", None)
    figures = _figures(result, names)
    treatments = {arm.name: arm.treatment for arm in getattr(scenario, "arms", None) or ()}
    paragraphs = plain_summary(summary, {name: treatments.get(name) for name, _ in arms}, horizon)
    title = "cartsim virtual trial: " + (" vs ".join(names) if names else "report")
    body = [
        f"<header><h1>{_e(title)}</h1><p class=\"question\">{_e(_question(names, population))}</p>",
        f'<p class="disclaimer" role="note">{_e(DISCLAIMER)} The patients in this report are simulated.</p></header>',
        "<main>",
        '<section aria-labelledby="plain"><h2 id="plain">In plain language</h2><div class="summary">'
        + "".join(f"<p>{_e(p)}</p>" for p in paragraphs) + "</div></section>",
        '<section aria-labelledby="scenario"><h2 id="scenario">Scenario</h2>',
        _table(("Setting", "Value"), facts),
        _table(("Arm", "Regimen"), regimen_rows, caption="Arms and their regimens (days relative to day 0)."),
        (f"<details><summary>Scenario file (TOML)</summary><pre><code>{_e(toml)}</code></pre></details>" if toml else ""),
        "</section>",
        '<section aria-labelledby="plots"><h2 id="plots">Over time</h2>'
        "<p>Lines are the median over virtual patients; shaded bands hold 90% of them (5th to 95th percentile).</p>"
        f'<div class="figures">{"".join(figures) or "<p>No trajectories were saved.</p>"}</div></section>',
        f'<section aria-labelledby="endpoints"><h2 id="endpoints">Endpoints</h2>{_endpoint_table(summary)}'
        f'{_comparison_table(getattr(result, "comparisons", None))}</section>',
        f'<section aria-labelledby="version"><h2 id="version">Model version and provenance</h2>{_provenance(result, model)}</section>',
        f'<section aria-labelledby="sources"><h2 id="sources">Parameter sources</h2>{_sources(model)}</section>',
        "</main>",
        f"<footer><p>{_e(DISCLAIMER)}</p></footer>",
    ]
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
