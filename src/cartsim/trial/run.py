"""Run a virtual trial: arms of one population, simulated in chunks, summarised with intervals.

Patient ``i`` of arm ``a`` (of ``A`` arms) has the global id ``i * A + a``: its parameters
and random events come from counter-based streams keyed by ``(seed, id)``, so they do not
depend on the chunk size, and patient ``i`` keeps its id when ``patients`` changes.

Memory stays bounded: a chunk is simulated, reduced to per-patient endpoint values and the
trajectories of the band patients in it, then dropped. The bands (5%, 50%, 95% over time)
are computed from at most :data:`BAND_PATIENTS` patients per arm, chosen at random from a
stream keyed by the seed (all patients when the arm is smaller): exact for small trials, a
seeded subsample for large ones.

With an output folder, chunks are saved in ``OUT.partial/chunks`` as they finish and the
folder is renamed to ``OUT`` only when everything is written, so an interrupted run leaves
either a complete folder or none; ``resume=True`` reuses the finished chunks.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from dataclasses import dataclass
from typing import Callable

import numpy as np

from cartsim.endpoints import ENDPOINTS, EndpointContext, compute_endpoint
from cartsim.engine import SolverOptions
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.population import Cohort, builtin_population, simulate_cohort
from cartsim.trial.files import atomic_write, atomic_write_text, toml_text
from cartsim.trial.result import TrialResult, assemble, write_result
from cartsim.trial.scenario import Scenario

__all__ = ["BAND_PATIENTS", "run_trial"]

#: At most this many patients per arm keep their trajectories for the quantile bands.
BAND_PATIENTS = 2000
#: Second key word of the band-patient choice (the first is the seed), far from any patient id.
_BAND_KEY = 2**64 - 2
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Run:
    """What every chunk of one run shares: the scenario, the model, and how to solve."""

    scenario: Scenario
    model: Model
    solver: SolverOptions
    backend: str


def band_rows(scenario: Scenario, arm: int) -> np.ndarray:
    """Arm-local indices (sorted) of the patients whose trajectories make the bands."""
    if scenario.patients <= BAND_PATIENTS:
        return np.arange(scenario.patients)
    key = np.array([scenario.seed, _BAND_KEY - arm], dtype=np.uint64)
    generator = np.random.Generator(np.random.Philox(key=key))
    return np.sort(generator.choice(scenario.patients, BAND_PATIENTS, replace=False))


def _simulate_chunk(run: "_Run", arm_index: int, start: int, stop: int, bands: np.ndarray) -> dict[str, np.ndarray]:
    """Simulate arm patients ``start .. stop - 1``: endpoint values, censoring, status and band rows."""
    scenario = run.scenario
    arm = scenario.arms[arm_index]
    k = len(scenario.arms)
    n = stop - start
    cohort = Cohort(builtin_population(scenario.population), arm.treatment, scenario.times, seed=scenario.seed,
                    patients=range(start * k + arm_index, stop * k + arm_index, k), horizon_days=scenario.horizon_days)
    result = simulate_cohort(run.model, cohort, solver=run.solver, backend=run.backend)
    context = EndpointContext.of(cohort)
    out = {"ids": cohort.ids, "status": np.asarray(result.simulation.status, dtype=np.int64)}
    for j, request in enumerate(scenario.endpoints):
        if ENDPOINTS[request.endpoint].applies_to(arm.treatment):
            values = compute_endpoint(request.endpoint, request.options, result.dataset, context)
            out[f"value{j}"], out[f"censored{j}"] = values.values, values.censored
        else:
            out[f"value{j}"], out[f"censored{j}"] = np.full(n, np.nan), np.zeros(n, dtype=bool)
    rows = bands[(bands >= start) & (bands < stop)] - start
    ok = result.simulation.ok[rows]
    for j, name in enumerate(scenario.outputs):
        out[f"band{j}"] = np.where(ok[:, None], result.dataset[name].values[rows], np.nan)
    return out


def _chunk_list(scenario: Scenario) -> list[tuple[int, int, int, int]]:
    """(arm, chunk number, first, stop) of every chunk, arm by arm."""
    size, n = scenario.chunk_size, scenario.patients
    return [(a, i, s, min(s + size, n)) for a in range(len(scenario.arms)) for i, s in enumerate(range(0, n, size))]


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    def write(temporary: Path) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
        temporary.write_bytes(buffer.getvalue())

    atomic_write(path, write)


def _load_npz(path: Path) -> dict[str, np.ndarray] | None:
    """A saved chunk, or None when it is missing or unreadable (it is then recomputed)."""
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError):
        return None


def _prepare(scenario: Scenario, out: Path, resume: bool) -> Path:
    """The partial folder, fresh or (``resume``) checked to belong to this scenario."""
    partial = out.with_name(out.name + ".partial")
    if out.exists():
        raise InputError("out", str(out), "a folder that does not exist yet (results are never overwritten)")
    stamp = partial / "scenario.hash"
    if partial.exists():
        if not resume:
            raise InputError("out", str(partial), "no unfinished run there: pass resume=True (--resume) to continue it, or delete it")
        found = stamp.read_text().strip() if stamp.is_file() else "(none)"
        if found != scenario.hash:
            raise InputError("resume", found, f"a partial run of this same scenario (hash {scenario.hash}); the scenario has changed, delete {partial}")
        return partial
    (partial / "chunks").mkdir(parents=True)
    atomic_write_text(partial / "scenario.toml", toml_text(scenario.raw))
    atomic_write_text(stamp, scenario.hash + "\n")
    return partial


def run_trial(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    model: Model | None = None,
    solver: SolverOptions | None = None,
    backend: str | None = None,
    progress: Progress | None = None,
    resume: bool = False,
    finalise: Callable[[TrialResult, Path], object] | None = None,
) -> TrialResult:
    """Simulate every arm of ``scenario`` and summarise its endpoints.

    Parameters
    ----------
    scenario
        A checked scenario (:func:`cartsim.trial.load_scenario`).
    out
        Result folder to write (must not exist); None keeps everything in memory.
    model
        The model to run (default: the full model).
    solver, backend
        How to solve (default: cartsim's defaults, the CPU backend).
    progress
        Called as ``progress(chunks_done, chunks_total)`` after each chunk (and once at the start).
    resume
        Continue the unfinished run in ``OUT.partial`` (same scenario hash), reusing its chunks.
    finalise
        Called as ``finalise(result, folder)`` to write more files (figures, a report) into the
        folder before it is completed, so they are part of the all-or-nothing result.

    Returns
    -------
    TrialResult
        Per-patient endpoints, per-arm summary with 95% intervals, trajectory bands, provenance.

    Raises
    ------
    InputError
        When ``out`` exists, an unfinished run is in the way, or the scenario changed since it.
    """
    if not isinstance(scenario, Scenario):
        raise InputError("scenario", type(scenario).__name__, "a Scenario from cartsim.trial.load_scenario")
    if model is None:
        from cartsim import full_model

        model = full_model()
    run = _Run(scenario, model, solver or SolverOptions(), backend or "cpu")
    partial = _prepare(scenario, Path(out), resume) if out is not None else None
    chunks = _chunk_list(scenario)
    bands = [band_rows(scenario, a) for a in range(len(scenario.arms))]
    done: dict[tuple[int, int], dict[str, np.ndarray]] = {}
    if partial is not None and resume:
        for arm, i, _, _ in chunks:
            found = _load_npz(partial / "chunks" / f"arm{arm}-{i}.npz")
            if found is not None:
                done[(arm, i)] = found
    if progress is not None:
        progress(len(done), len(chunks))
    for arm, i, start, stop in chunks:
        if (arm, i) in done:
            continue
        arrays = _simulate_chunk(run, arm, start, stop, bands[arm])
        if partial is not None:
            _save_npz(partial / "chunks" / f"arm{arm}-{i}.npz", arrays)
        done[(arm, i)] = arrays
        if progress is not None:
            progress(len(done), len(chunks))
    result = assemble(scenario, [[done[(a, i)] for a2, i, _, _ in chunks if a2 == a] for a in range(len(scenario.arms))],
                      model=run.model, solver=run.solver, backend=run.backend)
    if partial is not None:
        write_result(result, partial)
        if finalise is not None:
            finalise(result, partial)
        shutil.rmtree(partial / "chunks")
        (partial / "scenario.hash").unlink()
        partial.rename(partial.with_name(partial.name.removesuffix(".partial")))  # the one step that makes the folder complete
    return result

