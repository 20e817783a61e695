"""Hostile inputs: what a careless or adversarial user gives cartsim, and what must happen.

Each case is one command (``cartsim ...`` with files written first into an empty folder) and
what is expected of it:

- ``refused``: exit status 2 and a message that names the field (or path) and says what is
  allowed; nothing is written (the folder holds only the case's own files afterwards);
- ``handled``: the command succeeds (exit 0, or 3 when solves failed) and the case's own
  check of what it wrote passes.

A Python traceback, a hang (over :data:`TIME_LIMIT` seconds), a refusal without the field,
or anything written by a refused command fails the case. The base scenario is the issue's:
10 patients of ``sle``, 60 days, one CD19 CAR-T arm; each case changes one thing.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from cartsim.cli.main import app

#: Seconds a case may take before it counts as a hang.
TIME_LIMIT = 120

_ARM = '{ therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "DOSE" }'
_BASE = """title = "TITLE"
population = "sle"
patients = 10
horizon_days = HORIZON

[[arm]]
name = "NAME"
regimen = [ ARM ]
"""
_TARGET = """schema = "cartsim-targets/1"

[[target]]
id = "t"
source = "test"
population = "sle"
patients = 20
horizon_days = HORIZON
regimen = [ { therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "DOSE" } ]
endpoint = "bcell_recovery_day"
statistic = "median"
observed = 100
accept = [0, 1000]
"""


def scenario(
    *, dose: str = "1e6 cells/kg", arm: str = _ARM, name: str = "CAR-T", title: str = "t", horizon: str = "60", extra: str = ""
) -> str:
    text = _BASE.replace("ARM", arm).replace("DOSE", dose).replace("NAME", name).replace("TITLE", title).replace("HORIZON", horizon)
    return text + extra


def targets(*, dose: str = "1e6 cells/kg", horizon: str = "200") -> str:
    return _TARGET.replace("DOSE", dose).replace("HORIZON", horizon)


Check = Callable[[Path, str], "str | None"]


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it."""

    id: str
    group: str
    what: str
    argv: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)
    expect: str = "refused"  # or "handled"
    mentions: str = ""  # the refusal must name this (a field or a path)
    check: Check | None = None
    prepare: tuple[str, ...] = ()  # a command run first (its output is not judged), before the files are written


@dataclass(frozen=True)
class Result:
    case: Case
    outcome: str  # "refused", "handled" or "failed"
    detail: str
    seconds: float


def _invoke(argv: tuple[str, ...], folder: Path):
    here = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(app, list(argv))
    finally:
        os.chdir(here)


def run_case(case: Case, folder: Path) -> Result:
    """Run ``case`` in the empty folder ``folder``."""
    if case.prepare:
        _invoke(case.prepare, folder)
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = {p.relative_to(folder) for p in folder.rglob("*")}

    def hang(signum, frame):
        raise TimeoutError(f"over {TIME_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(TIME_LIMIT)
    start = time.perf_counter()
    try:
        result = _invoke(case.argv, folder)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - start
    output = " ".join((result.output or "").split())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))[-600:]
        return Result(case, "failed", f"traceback: {tb}", seconds)
    if case.expect == "refused":
        written = sorted(str(p) for p in {p.relative_to(folder) for p in folder.rglob("*")} - before)
        if result.exit_code != 2:
            return Result(case, "failed", f"exit {result.exit_code}, expected a refusal (2): {output[-300:]}", seconds)
        if case.mentions and case.mentions not in output:
            return Result(case, "failed", f"the refusal does not name {case.mentions!r}: {output[-300:]}", seconds)
        if written:
            return Result(case, "failed", f"refused but wrote {', '.join(written)}", seconds)
        return Result(case, "refused", output[-240:], seconds)
    if result.exit_code not in (0, 3):
        return Result(case, "failed", f"exit {result.exit_code}: {output[-300:]}", seconds)
    problem = case.check(folder, output) if case.check else None
    if problem:
        return Result(case, "failed", problem, seconds)
    return Result(case, "handled", output[-160:], seconds)


def _run_s(**kwargs: str) -> tuple[tuple[str, ...], dict[str, str | bytes]]:
    return ("run", "s.toml", "--out", "out"), {"s.toml": scenario(**kwargs)}


def _no_negatives(folder: Path, output: str) -> str | None:
    import xarray as xr

    lowest = []
    for path in sorted((folder / "out" / "patients").glob("*.nc")):
        with xr.open_dataset(path) as kept:
            lowest += [float(kept[v].min()) for v in kept.data_vars if kept[v].dtype.kind == "f" and "time" in kept[v].dims]
    if not lowest:
        return "no patient trajectories were written"
    return None if min(lowest) >= 0 else f"negative values in the patients' trajectories: {min(lowest)}"


def _cases() -> list[Case]:
    cases: list[Case] = []

    def refused(id: str, group: str, what: str, argv_files: tuple[tuple[str, ...], dict[str, str | bytes]], mentions: str) -> None:
        argv, files = argv_files
        cases.append(Case(id, group, what, argv, files, "refused", mentions))

    huge = "1" + "0" * 400
    refused("dose-400-digits", "numbers", "a dose with a 400-digit number", _run_s(dose=f"{huge} cells/kg"), "dose")
    refused("dose-arithmetic", "numbers", "a dose written as arithmetic (9**9**9 mg)", _run_s(dose="9**9**9 mg"), "dose")
    refused(
        "dose-1e150-mg", "numbers", "ocrelizumab 1e150 mg", _run_s(arm='{ therapy = "ocrelizumab", day = 0, dose = "1e150 mg" }'), "dose"
    )
    refused("dose-negative", "numbers", "a negative dose", _run_s(dose="-1e6 cells/kg"), "dose")
    refused("dose-nan", "numbers", "a dose of nan", _run_s(dose="nan cells/kg"), "dose")
    refused("dose-inf", "numbers", "a dose of inf", _run_s(dose="inf cells/kg"), "dose")
    refused(
        "dose-unit-parenthesis",
        "numbers",
        "a dose whose unit has a stray parenthesis (found by hypothesis)",
        _run_s(dose="1e6 cells/kg)"),
        "dose",
    )
    refused(
        "every-days-400-digits",
        "numbers",
        "every_days as a 400-digit integer (found by hypothesis)",
        _run_s(arm=f'{{ therapy = "ocrelizumab", day = 0, dose = "600 mg", every_days = {huge}, count = 2 }}'),
        "every_days",
    )
    refused("dose-wrong-unit", "numbers", "a cell dose in mg", _run_s(dose="5 mg"), "dose")
    refused(
        "day-minus-1e300",
        "numbers",
        "day = -1e300",
        _run_s(arm='{ therapy = "cd19-cart", day = -1e300, costim = "4-1bb", dose = "1e6 cells/kg" }'),
        "day",
    )
    refused(
        "day-minus-1e9",
        "numbers",
        "day = -1e9",
        _run_s(arm='{ therapy = "cd19-cart", day = -1e9, costim = "4-1bb", dose = "1e6 cells/kg" }'),
        "day",
    )
    refused(
        "fludarabine-1e300",
        "numbers",
        "fludarabine 1e300 mg/m2",
        _run_s(
            arm='{ therapy = "flu-cy", day = -5, fludarabine_mg_per_m2 = 1e300, fludarabine_days = 3, '
            "cyclophosphamide_mg_per_m2 = 300, cyclophosphamide_days = 3 }"
        ),
        "fludarabine_mg_per_m2",
    )
    refused(
        "infusion-114-years",
        "numbers",
        "an ocrelizumab infusion of 1e6 hours",
        _run_s(arm='{ therapy = "ocrelizumab", day = 0, dose = "600 mg", infusion_hours = 1e6 }'),
        "infusion_hours",
    )
    refused("horizon-huge", "numbers", "horizon_days = 1e12", _run_s(horizon="1e12"), "horizon_days")
    refused("horizon-tiny", "numbers", "horizon_days = 1e-9", _run_s(horizon="1e-9"), "horizon_days")
    refused(
        "patients-billion",
        "numbers",
        "a billion patients",
        (("run", "s.toml", "--out", "out"), {"s.toml": scenario().replace("patients = 10", "patients = 1000000000")}),
        "patients",
    )
    refused("name-200k", "strings", "an arm name of 200,000 characters", _run_s(name="x" * 200_000), "name")
    refused("title-200k", "strings", "a title of 200,000 characters", _run_s(title="t" * 200_000), "title")
    refused("title-del", "strings", "a title with a DEL character", _run_s(title="a\x7fb"), "")
    for label in ("arm", "status", "patient"):
        refused(
            f"endpoint-named-{label}",
            "names",
            f"an endpoint named {label!r} (a column the result uses)",
            _run_s(extra=f'\n[[endpoint]]\nname = "{label}"\nendpoint = "crs_max_grade"\n'),
            "endpoint[0].name",
        )
    refused(
        "endpoint-x-and-x-censored",
        "names",
        "endpoints named 'x' and 'x_censored'",
        _run_s(
            extra='\n[[endpoint]]\nname = "x"\nendpoint = "bcell_recovery_day"\n\n[[endpoint]]\nname = "x_censored"\nendpoint = "crs_max_grade"\n'
        ),
        "endpoint[1].name",
    )
    refused(
        "toml-deep-arrays",
        "files",
        "TOML arrays nested 5,000 deep",
        (("run", "s.toml", "--out", "out"), {"s.toml": "x = " + "[" * 5000 + "]" * 5000}),
        "s.toml",
    )
    refused(
        "toml-deep-tables",
        "files",
        "3,000 nested inline tables",
        (("run", "s.toml", "--out", "out"), {"s.toml": "x = " + "{a = " * 3000 + "1" + "}" * 3000}),
        "s.toml",
    )
    refused(
        "scenario-binary",
        "files",
        "a binary scenario file",
        (("run", "s.toml", "--out", "out"), {"s.toml": b"\x00\xff\xfe binary"}),
        "s.toml",
    )
    refused(
        "scenario-missing", "files", "a scenario file that does not exist", (("run", "nothing.toml", "--out", "out"), {}), "nothing.toml"
    )
    refused(
        "targets-binary", "files", "a binary targets file for validate", (("validate", "t.toml"), {"t.toml": b"\xff\xfe\x00\x01"}), "t.toml"
    )
    refused("cite-binary", "files", "a binary targets file for cite", (("cite", "t.toml"), {"t.toml": b"\xff\xfe\x00\x01"}), "t.toml")
    refused(
        "targets-400-digits",
        "numbers",
        "a 400-digit dose in a targets file",
        (("validate", "t.toml"), {"t.toml": targets(dose=f"{huge} cells/kg")}),
        "dose",
    )
    refused(
        "targets-horizon-tiny",
        "numbers",
        "a target with horizon_days = 1e-9",
        (("validate", "t.toml"), {"t.toml": targets(horizon="1e-9")}),
        "horizon_days",
    )
    refused(
        "out-under-a-file",
        "paths",
        "--out afile/sub",
        (("run", "s.toml", "--out", "afile/sub"), {"s.toml": scenario(), "afile": "x"}),
        "afile",
    )
    refused(
        "export-sbml-to-folder",
        "paths",
        "export-sbml --out an existing folder",
        (("export-sbml", "--scenario", "s.toml", "--out", "adir"), {"s.toml": scenario(), "adir/keep": "x"}),
        "adir",
    )
    cases.append(
        Case(
            "export-sbml-missing-folder",
            "paths",
            "export-sbml --out no/such/m.xml (folders that do not exist yet)",
            ("export-sbml", "--scenario", "s.toml", "--out", "no/such/m.xml"),
            {"s.toml": scenario()},
            "handled",
            check=lambda folder, output: None if (folder / "no" / "such" / "m.xml").is_file() else "no SBML file written",
        )
    )
    refused(
        "equations-to-folder", "paths", "equations --out an existing folder", (("equations", "--out", "adir"), {"adir/keep": "x"}), "adir"
    )
    refused(
        "validate-json-to-folder",
        "paths",
        "validate --json an existing folder",
        (("validate", "t.toml", "--json", "adir"), {"t.toml": targets(), "adir/keep": "x"}),
        "adir",
    )
    refused(
        "out-not-empty",
        "paths",
        "--out a folder with the user's files",
        (("run", "s.toml", "--out", "mine"), {"s.toml": scenario(), "mine/notes.txt": "mine\n"}),
        "mine",
    )
    cases.append(
        Case(
            "demo-over-user-files",
            "paths",
            "cartsim demo --out an earlier demo result folder that also holds the user's notes.txt (kept: the demo refuses)",
            ("demo", "--out", "prev", "--patients", "4"),
            {"prev/notes.txt": "mine\n"},
            "refused",
            "notes.txt",
            prepare=("demo", "--out", "prev", "--patients", "4"),
        )
    )
    cases.append(
        Case(
            "demo-over-a-foreign-folder",
            "paths",
            "cartsim demo --out a folder of the user's that is not a cartsim result",
            ("demo", "--out", "prev", "--patients", "4"),
            {"prev/notes.txt": "mine\n", "prev/summary.csv": "the user's own table\n"},
            "refused",
            "prev",
        )
    )
    cases.append(
        Case(
            "tiny-negatives",
            "numerics",
            "solver round-off below zero (cells and drugs of about -1e-12) in every patient's kept trajectories",
            *_run_s(extra="\n[outputs]\npatients = 10\n"),
            "handled",
            check=_no_negatives,
        )
    )
    return cases


#: Every hostile-input case, in a stable order.
CASES: tuple[Case, ...] = tuple(_cases())
