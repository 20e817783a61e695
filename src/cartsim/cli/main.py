"""The ``cartsim`` command line: parse, call the library, print."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional
from typing import Any, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="cartsim: CAR T-cell therapy simulator (research tool, not medical advice).")


def _summary_table(result):
    """The endpoint table of a trial result, as a rich table."""
    from rich.table import Table

    scenario = result.scenario
    table = Table(title=f"{len(scenario.arms)} arms x {scenario.patients} patients, {scenario.horizon_days:g} days (95% intervals)")
    for column in ("arm", "endpoint", "statistic", "value", "95% interval", "n", "censored"):
        table.add_column(column)
    for row in result.summary().itertuples():
        span = "-" if row.low != row.low else f"{row.low:.3g} .. {row.high:.3g}"
        table.add_row(row.arm, row.endpoint, row.statistic, f"{row.value:.3g}", span, str(row.n), str(row.censored))
    return table


def _progress_bar(console):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    return Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=False)


@app.command()
def demo(
    out: Path = typer.Option(Path("demo-output"), help="Result folder (an earlier demo result there is replaced)."),
    patients: Optional[int] = typer.Option(None, min=1, max=100_000, help="Virtual patients per arm (default 500)."),
) -> None:
    """CD19 CAR-T (after Flu/Cy) vs ocrelizumab every 24 weeks in relapsing MS over three years.

    Runs the shipped demo scenario as a virtual trial and writes its result folder with
    figures and a self-contained report.html.

    Example: cartsim demo --out demo-output
    """
    from rich.console import Console

    from cartsim.engine import DISCLAIMER
    from cartsim.errors import InputError
    from cartsim.report.demo import run_demo
    from cartsim.report.plain_summary import plain_summary
    from cartsim.report.trial_report import trial_view

    console = Console()
    try:
        with _progress_bar(console) as bar:
            task = bar.add_task("chunks", total=None)
            result = run_demo(out, patients=patients, progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InputError as exc:
        typer.echo(f"cartsim demo: {exc}", err=True)
        raise typer.Exit(2) from None
    console.print(_summary_table(result))
    arms = {arm.name: arm.treatment for arm in result.scenario.arms}
    for paragraph in plain_summary(trial_view(result).summary, arms, result.scenario.horizon_days):
        console.print(paragraph + "\n")
    console.print(f"Wrote {out}: open {out / 'report.html'} in a browser")
    console.print(DISCLAIMER)


@app.command()
def equations(out: Path = typer.Option(None, help="Write the equations (Markdown + LaTeX) to this file instead of printing.")) -> None:
    """Print the full model's equations, generated from the model itself.

    Example: cartsim equations --out docs/equations.md
    """
    from cartsim import full_model
    from cartsim.model.latex import model_markdown

    text = model_markdown(full_model())
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text)
        typer.echo(f"Wrote {out}")


def _targets_or_exit(path: Path, command: str) -> Any:
    """The checked targets of ``path``; a bad file ends the command with status 2 and the reason."""
    from cartsim.errors import InputError
    from cartsim.validation import load_targets

    try:
        return load_targets(path)
    except InputError as exc:
        typer.echo(f"cartsim {command}: {path}: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def validate(
    file: Optional[Path] = typer.Argument(None, help="Targets file (format: TARGETS.md). Default: the built-in calibration targets."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scorecard as JSON to this file."),
    patients: Optional[int] = typer.Option(None, min=1, max=100_000, help="Virtual patients per target, overriding the file (quick runs)."),
    report: Optional[Path] = typer.Option(
        None, "--report", help="Also write the validation page DIR/validation.md with one figure per target in DIR/images/validation/."
    ),
) -> None:
    """Simulate every target of a targets file and print the scorecard.

    Exit status 0 when the file was read and every target simulated, whatever passed;
    1 when a target could not be simulated (the scorecard says why); 2 for a bad file (the
    message names the field, the value and what is allowed; nothing is simulated).

    Example: cartsim validate --patients 100 --json scorecard.json
    Example: cartsim validate --report docs   (regenerates docs/validation.md and its figures)
    """
    from cartsim.validation import calibration_path, print_scorecard, run_scorecard, write_json

    path = file if file is not None else calibration_path()
    targets = _targets_or_exit(path, "validate")
    if patients is not None:
        targets = tuple(dataclasses.replace(t, patients=patients) for t in targets)
    from cartsim import full_model
    from cartsim.validation.evaluate import evaluate

    model = full_model()
    typer.echo(f"{path}: {len(targets)} target{'' if len(targets) == 1 else 's'}", err=True)

    def progress(row: Any) -> None:
        typer.echo(f"  {row.id}: {row.seconds:.1f} s", err=True)

    written = None
    if report is None:
        scorecard = run_scorecard(targets, lambda target: evaluate(target, model), on_row=progress)
    else:
        from cartsim.report.validation_report import run_validation_report

        # The page quotes the command that made it, as given, so that it can be run again.
        command = " ".join(["cartsim validate", *([str(file)] if file is not None else []),
                            *([f"--patients {patients}"] if patients is not None else []), f"--report {report}"])
        written = run_validation_report(targets, report, model, command=command, on_row=progress)
        scorecard = written.scorecard
    print_scorecard(scorecard)
    if written is not None:
        typer.echo(f"Wrote {written.page} and {len(written.figures)} figures in {written.page.parent / 'images' / 'validation'}")
    if json_out is not None:
        write_json(scorecard, json_out)
        typer.echo(f"Wrote {json_out}")
    if scorecard.errors:
        raise typer.Exit(1)


@app.command()
def cite(
    file: Optional[Path] = typer.Argument(None, help="A targets file: also list the publications its targets reproduce."),
) -> None:
    """Print the references behind the model's parameters and modules.

    Example: cartsim cite calibration.toml
    """
    from cartsim import full_model
    from cartsim.parameters.citations import cited_keys, cited_references

    targets = _targets_or_exit(file, "cite") if file is not None else ()
    model = full_model()
    users = cited_keys(model)
    typer.echo(f"References behind model {model.name!r} (parameter values and module structure):")
    for reference in cited_references(model):
        typer.echo(f"  {reference.format()}")
        typer.echo(f"      used for: {', '.join(users[reference.key])}")
    assumed = [p.name for p in model.parameters if p.is_assumption]
    typer.echo(f"{len(assumed)} of {len(model.parameters)} parameter values are documented assumptions (each states its reason).")
    if targets:
        typer.echo(f"Publications reproduced by the targets in {file}:")
        for target in targets:
            typer.echo(f"  [{target.id}] {target.source}")


@app.command("run")
def run_command(
    scenario: Path = typer.Argument(..., help="Scenario file (TOML): population, patients, horizon_days, seed, one arm table per arm."),
    out: Path = typer.Option(..., "--out", help="Result folder to create (must not exist; written as DIR.partial until complete)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run from DIR.partial without recomputing finished chunks."),
    patients: Optional[int] = typer.Option(None, min=1, max=1_000_000, help="Virtual patients per arm, overriding the file."),
) -> None:
    """Run a virtual trial: every arm of the scenario, endpoints with 95% intervals, trajectory bands.

    Writes DIR/endpoints.parquet, summary.csv, summary.json, comparisons.csv, trajectories.nc,
    provenance.json, figures/*.png, report.html and a copy of the scenario. Exit status 2 for
    a bad scenario or folder (nothing is run).

    Example: cartsim run examples/cart-vs-ocrelizumab-rrms.toml --out results/rrms --patients 200
    """
    from rich.console import Console

    from cartsim import full_model
    from cartsim.engine import DISCLAIMER
    from cartsim.errors import InputError
    from cartsim.report.trial_report import write_trial_report
    from cartsim.trial import load_scenario, run_trial

    console = Console()
    try:
        checked = load_scenario(scenario, patients=patients)
        if out.exists():  # checked here too so that a refused run draws no progress bar
            raise InputError("--out", str(out), "a folder that does not exist yet (results are never overwritten)")
        with _progress_bar(console) as bar:
            task = bar.add_task("chunks", total=None)
            result = run_trial(
                checked, out, resume=resume, progress=lambda done, total: bar.update(task, completed=done, total=total),
                finalise=lambda result, folder: write_trial_report(result, folder, model=full_model()),
            )
    except InputError as exc:
        typer.echo(f"cartsim run: {scenario}: {exc}", err=True)
        raise typer.Exit(2) from None
    console.print(_summary_table(result))
    console.print(f"Wrote {out}")
    console.print(DISCLAIMER)


@app.command()
def models(equations: bool = typer.Option(False, "--equations", help="Also print every module's equations (Markdown + LaTeX).")) -> None:
    """List the biology modules of the full model: what each holds, reads and provides.

    Example: cartsim models --equations
    """
    from cartsim import full_model
    from cartsim.model.latex import model_markdown

    model = full_model()
    typer.echo(f"Model {model.name!r} (hash {model.hash}): {len(model.states)} states, {len(model.parameters)} parameters")
    for module in model.modules:
        shared = [q.name for q in (*module.provides, *module.contributes)]
        typer.echo(f"- {module.name}: {module.description}")
        typer.echo(f"    states: {', '.join(s.name for s in module.states) or '-'}")
        typer.echo(f"    reads: {', '.join(q.name for q in module.reads) or '-'}; provides: {', '.join(shared) or '-'}")
    if equations:
        typer.echo("")
        typer.echo(model_markdown(model))


@app.command("export-sbml")
def export_sbml(
    out: Path = typer.Option(..., help="SBML file to write."),
    scenario: Path = typer.Option(None, help="A scenario file whose arm's doses become SBML events."),
    arm: str = typer.Option(None, help="The arm of the scenario (default: the first)."),
) -> None:
    """Write the full model as SBML Level 3 (with one arm's doses as events, if a scenario is given).

    Example: cartsim export-sbml --out model.xml --scenario examples/cart-vs-ocrelizumab-rrms.toml --arm "CD19 CAR-T"
    """
    from cartsim import full_model
    from cartsim.errors import CartsimError
    from cartsim.io import to_sbml
    from cartsim.protocol import Regimen
    from cartsim.trial import load_scenario

    regimen = None
    try:
        if scenario is not None:
            arms = load_scenario(scenario).arms
            chosen = [a for a in arms if arm is None or a.name == arm]
            if not chosen:
                raise typer.BadParameter(f"no arm {arm!r}; the arms are: {', '.join(a.name for a in arms)}", param_hint="--arm")
            regimen = chosen[0].treatment.regimen
            shift = -min(0.0, *(d.day for d in regimen.doses))
            if shift:
                # SBML time starts at 0: start the model clock at the first dose and say so.
                regimen = Regimen(tuple(dataclasses.replace(d, day=d.day + shift) for d in regimen.doses))
                typer.echo(f"SBML time 0 is scenario day {-shift:g}: doses are shifted by {shift:g} days.")
        text = to_sbml(full_model(), regimen)
    except CartsimError as exc:
        typer.echo(f"cartsim export-sbml: {exc}", err=True)
        raise typer.Exit(2) from None
    out.write_text(text)
    typer.echo(f"Wrote {out}")


def main() -> None:
    app()
