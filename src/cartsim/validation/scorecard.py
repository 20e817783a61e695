"""The scorecard: run every target, compare the simulated statistic with its accept range.

The evaluator is injected (``evaluate(target) -> EndpointValues``): the scorecard itself
simulates nothing, so it can be tested with a fake. Each target is evaluated on its own
(its own seed); ``ratio_to`` targets are resolved after all targets ran, from the stored
values, so the scorecard does not depend on the order of the targets.

The interval of a ratio comes from replicate-by-replicate ratios. Two targets with the same
population, seed and number of patients simulate the same virtual patients (two arms of one
virtual trial), and their bootstrap resamples pick the same patients: a paired bootstrap.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cartsim.endpoints import EndpointValues
from cartsim.engine.result import DISCLAIMER
from cartsim.validation.statistics import bootstrap, interval, summarise
from cartsim.validation.targets import Target

__all__ = ["Row", "Scorecard", "print_scorecard", "run_scorecard", "write_json"]

Evaluator = Callable[[Target], EndpointValues]


@dataclass(frozen=True)
class Row:
    """The outcome of one target. ``simulated`` is NaN and ``error`` says why when it failed."""

    id: str
    observed: float
    simulated: float
    interval: tuple[float, float] | None
    accept: tuple[float, float]
    passed: bool
    censored: int
    patients: int
    seconds: float
    statistic: str = ""
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        """The row as the targets format gives it (NaN becomes null)."""

        def number(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None

        return {
            "id": self.id,
            "observed": number(self.observed),
            "simulated": number(self.simulated),
            "interval": None if self.interval is None else [number(self.interval[0]), number(self.interval[1])],
            "accept": [self.accept[0], self.accept[1]],
            "passed": self.passed,
            "censored": self.censored,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Scorecard:
    """Every row, in the order of the targets."""

    rows: tuple[Row, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def errors(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.error)

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "total": self.total, "targets": [r.to_json() for r in self.rows]}


def _row(
    target: Target, values: EndpointValues | None, seconds: float, reference: tuple[Target, EndpointValues | None] | None, error: str
) -> Row:
    simulated, band = math.nan, None
    if values is not None and not error:
        statistic = reference[0].statistic if reference else target.statistic
        times = target.kind == "days"
        simulated = summarise(statistic, values.values, values.censored, times)
        replicates = bootstrap(statistic, values.values, values.censored, target.seed, event_times=times)
        if reference is not None:
            other_target, other = reference
            if other is None:
                error = f"ratio_to {other_target.id}: that target failed"
                simulated = math.nan
            else:
                denominator = summarise(statistic, other.values, other.censored, times)
                simulated = simulated / denominator if denominator != 0 else math.nan
                with np.errstate(divide="ignore", invalid="ignore"):
                    replicates = replicates / bootstrap(statistic, other.values, other.censored, other_target.seed, event_times=times)
        band = interval(replicates) if not error else None
    low, high = target.accept
    passed = bool(not error and math.isfinite(simulated) and low <= simulated <= high)
    censored = 0 if values is None else values.n_censored
    n = 0 if values is None else values.values.size
    return Row(target.id, target.observed, simulated, band, target.accept, passed, censored, n, seconds, target.statistic.text, error)


def run_scorecard(targets: Sequence[Target], evaluate: Evaluator, on_row: Callable[[Row], None] | None = None) -> Scorecard:
    """Evaluate every target and score it.

    Parameters
    ----------
    targets
        Checked targets (:func:`cartsim.validation.load_targets`).
    evaluate
        ``evaluate(target) -> EndpointValues``: simulates the target's scenario and computes
        its endpoint per patient. An exception fails that target only (its row says why).
    on_row
        Called with each row as it is ready (for progress output); ``ratio_to`` rows come last.

    Returns
    -------
    Scorecard
        One row per target, in the order given.
    """
    results: dict[str, tuple[EndpointValues | None, float, str]] = {}
    rows: dict[str, Row] = {}
    for target in targets:
        started = time.perf_counter()
        try:
            values, error = evaluate(target), ""
            if not isinstance(values, EndpointValues):
                values, error = None, f"the evaluator returned {type(values).__name__}, not EndpointValues"
        except Exception as exc:  # one failing target must not hide the others' results
            values, error = None, f"{type(exc).__name__}: {exc}"
        results[target.id] = (values, time.perf_counter() - started, error)
        if target.statistic.name != "ratio_to":
            rows[target.id] = _row(target, values, results[target.id][1], None, error)
            if on_row is not None:
                on_row(rows[target.id])
    by_id = {t.id: t for t in targets}
    for target in targets:
        if target.statistic.name == "ratio_to":
            values, seconds, error = results[target.id]
            other = by_id[str(target.statistic.argument)]
            rows[target.id] = _row(target, values, seconds, (other, results[other.id][0]), error)
            if on_row is not None:
                on_row(rows[target.id])
    return Scorecard(tuple(rows[t.id] for t in targets))


def write_json(scorecard: Scorecard, path: str | Path) -> None:
    """Write ``{"passed": K, "total": N, "targets": [...]}`` (the targets format) to ``path``."""
    from cartsim.trial.files import atomic_write_text  # the trial package imports this one

    atomic_write_text(Path(path), json.dumps(scorecard.to_json(), indent=2) + "\n")


def _fmt(x: float | None, digits: int = 4) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.{digits}g}"


def print_scorecard(scorecard: Scorecard, console: Any = None, title: str = "cartsim validation scorecard") -> None:
    """Print the scorecard as a table (rich), with the research-tool disclaimer."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=140)  # a file or a pipe: no terminal width to keep to, so keep rows on one line
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("target", overflow="fold", ratio=3)
    table.add_column("statistic", overflow="fold", ratio=1)
    for name in ("observed", "simulated [95%]", "accept"):
        table.add_column(name, justify="right")
    table.add_column("result", justify="center")
    table.add_column("censored", justify="right")
    table.add_column("s", justify="right")
    for r in scorecard.rows:
        band = f" [{_fmt(r.interval[0], 3)}, {_fmt(r.interval[1], 3)}]" if r.interval else ""
        result = "[green]pass[/green]" if r.passed else ("[red]error[/red]" if r.error else "[red]FAIL[/red]")
        accept = f"[{_fmt(r.accept[0])}, {_fmt(r.accept[1])}]"
        cells = (r.id, r.statistic, _fmt(r.observed), _fmt(r.simulated) + band, accept)
        table.add_row(*(escape(c) for c in cells), result, f"{r.censored}/{r.patients}", f"{r.seconds:.1f}")
    console.print(table)
    for r in scorecard.errors:
        console.print(f"[red]{escape(r.id)}[/red]: {escape(r.error)}", highlight=False)
    console.print(f"{scorecard.passed} of {scorecard.total} targets passed.")
    console.print(DISCLAIMER)
