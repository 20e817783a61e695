"""The demo: one CD19 CAR-T infusion (after Flu/Cy) versus ocrelizumab every six months in
relapsing MS, the same virtual patients in both arms.

Runs the full model on built-in defaults, writes a figure and a short summary. It is the
README's main job; ``cartsim demo --out DIR`` calls :func:`run_demo`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cartsim import full_model
from cartsim.endpoints import first_day_at_or_above_after, first_day_below
from cartsim.engine import DISCLAIMER, Simulation, simulate
from cartsim.parameters import references_for
from cartsim.parameters import POPULATION_CHANGES
from cartsim.population import sample_population
from cartsim.protocol import Dose, Regimen

__all__ = ["DEMO_ARMS", "DemoResult", "run_demo"]

#: The two arms of the demo.
DEMO_ARMS: dict[str, Regimen] = {
    "CD19 CAR-T 1e6 cells/kg after Flu/Cy": Regimen.of(
        *(Dose("fludarabine_iv", "25 mg/m**2", day=-5 + i) for i in range(3)),
        Dose("cyclophosphamide_iv", "1000 mg/m**2", day=-5),
        Dose("cart_infusion", "1e6 cells/kg", day=0),
    ),
    "ocrelizumab 600 mg / 24 weeks": Regimen.of(
        Dose("ocrelizumab_iv", "300 mg", day=0, duration="2.5 h"),
        Dose("ocrelizumab_iv", "300 mg", day=14, duration="2.5 h"),
        Dose("ocrelizumab_iv", "600 mg", day=168, duration="3.5 h", every_days=168, count=6),
    ),
}


@dataclass(frozen=True)
class DemoResult:
    summary: str
    files: tuple[Path, ...]
    simulations: dict[str, Simulation]


def _arm_lines(name: str, sim: Simulation) -> list[str]:
    b = sim["bcells_blood"].values
    t = sim.times
    ok = sim.ok
    depleted = first_day_below(b[ok], t, 10.0)
    back = first_day_at_or_above_after(b[ok], t, 10.0, depleted)
    lines = [f"## {name}", f"- patients simulated: {b.shape[0]} (failed solves: {sim.n_failed})"]
    t0 = int(np.searchsorted(t, 0.0))
    b, t = b[:, t0:], t[t0:]
    lines.append(f"- blood B cells below 10 cells/uL: {np.mean(np.isfinite(depleted)):.0%} of patients, median day {np.nanmedian(depleted):.0f}")
    returned = np.isfinite(back)
    day_back = f"median day {np.nanmedian(back):.0f}" if returned.any() else "none"
    lines.append(f"- B cells back to >= 10 cells/uL within {t[-1]:.0f} days: {returned.mean():.0%} of patients ({day_back})")
    for day in (180, 365, 730):
        i = int(np.searchsorted(t, day))
        if i < t.size:
            q = np.nanpercentile(b[ok, i], [5, 50, 95])
            lines.append(f"- day {day}: B cells median {q[1]:.2g} cells/uL (90% range {q[0]:.2g}-{q[2]:.2g})")
    if np.nanmax(sim["cart_blood"].values) > 0:
        peak = np.nanmax(sim["cart_blood"].values[ok], axis=1)
        lines.append(f"- CAR-T peak in blood: median {np.median(peak):.3g} cells/uL")
        grade = np.nanmax(sim["crs_grade"].values[ok], axis=1)
        lines.append(f"- CRS (IL-6 surrogate grade): any {np.mean(grade >= 1):.0%}, grade >= 2 {np.mean(grade >= 2):.0%}")
    years = (t[-1] - 0.0) / 365.25
    relapses = sim["relapse_cumulative_hazard"].values[ok, -1] - sim["relapse_cumulative_hazard"].values[ok, t0]
    lines.append(f"- expected relapses per year over {years:.1f} years: {np.mean(relapses) / years:.3f}")
    igg = sim["igg_total"].values[ok]
    lines.append(f"- total IgG at day {t[-1]:.0f}: median {np.median(igg[:, -1]):.1f} g/L (below 7 g/L: {np.mean(igg[:, -1] < 7):.0%})")
    return lines


def _figure(simulations: dict[str, Simulation], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    panels = (("bcells_blood", "Blood B cells (cells/uL)"), ("cart_blood", "CAR-T cells in blood (cells/uL)"),
              ("ocrelizumab_concentration", "Ocrelizumab (ug/mL)"))
    for ax, (var, title) in zip(axes, panels):
        for (name, sim), colour in zip(simulations.items(), ("tab:red", "tab:blue")):
            v = sim[var].values[sim.ok]
            if not np.nanmax(v) > 1e-6:  # this arm does not have this quantity
                continue
            lo, mid, hi = np.nanpercentile(v, [5, 50, 95], axis=0)
            ax.fill_between(sim.times, np.maximum(lo, 1e-3), np.maximum(hi, 1e-3), color=colour, alpha=0.2)
            ax.plot(sim.times, np.maximum(mid, 1e-3), color=colour, label=name)
        ax.set_yscale("log")
        ax.set_xlabel("days")
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.suptitle("cartsim demo: median and 90% band over virtual patients - research tool, not medical advice", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run_demo(out: Path | str, n_patients: int = 500, seed: int = 1) -> DemoResult:
    """Simulate both arms on the same ``n_patients`` virtual patients and write the outputs.

    Writes ``out/demo.png`` (B cells, CAR-T and drug over two years) and ``out/summary.md``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = full_model()
    parameters = sample_population(model, "rrms", n_patients, seed=seed, extra=POPULATION_CHANGES)
    times = np.arange(-5.0, 3 * 365.0 + 0.5)
    started = time.perf_counter()
    simulations = {name: simulate(model, regimen, parameters, times=times, seed=seed) for name, regimen in DEMO_ARMS.items()}
    seconds = time.perf_counter() - started
    lines = [
        "# cartsim demo: one CAR-T infusion vs ocrelizumab every 24 weeks in relapsing MS",
        "",
        f"> {DISCLAIMER}",
        "",
        f"{n_patients} virtual patients with relapsing MS (seed {seed}), each simulated under both arms for three "
        f"years in {seconds:.1f} s. Model {model.name} (hash {model.hash}), {len(model.states)} states: "
        "lymphodepletion, CAR-T, B-cell lineage, plasma cells and antibodies, cytokines, anti-CD20 drugs, MS activity.",
        "",
    ]
    for name, sim in simulations.items():
        lines += _arm_lines(name, sim) + [""]
    sources = sorted({p.source for p in model.parameters if not p.is_assumption})
    assumptions = sum(p.is_assumption for p in model.parameters)
    lines.append("## Sources")
    lines += [f"- {r.format()}" for r in references_for(sources)]
    lines.append(f"- {assumptions} parameters are documented assumptions (see cartsim.parameters.Assumptions).")
    summary = "\n".join(lines) + "\n"
    figure = out / "demo.png"
    _figure(simulations, figure)
    text = out / "summary.md"
    text.write_text(summary)
    return DemoResult(summary, (figure, text), simulations)
