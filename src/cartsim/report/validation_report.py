"""The validation report: every target simulated once, scored, drawn, and written as Markdown.

``cartsim validate --report DIR`` (and ``make validation-docs``, which regenerates the
committed ``docs/validation.md``) call :func:`run_validation_report`. Each target is simulated
once, by :func:`~cartsim.validation.evaluate.simulate_target` inside the evaluator handed to
:func:`~cartsim.validation.run_scorecard`, so the scorecard's statistics and intervals are the
ones the command prints; the simulation is reduced right away to what its figure shows
(:func:`~cartsim.report.validation_figures.figure_data`).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cartsim.endpoints import ENDPOINTS, EndpointValues
from cartsim.engine import DISCLAIMER
from cartsim.model import Change, Model
from cartsim.report.common import describe_entry
from cartsim.report.validation_figures import FigureData, draw_figure, figure_data
from cartsim.validation import Row, Scorecard, Target, run_scorecard
from cartsim.validation.evaluate import simulate_target
from cartsim.validation.statistics import REPLICATES

__all__ = ["ValidationReport", "run_validation_report", "write_validation_report"]

#: Figures go here, relative to the report's folder (the page links them relatively).
IMAGES = Path("images") / "validation"


@dataclass(frozen=True)
class ValidationReport:
    """What a report run produced: the scorecard, the Markdown page and one figure per simulated target."""

    scorecard: Scorecard
    page: Path
    figures: tuple[Path, ...]


def _num(x: float | None) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.3g}"


def _simulated(row: Row) -> str:
    band = f" [{_num(row.interval[0])}, {_num(row.interval[1])}]" if row.interval else ""
    return _num(row.simulated) + band


def _verdict(row: Row) -> str:
    return "pass" if row.passed else ("**error**" if row.error else "**FAIL**")


def _options(target: Target) -> str:
    given = {k: v for k, v in target.endpoint_options.items() if v is not None}
    return (" with " + ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in given.items())) if given else ""


def _section(target: Target, row: Row, figure: Path | None, out_dir: Path) -> list[str]:
    spec = ENDPOINTS[target.endpoint]
    lines = [
        f"### {target.id}",
        "",
        f"**{_verdict(row)}**: observed {_num(row.observed)}, simulated {_simulated(row)}, "
        f"accept [{_num(row.accept[0])}, {_num(row.accept[1])}].",
        "",
    ]
    lines.append(f"- Source: {target.source}")
    if target.note:
        lines.append(f"- Note: {target.note}")
    lines.append(
        f"- Scenario: population `{target.population.name}` ({target.population.description}), {target.patients} virtual patients (seed {target.seed}), "
        f"horizon {target.horizon_days:g} days."
    )
    lines.append("- Regimen: " + "; ".join(describe_entry(e) for e in target.regimen) + ".")
    if target.hypothesis is not None:
        lines.append(f"- Hypothesis: `{target.hypothesis.name}` ({target.hypothesis.description})")
    unit = "" if spec.unit == "1" else f", {spec.unit}"
    lines.append(f"- Endpoint: `{target.endpoint}` ({spec.description}{unit}){_options(target)}; statistic `{target.statistic.text}`.")
    lines.append(f"- Censored at the horizon: {row.censored} of {row.patients} patients; wall time {row.seconds:.1f} s.")
    if "recalled" in target.note.lower():
        lines.append(
            "- Numbers marked *recalled* in the note were not checked against the primary paper's full text: "
            "treat the accept range as soft."
        )
    if row.error:
        lines.append(f"- Error: `{row.error}`")
    lines.append("")
    if figure is not None:
        lines += [f"![{target.id}: simulated vs observed]({figure.relative_to(out_dir).as_posix()})", ""]
    return lines


def default_hypotheses(model: Model) -> tuple[str, ...]:
    """The built-in hypotheses whose every parameter change is the model's own value: its default answers."""
    from cartsim.parameters.hypotheses import HYPOTHESES

    def holds(change: Change) -> bool:
        return (
            change.name in model.parameter_names
            and change.value is not None
            and math.isclose(model.parameter(change.name).value, change.value)
        )

    return tuple(h.name for h in HYPOTHESES.values() if all(holds(c) for c in h.changes))


_CALIBRATION = (
    "Validation: simulated vs observed",
    "Targets of the built-in calibration set may have been used to fit parameters; every parameter calibrated to a "
    "target says so in its source (`cartsim cite`, [equations.md](equations.md)), so a pass there shows the model is "
    "consistent with the observation, not that it predicted it. Published observations the model misses are kept "
    "apart and measured the same way: `cartsim validate --known-gaps`.",
)
_GAPS = (
    "Known gaps: published observations the model misses",
    "These targets are the model's known failures, kept as targets so that each gap is measured rather than only "
    "described (`cartsim validate --known-gaps`). Nothing was calibrated on them. Read a result that depends on what "
    "one of them measures with that in mind. A target that comes to pass moves to the calibration set.",
)


def _page(
    targets: Sequence[Target],
    report: Scorecard,
    figures: Mapping[str, Path],
    out_dir: Path,
    command: str,
    provenance: Mapping[str, str],
    defaults: Sequence[str],
    gaps: bool,
) -> str:
    heading, lead = _GAPS if gaps else _CALIBRATION
    model = f"`{provenance.get('model_name', 'n/a')}` (hash `{provenance.get('model_hash', 'n/a')}`)"
    seconds = sum(r.seconds for r in report.rows)
    lines = [
        f"# {heading}",
        "",
        f"> {DISCLAIMER}",
        "",
        "Each target is one published clinical observation: a virtual population, a regimen, an endpoint computed per "
        "virtual patient, a statistic over the patients, the published value and the range the simulated statistic must "
        "fall into (format: `cartsim formats targets`). " + lead,
        "",
        f"Generated by `{command}` on {datetime.date.today().isoformat()} with model {model}: {len(targets)} targets, "
        f"simulated in {seconds:.0f} s. The 95% interval is over {REPLICATES} virtual-trial replicates (bootstrap "
        "resamples of the virtual patients). This page and its figures are written by the script "
        "(`cartsim.report.validation_report`); do not edit them by hand.",
        "",
        "Open questions (the immune reset, CAR-T in the CNS, immunity against the CAR) run under the model's default answers, the hypotheses "
        + ", ".join(f"`{name}`" for name in defaults)
        + " ([equations.md](equations.md#hypotheses)); a target that names another hypothesis says so.",
        "",
        f"**{report.passed} of {report.total} targets pass.**",
        "",
        "| target | statistic | observed | simulated [95%] | accept | result | censored |",
        "|---|---|---:|---:|---:|:---:|---:|",
    ]
    for t, r in zip(targets, report.rows, strict=False):
        lines.append(
            f"| [{t.id}](#{t.id}) | `{r.statistic}` | {_num(r.observed)} | {_simulated(r)} | "
            f"[{_num(r.accept[0])}, {_num(r.accept[1])}] | {_verdict(r)} | {r.censored}/{r.patients} |"
        )
    lines += [
        "",
        "Each figure: left, the simulated median and 5-95% band over the virtual patients of the quantity behind the "
        "endpoint, with the observation drawn in where it sits on that scale (CRS/ICANS: the simulated grade "
        "distribution); right, the observed and simulated statistic with its 95% interval and the accept range.",
        "",
        "## Targets",
        "",
    ]
    for t, r in zip(targets, report.rows, strict=False):
        lines += _section(t, r, figures.get(t.id), out_dir)
    return "\n".join(lines)


def run_validation_report(
    targets: Sequence[Target],
    out_dir: str | Path,
    model: Model,
    docs_name: str | None = None,
    command: str | None = None,
    on_row: Callable[[Row], None] | None = None,
    gaps: bool = False,
) -> ValidationReport:
    """Simulate every target once, score it, and write the page and one figure per target.

    Parameters
    ----------
    targets
        Checked targets (:func:`cartsim.validation.load_targets`).
    out_dir
        Folder of the page; figures go to ``out_dir/images/validation/<id>.png``.
    model
        The model the targets are simulated on.
    docs_name
        File name of the Markdown page inside ``out_dir`` (default ``validation.md``, or
        ``gaps.md`` for the known gaps).
    command
        The command line that made the report, quoted on the page (default: the one for ``out_dir``).
    on_row
        Progress callback, as in :func:`~cartsim.validation.run_scorecard`.
    gaps
        The targets are the known gaps (:func:`~cartsim.validation.load_gaps`): the page says so.

    Returns
    -------
    ValidationReport
        The scorecard (as ``cartsim validate`` prints it), the page and the figures.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kept: dict[str, FigureData] = {}
    provenance: dict[str, str] = {}

    def evaluate(target: Target) -> EndpointValues:
        result, values = simulate_target(target, model)
        kept[target.id] = figure_data(target, result.simulation, values)
        for key in ("model_name", "model_hash"):
            provenance.setdefault(key, str(result.provenance[key]))
        return values

    scorecard = run_scorecard(targets, evaluate, on_row=on_row)
    figures = {
        t.id: draw_figure(t, row, kept[t.id], out_dir / IMAGES / f"{t.id}.png")
        for t, row in zip(targets, scorecard.rows, strict=False)
        if t.id in kept and not row.error
    }
    page = out_dir / (docs_name or ("gaps.md" if gaps else "validation.md"))
    command = command or f"cartsim validate --report {out_dir}"
    page.write_text(_page(targets, scorecard, figures, out_dir, command, provenance, default_hypotheses(model), gaps) + "\n")
    return ValidationReport(scorecard, page, tuple(figures.values()))


def write_validation_report(targets: Sequence[Target], out_dir: str | Path, model: Model, docs_name: str = "validation.md") -> Path:
    """Write the validation page and figures for ``targets`` (simulated on ``model``) into ``out_dir``; returns the page's path."""
    return run_validation_report(targets, out_dir, model, docs_name).page
