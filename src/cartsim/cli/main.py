"""The ``cartsim`` command line: parse, call the library, print.

Only typer is imported when the program starts; every command imports what it needs, so
``cartsim --help`` answers at once.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="cartsim: CAR T-cell therapy simulator (research tool, not medical advice)."
)


@app.callback()
def _console_warnings() -> None:
    """Warnings on the console read as one line each (``cartsim: warning: ...``), not as Python source."""
    import warnings

    from cartsim.errors import CartsimWarning

    def one_line(message: Warning | str, category: type[Warning], filename: str, lineno: int, line: str | None = None) -> str:
        kind = "warning" if issubclass(category, CartsimWarning) else category.__name__
        return f"cartsim: {kind}: {message}\n"

    warnings.formatwarning = one_line


def _fail(command: str, message: object, code: int = 2) -> NoReturn:
    typer.echo(f"cartsim {command}: {message}", err=True)
    raise typer.Exit(code)


def _writable(path: Path, field: str, kind: str) -> None:
    """Refuse, before anything runs, an output path that cannot be written (``kind``: "file" or "folder")."""
    from cartsim.errors import InputError

    if kind == "file" and path.is_dir():
        raise InputError(field, str(path), "a file name (this is a folder)")
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(field, str(path), f"a path whose folders can be created ({parent} is a file)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(field, str(path), f"a path in a folder you may write to ({parent} is not writable)")


def _summary_table(result: Any) -> Any:
    """The endpoint table of a trial result, as a rich table (a hypothesis column when there are several)."""
    from rich.table import Table

    from cartsim.report.common import PARAMETER_UNCERTAINTY, SAMPLING_ERROR, number_text

    scenario = result.scenario
    several = len(scenario.runs) > 1
    table = Table(
        title=f"{len(scenario.arms)} arms x {scenario.patients} patients, {scenario.horizon_days:g} days",
        caption=f"{SAMPLING_ERROR} {PARAMETER_UNCERTAINTY}",
    )
    for column in (["hypothesis"] if several else []) + ["arm", "endpoint", "statistic", "value", "95% interval", "n", "censored"]:
        table.add_column(column)
    for row in result.summary().itertuples():
        span = "-" if number_text(row.low) == "n/a" else f"{number_text(row.low)} .. {number_text(row.high)}"
        cells = [row.arm, row.endpoint, row.statistic, number_text(row.value), span, str(row.n), str(row.censored)]
        table.add_row(*(([row.hypothesis] if several else []) + cells))
    return table


def _progress_bar(console: Any) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _interrupted(exc: BaseException) -> bool:
    """Ctrl-C, also when it reached Python inside compiled code (numba reports it as a SystemError)."""
    return (
        isinstance(exc, KeyboardInterrupt) or isinstance(exc.__context__, KeyboardInterrupt) or isinstance(exc.__cause__, KeyboardInterrupt)
    )


def _run_with_progress(console: Any, run: Callable[[Callable[[int, int], None]], Any], command: str, out: Path, again: str) -> Any:
    """``run(progress)`` under a progress bar; Ctrl-C ends the command with one line saying how to go on."""
    from cartsim.errors import InputError

    done = [0, 0]

    def progress(finished: int, total: int) -> None:
        done[:] = [finished, total]
        bar.update(task, completed=finished, total=total)

    try:
        with _progress_bar(console) as bar:
            task = bar.add_task("chunks", total=None)
            return run(progress)
    except InputError as exc:
        _fail(command, exc)
    except (KeyboardInterrupt, SystemError) as exc:
        if not _interrupted(exc):
            raise
        _fail(command, f"interrupted: {done[0]} of {done[1]} chunks are saved in {out.name}.partial; {again}", code=130)


def _print_result(console: Any, result: Any, out: Path) -> None:
    from cartsim.engine import DISCLAIMER
    from cartsim.report.html_report import failures_text
    from cartsim.report.plain_summary import by_hypothesis, hypothesis_contrast

    if failed := failures_text(result):
        console.print(f"[bold red]{failed}[/bold red]")
    console.print(_summary_table(result))
    treatments = {arm.name: arm.treatment for arm in result.scenario.arms}
    scenario = result.scenario
    for hypothesis, paragraphs in by_hypothesis(result.summary_table, treatments, scenario.hypothesis_names, scenario.horizon_days).items():
        if len(scenario.runs) > 1:
            console.print(f"[bold]Under hypothesis {hypothesis}:[/bold]")
        for paragraph in paragraphs:
            console.print(paragraph + "\n")
    if contrast := hypothesis_contrast(result.summary_table):
        console.print("[bold]What the open questions change:[/bold]")
        for paragraph in contrast:
            console.print(paragraph + "\n")
    console.print(f"Wrote {out}: open {out / 'report.html'} in a browser")
    console.print(DISCLAIMER)


@app.command()
def demo(
    out: Path = typer.Option(
        Path("demo-output"), help="Result folder (an earlier demo result there is replaced; an empty folder is used)."
    ),
    patients: int | None = typer.Option(None, min=1, max=100_000, help="Virtual patients per arm (default 500)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted demo from DIR.partial."),
) -> None:
    """CD19 CAR-T (after Flu/Cy) vs ocrelizumab every 24 weeks in relapsing MS over three years.

    Runs the shipped example cart-vs-ocrelizumab-rrms as a virtual trial and writes its result
    folder with figures and a self-contained report.html.

    Example: cartsim demo --out demo-output
    """
    from rich.console import Console

    from cartsim.errors import InputError
    from cartsim.report.demo import run_demo

    console = Console()
    try:
        _writable(out, "--out", "folder")
    except InputError as exc:
        _fail("demo", exc)
    result = _run_with_progress(
        console,
        lambda progress: run_demo(out, patients=patients, progress=progress, resume=resume),
        "demo",
        out,
        "run `cartsim demo --resume` with the same options to continue",
    )
    _print_result(console, result, out)


@app.command("run")
def run_command(
    scenario: Path = typer.Argument(..., help="Scenario file (TOML; `cartsim formats scenario` prints the format)."),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Result folder to create (must not exist or be empty; written as DIR.partial until complete, DIR.lock held while it runs).",
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Continue an interrupted run from DIR.partial without recomputing finished chunks."
    ),
    patients: int | None = typer.Option(None, min=1, max=1_000_000, help="Virtual patients per arm, overriding the file."),
    max_failures: int = typer.Option(
        0, "--max-failures", min=0, help="Failed solves tolerated before the exit status says so (3); the results are written either way."
    ),
) -> None:
    """Run a virtual trial: every arm under each hypothesis, endpoints with 95% intervals, trajectory bands.

    Writes DIR/endpoints.parquet, summary.csv, summary.json, comparisons.csv, trajectories.nc,
    provenance.json, figures/*.png, report.html, a copy of the scenario, and patients/*.nc when
    the scenario keeps patients' trajectories. Exit status 2 for a bad scenario or folder
    (nothing is run), 3 when more virtual patients' solves failed than --max-failures allows
    (they are left out of every statistic; the console and the report say how many), 130 when
    interrupted (continue with --resume).

    Example: cartsim run "$(cartsim examples --path cart-vs-ocrelizumab-rrms)" --out results/rrms --patients 200
    """
    from rich.console import Console

    from cartsim.errors import InputError
    from cartsim.report.trial_report import run_and_report
    from cartsim.trial import load_scenario

    console = Console()
    try:
        checked = load_scenario(scenario, patients=patients)
        _writable(out, "--out", "folder")
        checked.model()  # modules that do not fit together are refused before anything runs
    except InputError as exc:
        _fail("run", f"{scenario}: {exc}")
    result = _run_with_progress(
        console,
        lambda progress: run_and_report(checked, out, resume=resume, progress=progress),
        "run",
        out,
        f"run `cartsim run {scenario} --out {out} --resume` to continue",
    )
    _print_result(console, result, out)
    if int(result.provenance.get("failed_solves", 0)) > max_failures:
        raise typer.Exit(3)


@app.command()
def equations(out: Path = typer.Option(None, help="Write the equations (Markdown + LaTeX) to this file instead of printing.")) -> None:
    """Print the full model's equations, generated from the model itself.

    Example: cartsim equations --out docs/equations.md
    """
    from cartsim import full_model
    from cartsim.errors import InputError
    from cartsim.model.latex import model_markdown
    from cartsim.parameters.hypotheses import HYPOTHESES

    if out is not None:
        try:
            _writable(out, "--out", "file")
        except InputError as exc:
            _fail("equations", exc)
    text = model_markdown(full_model(), tuple(HYPOTHESES.values()))
    if out is None:
        typer.echo(text)
    else:
        from cartsim.trial.files import atomic_write_text

        atomic_write_text(out, text)
        typer.echo(f"Wrote {out}")


def _targets_or_exit(path: Path | None, command: str, gaps: bool = False) -> Any:
    """The checked targets of ``path`` (None: the built-in calibration set, or the known gaps); a bad file ends the command with status 2."""
    from cartsim.errors import InputError
    from cartsim.validation import load_calibration, load_gaps, load_targets

    try:
        return load_targets(path) if path is not None else load_gaps() if gaps else load_calibration()
    except InputError as exc:
        _fail(command, f"{path or ('known gaps' if gaps else 'calibration set')}: {exc}")


@app.command()
def validate(
    file: Path | None = typer.Argument(None, help="Targets file (`cartsim formats targets`). Default: the built-in calibration targets."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the scorecard as JSON to this file."),
    patients: int | None = typer.Option(None, min=1, max=100_000, help="Virtual patients per target, overriding the file (quick runs)."),
    report: Path | None = typer.Option(
        None, "--report", help="Also write the validation page DIR/validation.md with one figure per target in DIR/images/validation/."
    ),
    known_gaps: bool = typer.Option(
        False, "--known-gaps", help="Score the known gaps instead (published observations the model misses; the page is DIR/gaps.md)."
    ),
) -> None:
    """Simulate every target of a targets file and print the scorecard.

    Exit status 0 when the file was read and every target simulated, whatever passed;
    1 when a target could not be simulated (the scorecard says why); 2 for a bad file (the
    message names the field, the value and what is allowed; nothing is simulated).

    Example: cartsim validate --patients 100 --json scorecard.json
    Example: cartsim validate --report docs   (regenerates docs/validation.md and its figures)
    Example: cartsim validate --known-gaps    (what the model does not yet reproduce)
    """
    from cartsim.errors import InputError
    from cartsim.validation import calibration_paths, gaps_path, print_scorecard, run_scorecard, write_json
    from cartsim.validation.evaluate import evaluate

    if known_gaps and file is not None:
        _fail("validate", InputError("FILE", str(file), "no targets file with --known-gaps (it chooses the file): one or the other"))
    path = gaps_path().name if known_gaps else file if file is not None else " + ".join(p.name for p in calibration_paths())
    targets = _targets_or_exit(file, "validate", gaps=known_gaps)
    try:
        for target_path, kind in ((json_out, "file"), (report, "folder")):
            if target_path is not None:
                _writable(target_path, "--json" if kind == "file" else "--report", kind)
        model = targets.model()
    except InputError as exc:
        _fail("validate", exc)
    if patients is not None:
        targets = dataclasses.replace(targets, targets=tuple(dataclasses.replace(t, patients=patients) for t in targets))
    typer.echo(f"{path}: {len(targets)} target{'' if len(targets) == 1 else 's'}", err=True)

    def progress(row: Any) -> None:
        typer.echo(f"  {row.id}: {row.seconds:.1f} s", err=True)

    written = None
    if report is None:
        scorecard = run_scorecard(
            targets, lambda target: evaluate(target, model, solver=targets.solver, backend=targets.backend), on_row=progress
        )
    else:
        from cartsim.report.validation_report import run_validation_report

        # The page quotes the command that made it, as given, so that it can be run again.
        command = " ".join(
            [
                "cartsim validate",
                *([str(file)] if file is not None else []),
                *(["--known-gaps"] if known_gaps else []),
                *([f"--patients {patients}"] if patients is not None else []),
                f"--report {report}",
            ]
        )
        written = run_validation_report(targets, report, model, command=command, on_row=progress, gaps=known_gaps)
        scorecard = written.scorecard
    print_scorecard(scorecard)
    if written is not None:
        typer.echo(f"Wrote {written.page} and {len(written.figures)} figures in {written.page.parent / 'images' / 'validation'}")
    if json_out is not None:
        write_json(scorecard, json_out)
        typer.echo(f"Wrote {json_out}")
    if scorecard.errors:
        raise typer.Exit(1)


def _is_targets_file(path: Path) -> bool:
    from cartsim.checks import read_toml
    from cartsim.errors import InputError

    try:
        return read_toml(path, "file", "file").get("schema") is not None
    except InputError:
        return True  # let the targets reader say what is wrong


@app.command()
def cite(
    file: Path | None = typer.Argument(None, help="A scenario or targets file: cite exactly what its runs use."),
) -> None:
    """Print the references behind a run: the sources of the parameter values and modules it uses.

    With no file: the full model with its default values. With a scenario: every population,
    parameter change, hypothesis and module its arms run with. With a targets file: what its
    targets run with, then the publications the targets reproduce.

    Example: cartsim cite "$(cartsim examples --path cart-vs-ocrelizumab-ppms)"
    """
    from cartsim import full_model
    from cartsim.errors import InputError
    from cartsim.parameters.bibliography import references_for
    from cartsim.parameters.citations import cited_keys

    targets: Any = ()
    try:
        if file is None:
            model = full_model()
            users, what = cited_keys(model), f"model {model.name!r} with its default values"
        elif _is_targets_file(file):
            targets = _targets_or_exit(file, "cite")
            model = targets.model()
            users, what = targets.cited_keys(model), f"the targets in {file}"
        else:
            from cartsim.trial import load_scenario

            scenario = load_scenario(file)
            model = scenario.model()
            users, what = scenario.cited_keys(model), f"the scenario {file}"
    except InputError as exc:
        _fail("cite", exc)
    typer.echo(f"References behind {what} (parameter values and module structure):")
    for reference in references_for(users):
        typer.echo(f"  {reference.format()}")
        typer.echo(f"      used for: {', '.join(users[reference.key])}")
    assumed = [p.name for p in model.parameters if p.is_assumption]
    typer.echo(
        f"{len(assumed)} of {len(model.parameters)} parameter values of the model are documented assumptions (each states its reason)."
    )
    if targets:
        typer.echo(f"Publications reproduced by the targets in {file}:")
        for target in targets:
            typer.echo(f"  [{target.id}] {target.source}")


@app.command()
def models(
    equations: bool = typer.Option(False, "--equations", help="Also print every module's equations (Markdown + LaTeX)."),
    parameters: bool = typer.Option(False, "--parameters", help="Also list every parameter: value, unit, spread and source."),
    hypotheses: bool = typer.Option(False, "--hypotheses", help="Also list the built-in hypotheses: what each says and its evidence."),
) -> None:
    """List the biology modules of the full model: what each holds, reads and provides.

    Example: cartsim models --parameters --hypotheses
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
        if module.therapies:
            typer.echo(f"    therapies: {', '.join(t.name for t in module.therapies)}")
    if parameters:
        typer.echo("")
        for p in model.parameters:
            spread = f", omega {p.variability.omega:g}" if p.variability else ""
            typer.echo(f"{p.name} = {p.value:g} {p.unit}{spread}  [{p.source}]")
    if hypotheses:
        from cartsim.parameters.hypotheses import HYPOTHESES

        typer.echo("")
        for h in HYPOTHESES.values():
            changes = ", ".join(f"{c.name} = {c.value:g}{' ' + c.unit if c.unit and c.unit != '1' else ''}" for c in h.changes)
            typer.echo(f"{h.name}: {h.description}\n    sets {changes}\n    evidence: {h.source}")
    if equations:
        typer.echo("")
        typer.echo(model_markdown(model))


@app.command("export-sbml")
def export_sbml(
    out: Path = typer.Option(..., help="SBML file to write."),
    scenario: Path = typer.Option(None, help="A scenario file whose arm's doses become SBML events."),
    arm: str = typer.Option(None, help="The arm of the scenario (default: the first)."),
) -> None:
    """Write the model as SBML Level 3 (with one arm's doses as events, if a scenario is given).

    With a scenario, the model is the scenario's (its modules) with its population's and the
    arm's parameter values.

    Example: cartsim export-sbml --out model.xml --scenario "$(cartsim examples --path cart-vs-ocrelizumab-rrms)" --arm "CD19 CAR-T"
    """
    from cartsim import full_model
    from cartsim.errors import CartsimError
    from cartsim.io import to_sbml
    from cartsim.model import Change
    from cartsim.protocol import Regimen
    from cartsim.trial import load_scenario

    regimen = None
    try:
        _writable(out, "--out", "file")
        model = full_model()
        if scenario is not None:
            from cartsim.population import cohort_model

            checked = load_scenario(scenario)
            chosen = [i for i, a in enumerate(checked.arms) if arm is None or a.name == arm]
            if not chosen:
                raise typer.BadParameter(f"no arm {arm!r}; the arms are: {', '.join(a.name for a in checked.arms)}", param_hint="--arm")
            cohort = checked.cohort(0, chosen[0], 0, 1)
            switches = [
                Change(name, value, "assumption: set by the arm's therapies") for name, value in cohort.treatment.parameters.items()
            ]
            model = cohort_model(checked.model(), cohort).with_changes(switches)
            regimen = cohort.treatment.regimen
            shift = -min(0.0, *(d.day for d in regimen.doses))
            if shift:
                # SBML time starts at 0: start the model clock at the first dose and say so.
                regimen = Regimen(tuple(dataclasses.replace(d, day=d.day + shift) for d in regimen.doses))
                typer.echo(f"SBML time 0 is scenario day {-shift:g}: doses are shifted by {shift:g} days.")
        text = to_sbml(model, regimen)
    except CartsimError as exc:
        _fail("export-sbml", exc)
    from cartsim.trial.files import atomic_write_text

    atomic_write_text(out, text)
    typer.echo(f"Wrote {out}")


@app.command()
def examples(
    copy: Path | None = typer.Option(
        None, "--copy", help="Copy every example scenario into this folder (existing files are never overwritten)."
    ),
    path: str | None = typer.Option(None, "--path", help="Print the file of one example (for other commands)."),
) -> None:
    """List the shipped example scenarios; copy them for editing, or print one's file.

    Example: cartsim examples --copy my-scenarios
    """
    from cartsim.errors import InputError
    from cartsim.examples import copy_examples, example_names, example_path, example_summary

    try:
        if path is not None:
            typer.echo(str(example_path(path)))
            return
        if copy is not None:
            for written in copy_examples(copy):
                typer.echo(f"Wrote {written}")
            return
    except InputError as exc:
        _fail("examples", exc)
    for name in example_names():
        typer.echo(f"{name}\n    {example_summary(name)}")
    typer.echo('Run one: cartsim run "$(cartsim examples --path NAME)" --out DIR')


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (another than 127.0.0.1 opens the explorer to the network)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    cache: Path = typer.Option(None, help="Folder for cached answers, the only place the explorer writes (default: ~/.cache/cartsim/web)."),
    running: int = typer.Option(1, min=1, max=8, help="Questions simulated at once; more wait briefly, then get 503 with a retry hint."),
    presets: bool = typer.Option(True, help="Answer the default question of each MS type at start, so those answers are instant."),
) -> None:
    """Start the web explorer for people with MS and their neurologists, and print its address.

    Example: cartsim serve   (then open http://127.0.0.1:8000)
    """
    import uvicorn

    from cartsim.engine import DISCLAIMER
    from cartsim.errors import InputError
    from cartsim.web.app import create_app, preset_questions
    from cartsim.web.cache import default_cache_folder

    folder = cache if cache is not None else default_cache_folder()
    try:
        _writable(folder, "--cache", "folder")
        loopback = ("127.0.0.1", "localhost", "::1", "[::1]")
        hosts = list(loopback) if host in loopback else None
        explorer = create_app(folder, running=running, presets=preset_questions() if presets else (), hosts=hosts)
    except (InputError, OSError) as exc:
        _fail("serve", exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"Warning: listening on {host}: anyone who can reach this machine can use the explorer.", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"cartsim explorer at http://{shown}:{port}  (answers cached in {folder}; Ctrl-C to stop)")
    typer.echo(DISCLAIMER)
    uvicorn.run(explorer, host=host, port=port, log_level="warning")


@app.command()
def sensitivity(
    scenario: Path = typer.Argument(..., help="Scenario file (TOML; `cartsim formats scenario` prints the format)."),
    endpoint: str = typer.Option(..., "--endpoint", help="One of the scenario's endpoints (its label)."),
    arm: str = typer.Option(None, help="The arm (default: the first)."),
    hypothesis: str = typer.Option(None, help="The hypothesis (default: the scenario's first)."),
    method: str = typer.Option("sobol", help="sobol (S1, ST), morris (mu*, sigma) or fast (eFAST S1, ST)."),
    samples: int = typer.Option(
        64, help="Base samples: a power of 2 for sobol (evaluations samples x (factors + 2)), at least 4 for morris, 65 for fast."
    ),
    ranges: list[str] = typer.Option(
        [],
        "--range",
        help="PARAMETER=LOW:HIGH in the parameter's unit (repeat). Default: every parameter with between-patient spread, over its 5-95% range.",
    ),
    fill: float = typer.Option(None, help="Value of a sample whose endpoint has none (B cells that never fell: --fill 0)."),
    out: Path = typer.Option(
        None, "--out", help="Folder to write (must not exist or be empty): indices.csv, tornado.csv, figures, sensitivity.json."
    ),
) -> None:
    """Which parameters drive an endpoint of one arm: Sobol', Morris or eFAST indices (SALib) and a tornado.

    Every sample is a virtual patient of the arm with the factors set to it and every other
    parameter typical, solved in batches; all samples share one patient's random events.

    Example: cartsim sensitivity "$(cartsim examples --path cart-vs-ocrelizumab-rrms)" --endpoint crs_max_grade --samples 64
    """
    from rich.console import Console

    from cartsim.cli.sensitivity import parse_ranges, print_sensitivity
    from cartsim.errors import InputError
    from cartsim.sensitivity import sensitivity as analyse_sensitivity
    from cartsim.sensitivity.output import check_folder, write_sensitivity
    from cartsim.trial import load_scenario

    console = Console()
    try:
        checked = load_scenario(scenario)
        if out is not None:
            _writable(out, "--out", "folder")
            check_folder(out)  # refused before the run, not after it
        given = parse_ranges(ranges)
        with _progress_bar(console) as bar:
            task = bar.add_task("virtual patients", total=None)
            result = analyse_sensitivity(
                checked,
                endpoint,
                arm=arm,
                hypothesis=hypothesis,
                method=method,
                samples=samples,
                ranges=given or None,
                fill=fill,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except InputError as exc:
        _fail("sensitivity", exc)
    print_sensitivity(console, result)  # before writing: a folder that cannot be written loses no printed result
    if out is not None:
        try:
            write_sensitivity(result, out)
        except InputError as exc:
            _fail("sensitivity", exc)
        console.print(f"Wrote {out}: indices.csv, tornado.csv, indices.png, tornado.png, sensitivity.json")
    if not result.complete:
        raise typer.Exit(3)


@app.command()
def formats(name: str = typer.Argument("scenario", help="scenario, targets or population.")) -> None:
    """Print the format of scenario, targets or population files.

    Example: cartsim formats targets
    """
    from cartsim.errors import InputError
    from cartsim.formats import format_text

    try:
        typer.echo(format_text(name))
    except InputError as exc:
        _fail("formats", exc)


def main() -> None:
    app()
