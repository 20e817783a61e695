"""``cartsim sensitivity``: parse the ranges, run the analysis under a progress bar, print and write."""

from __future__ import annotations

from typing import Any

from cartsim.errors import InputError

__all__ = ["parse_ranges", "print_sensitivity"]


def parse_ranges(texts: list[str]) -> dict[str, tuple[float, float]]:
    """``["cart_kill_rate=0.5:2"]`` -> ``{"cart_kill_rate": (0.5, 2.0)}``; a malformed one is an InputError."""
    out = {}
    for text in texts:
        name, _, span = text.partition("=")
        low, _, high = span.partition(":")
        try:
            out[name.strip()] = (float(low), float(high))
        except ValueError:
            raise InputError("--range", text, "PARAMETER=LOW:HIGH in the parameter's unit, such as cart_kill_rate=0.5:2") from None
    return out


def print_sensitivity(console: Any, result: Any) -> None:
    """The most influential factors as a table, and what went wrong with samples."""
    from rich.table import Table

    from cartsim.engine import DISCLAIMER
    from cartsim.report.common import number_text

    table = result.ranking().head(15)
    measures = [m for m in ("ST", "S1", "mu_star", "sigma") if m in table]
    shown = Table(
        title=f"What drives {result.endpoint} ({result.unit}), {result.arm}, {result.hypothesis}: {result.method}, "
        f"{result.evaluations} virtual patients in {result.seconds:.0f} s; typical {number_text(result.typical)}"
    )
    shown.add_column("factor", overflow="fold")  # a parameter's name is never cut short
    for column in ["range", *measures]:
        shown.add_column(column)
    for row in table.itertuples():
        cells = []
        for m in measures:
            conf = getattr(row, f"{m}_conf", float("nan"))
            cells.append(number_text(getattr(row, m)) + ("" if conf != conf else f" +- {number_text(conf)}"))
        shown.add_row(row.factor, f"{number_text(row.low)} .. {number_text(row.high)} {row.unit} ({row.range})", *cells)
    console.print(shown)
    if result.failed:
        console.print(f"[bold red]{result.failed} samples failed to solve: every index is NaN. Narrow the ranges (--range).[/bold red]")
    if result.missing:
        said = f"counted as {number_text(result.fill)}" if result.fill is not None else "so every index is NaN; give --fill"
        console.print(f"[bold]{result.missing} samples had no {result.endpoint} (the event did not apply): {said}.[/bold]")
    if result.censored:
        console.print(f"{result.censored} samples reached the horizon without the event: counted at the horizon.")
    gaps = int(result.tornado[["at_low", "at_high"]].isna().to_numpy().sum())
    if gaps:
        console.print(f"{gaps} ends of the one-at-a-time tornado had no value and are left blank.")
    console.print(DISCLAIMER)
