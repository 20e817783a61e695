"""The demo: one CD19 CAR-T infusion (after Flu/Cy) versus ocrelizumab every 24 weeks in
relapsing MS over three years, as a virtual trial with its full report.

It is the README's main job; ``cartsim demo --out DIR`` calls :func:`run_demo`, which runs the
shipped scenario ``cartsim/trial/data/demo.toml`` (``examples/cart-vs-ocrelizumab-rrms.toml``
with 500 virtual patients per arm) through :func:`cartsim.trial.run_trial` and writes the
result folder with its figures and ``report.html``.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from cartsim.errors import InputError
from cartsim.trial import TrialResult, load_scenario, run_trial

__all__ = ["DEMO_SCENARIO", "run_demo"]

#: The demo's scenario file (package data).
DEMO_SCENARIO = Path(str(files("cartsim.trial").joinpath("data/demo.toml")))


def _clear_previous(out: Path) -> None:
    """Remove an earlier demo result in ``out``; refuse to touch any other existing folder."""
    if not out.exists():
        return
    if not ((out / "provenance.json").is_file() and (out / "report.html").is_file()):
        raise InputError("out", str(out), "a new folder, or the folder of an earlier cartsim result (it is replaced)")
    shutil.rmtree(out)


def run_demo(out: Path | str, patients: int | None = None, progress=None) -> TrialResult:
    """Run the demo trial and write its result folder (replacing an earlier demo result there)."""
    from cartsim import full_model
    from cartsim.report.trial_report import write_trial_report

    out = Path(out)
    scenario = load_scenario(DEMO_SCENARIO, patients=patients)
    _clear_previous(out)
    return run_trial(scenario, out, progress=progress, finalise=lambda result, folder: write_trial_report(result, folder, model=full_model()))
