"""``docs/examples.md``: every shipped scenario run, with its endpoint table and key figures.

Run with ``python -m cartsim.report.examples_page examples docs`` (``make examples-docs``):
each scenario in the folder is simulated (in memory), its main figures go to
``docs/images/examples/`` and one Markdown page lists them. Generated; do not edit by hand.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from cartsim.engine import DISCLAIMER
from cartsim.report.trial_figures import band_figure, grade_figure, km_figure
from cartsim.report.trial_report import trial_view

__all__ = ["write_examples_page"]

#: The figures shown per scenario (the full set is in each run's report).
SHOWN = ("bcells_blood", "cart_blood", "igg_total")


def _table(summary) -> list[str]:
    lines = ["| arm | endpoint | statistic | value [95%] | n | censored |", "|---|---|---|---:|---:|---:|"]
    for r in summary.itertuples(index=False):
        value = "n/a" if r.value != r.value else f"{r.value:.3g} [{r.lower:.3g}, {r.upper:.3g}]"
        lines.append(f"| {r.arm} | {r.endpoint} | {r.statistic} | {value} | {r.n} | {r.censored} |")
    return lines


def write_examples_page(folder: Path, docs: Path) -> Path:
    """Run every ``*.toml`` scenario in ``folder`` and write ``docs/examples.md`` with figures."""
    from cartsim.trial import load_scenario, run_trial

    images = docs / "images" / "examples"
    images.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Shipped scenarios",
        "",
        f"> {DISCLAIMER}",
        "",
        f"Every scenario in `examples/`, run with its own settings on {datetime.date.today().isoformat()} by "
        "`make examples-docs` (generated; do not edit). Each run's folder also holds a self-contained HTML report "
        "(`cartsim run FILE --out DIR`). Bands: median and 5-95% over virtual patients.",
        "",
    ]
    for path in sorted(folder.glob("*.toml")):
        scenario = load_scenario(path)
        view = trial_view(run_trial(scenario))
        comment = [line.lstrip("# ").rstrip() for line in path.read_text().splitlines() if line.startswith("#")]
        lines += [f"## {path.stem}", "", " ".join(comment), "",
                  f"Population `{scenario.population}`, {scenario.patients} virtual patients per arm, {scenario.horizon_days:g} days, "
                  f"seed {scenario.seed}; file [examples/{path.name}](../examples/{path.name}).", ""]
        lines += _table(view.summary) + [""]
        drawn = [(name, band_figure(view.bands, name)) for name in SHOWN if name in view.bands]
        if view.crs_grades is not None and float(view.crs_grades.drop(columns=0, errors="ignore").to_numpy().sum()) > 0:
            drawn.append(("crs", grade_figure(view.crs_grades, "CRS")))
        if "bcell_recovery_day" in view.km:
            drawn.append(("km-recovery", km_figure(view.km["bcell_recovery_day"], "bcell_recovery_day", [a.name for a in scenario.arms])))
        for name, figure in drawn:
            if figure is None:
                continue
            target = images / f"{path.stem}-{name}.png"
            target.write_bytes(figure.png)
            lines += [f"![{figure.alt}](images/examples/{target.name})", ""]
        print(f"{path.stem}: done", file=sys.stderr, flush=True)
    page = docs / "examples.md"
    page.write_text("\n".join(lines))
    return page


if __name__ == "__main__":
    write_examples_page(Path(sys.argv[1]), Path(sys.argv[2]))
