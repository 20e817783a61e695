"""The ``cartsim`` command line: parse, call the library, print."""

from __future__ import annotations

from pathlib import Path

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
    from cartsim import first_model
    from cartsim.model.latex import model_markdown

    text = model_markdown(first_model())
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text)
        typer.echo(f"Wrote {out}")


def main() -> None:
    app()
