"""Figures of a sensitivity analysis: the indices per factor and the one-at-a-time tornado."""

from __future__ import annotations

import numpy as np

from cartsim.report.trial_figures import Figure, png_bytes, pyplot
from cartsim.sensitivity.run import SensitivityResult

__all__ = ["index_figure", "tornado_figure"]

#: Factors drawn at most (the most influential).
TOP = 15


def _title(result: SensitivityResult) -> str:
    return f"{result.endpoint}, {result.arm} ({result.hypothesis})"


def index_figure(result: SensitivityResult) -> Figure:
    """Horizontal bars: total (and first-order) Sobol'/FAST indices, or Morris mu* and sigma, most influential on top."""
    plt = pyplot()
    table = result.ranking().head(TOP).iloc[::-1]
    measures = ("ST", "S1") if "ST" in table else ("mu_star", "sigma")
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(table) + 1.4))
    y = np.arange(len(table))
    for k, (measure, colour) in enumerate(zip(measures, ("tab:blue", "tab:orange"), strict=True)):
        conf = table.get(f"{measure}_conf")
        err = None if conf is None or conf.isna().all() else conf.to_numpy(dtype=float)
        ax.barh(y + (0.2 if k == 0 else -0.2), table[measure], 0.4, xerr=err, color=colour, label=measure, capsize=2)
    ax.set_yticks(y, table["factor"], fontsize=8)
    ax.set_xlabel("index" if measures[0] == "ST" else f"elementary effect ({result.unit})")
    ax.set_title(f"{result.method}: {_title(result)}", fontsize=10)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=8)
    top = ", ".join(f"{r.factor} {getattr(r, measures[0]):.2g}" for r in table.iloc[::-1].head(5).itertuples())
    alt = f"Bar chart of the {result.method} sensitivity indices of {_title(result)}; largest {measures[0]}: {top}."
    return Figure(f"What drives {_title(result)}: {result.method} indices (95% intervals where SALib gives them).", alt, png_bytes(fig))


def tornado_figure(result: SensitivityResult) -> Figure:
    """The endpoint at each factor's low and high end (others typical), widest swing on top."""
    plt = pyplot()
    table = result.tornado.head(TOP).iloc[::-1]
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(table) + 1.4))
    y = np.arange(len(table))
    ax.barh(y, table["at_low"] - result.typical, left=result.typical, color="tab:blue", label="factor at its low end")
    ax.barh(y, table["at_high"] - result.typical, left=result.typical, color="tab:red", label="factor at its high end")
    ax.axvline(result.typical, color="black", lw=0.8)
    ax.set_yticks(y, table["factor"], fontsize=8)
    ax.set_xlabel(f"{result.endpoint} ({result.unit})")
    ax.set_title(f"One at a time: {_title(result)}", fontsize=10)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=8)
    top = ", ".join(f"{r.factor} {r.at_low:.3g} to {r.at_high:.3g}" for r in table.iloc[::-1].head(5).itertuples())
    alt = f"Tornado chart of {_title(result)}, typical {result.typical:.3g}; widest swings: {top}."
    caption = f"{_title(result)} with each factor at the low or high end of its range, the others typical ({result.typical:.3g})."
    return Figure(caption, alt, png_bytes(fig))
