"""The ``cartsim`` command line: parse, call the library, print."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="cartsim: CAR T-cell therapy simulator (research tool, not medical advice).")


@app.command()
def demo(
    out: Path = typer.Option(Path("demo-output"), help="Folder for the figure and summary."),
    patients: int = typer.Option(500, min=1, max=100_000, help="Virtual patients per arm."),
    seed: int = typer.Option(1, min=0, help="Seed of the virtual population."),
) -> None:
    """One CD19 CAR-T infusion vs ocrelizumab every 24 weeks in the same virtual patients.

    Example: cartsim demo --out demo-output --patients 500
    """
    from cartsim.report.demo import run_demo

    result = run_demo(out, n_patients=patients, seed=seed)
    typer.echo(result.summary)
    typer.echo("Wrote: " + ", ".join(str(f) for f in result.files))


@app.command()
def equations(out: Path = typer.Option(None, help="Write the equations (Markdown + LaTeX) to this file instead of printing.")) -> None:
    """Print the foundation model's equations, generated from the model itself.

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
    try:
        from cartsim.validation.evaluate import evaluate
    except ModuleNotFoundError as exc:
        if exc.name != "cartsim.validation.evaluate":
            raise
        typer.echo("cartsim validate: this version of cartsim has no target evaluator (cartsim.validation.evaluate)", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{path}: {len(targets)} target{'' if len(targets) == 1 else 's'}", err=True)

    def progress(row: Any) -> None:
        typer.echo(f"  {row.id}: {row.seconds:.1f} s", err=True)

    written = None
    if report is None:
        scorecard = run_scorecard(targets, evaluate, on_row=progress)
    else:
        from cartsim.report.validation_report import run_validation_report

        # The page quotes the command that made it, as given, so that it can be run again.
        command = " ".join(["cartsim validate", *([str(file)] if file is not None else []),
                            *([f"--patients {patients}"] if patients is not None else []), f"--report {report}"])
        written = run_validation_report(targets, report, command=command, on_row=progress)
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


def main() -> None:
    app()
