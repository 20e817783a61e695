"""Kill `cartsim run` at every point where it changes the file system, then recover.

A *write point* is a call that creates, replaces, renames or removes something under the
run's folder: ``os.open`` with ``O_CREAT`` (temporary files, the lock), ``os.mkdir``,
``os.replace``, ``os.rename``, ``os.unlink``, ``os.rmdir`` and ``shutil.rmtree``. The run is
started in a fresh Python process that ends itself with ``os._exit`` just before write point
``k`` (as a power cut or ``kill -9`` would: no clean-up, no ``finally``). Then recovery is
tried as a user would: if the result folder is complete, nothing to do; else ``--resume``;
if that is refused, the same command again. Each recovered result must equal an undisturbed
run's, leave nothing behind (no ``.partial``, no lock, no temporary file; the scenario's
stamp ``scenario.hash``, cartsim's own, may stay when the kill came just before its removal)
and keep the user's own files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SCENARIO = """
population = "rrms"
patients = 4
horizon_days = 30
seed = 3
chunk_size = 2

[[arm]]
name = "ocrelizumab"
regimen = [ { therapy = "ocrelizumab", day = 0, dose = "600 mg" } ]

[outputs]
patients = 1
"""

#: Exit status of a run killed at a write point (as after ``kill -9``).
KILLED = 137

_INJECT = r"""
import os, shutil, sys
root, kill_at = sys.argv[1], int(sys.argv[2])
count = 0

def _inside(value):
    return isinstance(value, (str, bytes, os.PathLike)) and os.fsdecode(value).startswith(root)

def _point(function, creates=False):
    def wrapped(*args, **kwargs):
        global count
        touches = any(_inside(a) for a in args[:2]) and (not creates or args[1] & os.O_CREAT)
        if touches:
            count += 1
            if count == kill_at:
                os._exit(137)
        return function(*args, **kwargs)
    return wrapped

os.open = _point(os.open, creates=True)
for name in ("mkdir", "replace", "rename", "unlink", "rmdir"):
    setattr(os, name, _point(getattr(os, name)))
shutil.rmtree = _point(shutil.rmtree)
from cartsim.cli.main import app
try:
    app(sys.argv[3:], standalone_mode=False)
finally:
    sys.stderr.write(f"\nWRITE POINTS {count}\n")
"""


@dataclass(frozen=True)
class Outcome:
    """What happened after a kill at one write point."""

    point: int
    recovery: str  # "complete", "resumed", "rerun" or "stuck"
    detail: str


def _cartsim(folder: Path, kill_at: int, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _INJECT, str(folder), str(kill_at), *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=folder)


def prepare(folder: Path) -> tuple[Path, Path]:
    """The scenario file and the result folder's path in ``folder`` (with a user's own file beside them)."""
    folder.mkdir(parents=True, exist_ok=True)
    scenario = folder / "scenario.toml"
    scenario.write_text(SCENARIO)
    (folder / "notes.txt").write_text("the user's own notes\n")
    return scenario, folder / "out"


def write_points(folder: Path) -> tuple[int, pd.DataFrame]:
    """Run once undisturbed: the number of write points and the endpoints it wrote."""
    scenario, out = prepare(folder)
    done = _cartsim(folder, 0, "run", str(scenario), "--out", str(out))
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    count = int(done.stderr.rsplit("WRITE POINTS", 1)[1].split()[0])
    return count, pd.read_parquet(out / "endpoints.parquet")


def _leftovers(folder: Path) -> list[str]:
    """Anything in ``folder`` other than the inputs, the user's file and the complete result."""
    expected = {"scenario.toml", "notes.txt", "out"}
    stray = [p.name for p in folder.iterdir() if p.name not in expected]
    stray += [str(p.relative_to(folder)) for p in (folder / "out").rglob("*") if p.name.endswith(".tmp")]
    return stray


def kill_and_recover(folder: Path, point: int, reference: pd.DataFrame) -> Outcome:
    """Kill a run just before write point ``point``, recover, and check the result."""
    scenario, out = prepare(folder)
    killed = _cartsim(folder, point, "run", str(scenario), "--out", str(out))
    if killed.returncode != KILLED:
        return Outcome(point, "stuck", f"the run was not killed (exit {killed.returncode}): {killed.stderr[-300:]}")
    recovery = "complete"
    if not (out / "endpoints.parquet").is_file() or (folder / "out.partial").exists():
        recovery = "resumed"
        again = _cartsim(folder, 0, "run", str(scenario), "--out", str(out), "--resume")
        if again.returncode == 2:
            recovery = "rerun"
            again = _cartsim(folder, 0, "run", str(scenario), "--out", str(out))
        if again.returncode != 0:
            return Outcome(point, "stuck", f"exit {again.returncode}: {(again.stdout + again.stderr)[-400:]}")
    found = pd.read_parquet(out / "endpoints.parquet")
    if not found.equals(reference):
        return Outcome(point, "stuck", "the recovered endpoints differ from an undisturbed run's")
    stray = _leftovers(folder)
    if stray:
        return Outcome(point, "stuck", f"left behind: {', '.join(sorted(stray))}")
    if (folder / "notes.txt").read_text() != "the user's own notes\n":
        return Outcome(point, "stuck", "the user's file changed")
    return Outcome(point, recovery, "")


def kill_everywhere(root: Path, count: int, reference: pd.DataFrame) -> list[Outcome]:
    """Kill at write points 1..count, two processes at a time, each in its own folder under ``root``."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda k: kill_and_recover(root / f"kill-{k:03d}", k, reference), range(1, count + 1)))


def run_all(root: Path) -> tuple[int, list[Outcome]]:
    """Count the write points of one undisturbed run, then kill at each."""
    count, reference = write_points(root / "undisturbed")
    return count, kill_everywhere(root, count, reference)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        total, outcomes = run_all(Path(os.path.realpath(tmp)))
    print(total, *outcomes, sep="\n")
