"""The demo: one CD19 CAR-T infusion (after Flu/Cy) versus ocrelizumab every 24 weeks in
relapsing MS over three years, as a virtual trial with its full report.

It is the README's main job; ``cartsim demo --out DIR`` calls :func:`run_demo`, which runs the
shipped example ``cart-vs-ocrelizumab-rrms`` (with :data:`DEMO_PATIENTS` virtual patients per
arm) through :func:`cartsim.trial.run_trial` and writes the result folder with its figures and
``report.html``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from cartsim.errors import InputError
from cartsim.examples import example_path
from cartsim.trial import TrialResult, load_scenario

__all__ = ["DEMO_EXAMPLE", "DEMO_PATIENTS", "run_demo"]

#: The shipped scenario the demo runs, and its patients per arm.
DEMO_EXAMPLE = "cart-vs-ocrelizumab-rrms"
DEMO_PATIENTS = 500


def _clear_previous(out: Path) -> None:
    """Remove an earlier demo result in ``out`` (only the files cartsim wrote there); an empty folder is used as it
    is; any other folder, or a result folder holding files cartsim did not write, is refused and left untouched."""
    from cartsim.trial.result import foreign_files

    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return
    if not (out.is_dir() and (out / "provenance.json").is_file() and (out / "report.html").is_file()):
        raise InputError("out", str(out), "a new or empty folder, or the folder of an earlier cartsim result (it is replaced)")
    if foreign := foreign_files(out):
        names = ", ".join(str(f.relative_to(out)) for f in foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise InputError("out", str(out), f"a result folder with only the files cartsim wrote (it also holds {names}: move them away)")
    shutil.rmtree(out)


def run_demo(
    out: Path | str, patients: int | None = None, progress: Callable[[int, int], None] | None = None, resume: bool = False
) -> TrialResult:
    """Run the demo trial and write its result folder (replacing an earlier demo result there; ``resume``: continue an interrupted one)."""
    from cartsim.report.trial_report import run_and_report

    out = Path(out)
    scenario = load_scenario(example_path(DEMO_EXAMPLE), patients=patients or DEMO_PATIENTS)
    if not resume:
        _clear_previous(out)
    return run_and_report(scenario, out, resume=resume, progress=progress)
