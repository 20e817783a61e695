"""``docs/examples.md``: every shipped scenario run, with its endpoint table and key figures.

Run with ``python -m cartsim.report.examples_page docs`` (``make examples-docs``): each example
scenario (:mod:`cartsim.examples`) is simulated in memory, its main figures go to
``docs/images/examples/`` and one Markdown page lists them. Generated; do not edit by hand.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pandas as pd

from cartsim.engine import DISCLAIMER
from cartsim.report.common import number_text
from cartsim.report.html_report import failures_text

__all__ = ["write_examples_page"]

#: The figures shown per scenario (the full set is in each run's report).
SHOWN = (
    "bcells_blood",
    "cart_blood",
    "autoreactive_memory_relative",
    "autoantibody",
    "bcells_cns",
    "igg_intrathecal",
    "igg_total",
    "crs-grades",
    "km-bcell_recovery_day",
    "km-first_flare_day",
)


def _table(summary: pd.DataFrame, several: bool) -> list[str]:
    head = ("| hypothesis " if several else "") + "| arm | endpoint | statistic | value [95%] | n | censored |"
    lines = [head, "|---" * (7 if several else 6) + "|"]
    for r in summary.itertuples(index=False):
        value = number_text(r.value) + ("" if number_text(r.low) == "n/a" else f" [{number_text(r.low)}, {number_text(r.high)}]")
        lines.append(
            (f"| {r.hypothesis} " if several else "") + f"| {r.arm} | {r.endpoint} | {r.statistic} | {value} | {r.n} | {r.censored} |"
        )
    return lines


def write_examples_page(docs: Path) -> Path:
    """Run every example scenario and write ``docs/examples.md`` with figures."""
    from cartsim.examples import example_names, example_path, example_summary
    from cartsim.report.plain_summary import hypothesis_contrast
    from cartsim.report.trial_report import trial_figures
    from cartsim.trial import load_scenario, run_trial

    images = docs / "images" / "examples"
    images.mkdir(parents=True, exist_ok=True)
    for stale in images.glob("*.png"):  # every figure here is generated: none outlives the page that showed it
        stale.unlink()
    lines = [
        "# Shipped scenarios",
        "",
        f"> {DISCLAIMER}",
        "",
        f"Every example scenario shipped with cartsim (`cartsim examples`), run with its own settings on "
        f"{datetime.date.today().isoformat()} by `make examples-docs` (generated; do not edit). Each run's folder also holds a "
        'self-contained HTML report (`cartsim run "$(cartsim examples --path NAME)" --out DIR`). Bands: median and 5-95% '
        "over virtual patients.",
        "",
    ]
    for name in example_names():
        scenario = load_scenario(example_path(name))
        result = run_trial(scenario)
        several = len(scenario.runs) > 1
        lines += [
            f"## {name}",
            "",
            example_summary(name),
            "",
            f"Population `{scenario.population.name}`, {scenario.patients} virtual patients per arm, {scenario.horizon_days:g} days, "
            f"seed {scenario.seed}" + (f", hypotheses {', '.join(scenario.hypothesis_names)}" if several else "") + ".",
            "",
        ]
        failures = failures_text(result)
        lines += [failures, ""] if failures else []
        lines += _table(result.summary_table, several) + [""]
        lines += [paragraph for text in hypothesis_contrast(result.summary_table) for paragraph in (text, "")]
        for named in trial_figures(result):
            if not any(named.name == shown or named.name.startswith(f"{shown}-") for shown in SHOWN):
                continue
            target = images / f"{name}-{named.name}.png"
            target.write_bytes(named.figure.png)
            lines += [f"![{named.figure.alt}](images/examples/{target.name})", ""]
        print(f"{name}: done", file=sys.stderr, flush=True)
    page = docs / "examples.md"
    page.write_text("\n".join(lines))
    return page


if __name__ == "__main__":
    write_examples_page(Path(sys.argv[1]))
