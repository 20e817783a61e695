"""Run a virtual trial: arms of one population, under each hypothesis, simulated in chunks.

Patient ``i`` of arm ``a`` (of ``A`` arms) has the global id ``i * A + a``: its parameters
and random events come from counter-based streams keyed by ``(seed, id)``, so they do not
depend on the chunk size, and patient ``i`` keeps its id when ``patients`` changes. The
same patients run under every hypothesis, so hypotheses are compared on the same people.

Memory stays bounded: chunks hold at most ``chunk_size`` patients, and fewer when their
outputs would need more than :data:`CHUNK_MEMORY_BYTES` (long horizons); a chunk is
simulated (:func:`cartsim.population.simulate_cohort`), reduced to per-patient endpoint
values and the trajectories of the band patients in it, then dropped. The bands (5%, 50%, 95% over time) are computed from at most
:data:`BAND_PATIENTS` patients per arm, chosen at random from a stream keyed by the seed
(all patients when the arm is smaller): exact for small trials, a seeded subsample for
large ones. Patients kept whole (``[outputs] patients``) are written per chunk as NetCDF.

With an output folder, chunks are saved in ``OUT.partial/chunks`` as they finish and the
folder is renamed to ``OUT`` only when everything is written, so an interrupted run leaves
either a complete folder or none; ``resume=True`` reuses the finished chunks.
"""

from __future__ import annotations

import io
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from cartsim.endpoints import ENDPOINTS, EndpointContext, compute_endpoint
from cartsim.engine import SolverOptions
from cartsim.errors import CartsimWarning, InputError
from cartsim.model import Model
from cartsim.population import simulate_cohort
from cartsim.trial.files import atomic_write, atomic_write_text, folder_lock, toml_text
from cartsim.trial.result import PATIENTS_FOLDER, TrialResult, assemble, write_result
from cartsim.trial.scenario import Scenario

__all__ = ["BAND_PATIENTS", "CHUNK_MEMORY_BYTES", "chunk_patients", "run_trial"]

#: At most this many patients per arm keep their trajectories for the quantile bands.
BAND_PATIENTS = 2000
#: Memory one chunk's outputs may take: chunks are made smaller than the scenario's chunk_size when
#: its patients' outputs would need more (a century of daily outputs is ~25 MB per patient).
CHUNK_MEMORY_BYTES = 2**30
#: Peak memory of a chunk per byte of its outputs: 1.17 measured (tracemalloc: 40 patients, 43
#: observables, ten years daily, the solve and every endpoint); 2 leaves room.
_OUTPUT_COPIES = 2.0
#: Second key word of the band-patient choice (the first is the seed), far from any patient id.
_BAND_KEY = 2**64 - 2
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Run:
    """What every chunk of one run shares: the scenario, the model, how to solve, where to write."""

    scenario: Scenario
    model: Model
    solver: SolverOptions
    backend: str
    folder: Path | None


@dataclass(frozen=True)
class _Chunk:
    run: int
    arm: int
    number: int
    start: int
    stop: int

    @property
    def name(self) -> str:
        return f"h{self.run}-arm{self.arm}-{self.number}"


def band_rows(scenario: Scenario, arm: int) -> np.ndarray:
    """Arm-local indices (sorted) of the patients whose trajectories make the bands."""
    if scenario.patients <= BAND_PATIENTS:
        return np.arange(scenario.patients)
    key = np.array([scenario.seed, _BAND_KEY - arm], dtype=np.uint64)
    generator = np.random.Generator(np.random.Philox(key=key))
    return np.sort(generator.choice(scenario.patients, BAND_PATIENTS, replace=False))


def _patients_file(folder: Path, chunk: _Chunk) -> Path:
    return folder / PATIENTS_FOLDER / f"{chunk.name}.nc"


def _simulate_chunk(run: _Run, chunk: _Chunk, bands: np.ndarray) -> dict[str, np.ndarray]:
    """Simulate one chunk: endpoint values, censoring, status, band rows (and kept patients, written or returned)."""
    scenario = run.scenario
    arm = scenario.arms[chunk.arm]
    n = chunk.stop - chunk.start
    cohort = scenario.cohort(chunk.run, chunk.arm, chunk.start, chunk.stop)
    result = simulate_cohort(run.model, cohort, solver=run.solver, backend=run.backend)
    context = EndpointContext.of(cohort)
    out = {"ids": cohort.ids, "status": np.asarray(result.simulation.status, dtype=np.int64)}
    for j, request in enumerate(scenario.endpoints):
        if ENDPOINTS[request.endpoint].applies_to(arm.treatment):
            values = compute_endpoint(request.endpoint, request.options, result.dataset, context)
            out[f"value{j}"], out[f"censored{j}"] = values.values, values.censored
        else:
            out[f"value{j}"], out[f"censored{j}"] = np.full(n, np.nan), np.zeros(n, dtype=bool)
    rows = bands[(bands >= chunk.start) & (bands < chunk.stop)] - chunk.start
    ok = result.simulation.ok[rows]
    for j, name in enumerate(scenario.outputs):
        out[f"band{j}"] = np.where(ok[:, None], result.dataset[name].values[rows], np.nan)
    kept = max(0, min(scenario.patient_outputs, chunk.stop) - chunk.start)
    if kept:
        trajectories = _trajectories(result.dataset, scenario, chunk, kept)
        if run.folder is not None:
            atomic_write(_patients_file(run.folder, chunk), lambda p: trajectories.to_netcdf(p, engine="scipy"))
        else:
            out["patients"] = np.frombuffer(trajectories.to_netcdf(engine="scipy"), dtype=np.uint8)
    return out


def _trajectories(dataset: xr.Dataset, scenario: Scenario, chunk: _Chunk, kept: int) -> xr.Dataset:
    """The first ``kept`` patients of the chunk, every output observable with its units, and their status."""
    part = dataset[[*scenario.outputs, "status"]].isel(patient=slice(0, kept))
    part = part.assign_coords(patient=chunk.start + np.arange(kept))
    part = part.expand_dims(hypothesis=[scenario.hypothesis_names[chunk.run]], arm=[scenario.arms[chunk.arm].name])
    part.attrs = {"time_units": "day", "note": "patient: index within the arm (global id = index * arms + arm position)"}
    return part


def chunk_patients(scenario: Scenario, n_observables: int) -> int:
    """Patients per chunk: the scenario's ``chunk_size``, fewer when their outputs would exceed :data:`CHUNK_MEMORY_BYTES`.

    The results do not depend on it (each patient's draws and events are keyed by its id).
    """
    per_patient = _OUTPUT_COPIES * 8 * max(n_observables, 1) * scenario.times.size
    return max(1, min(scenario.chunk_size, int(CHUNK_MEMORY_BYTES // per_patient)))


def _chunk_list(scenario: Scenario, n_observables: int) -> list[_Chunk]:
    """Every chunk: hypothesis by hypothesis, arm by arm."""
    size, n = chunk_patients(scenario, n_observables), scenario.patients
    return [
        _Chunk(h, a, i, s, min(s + size, n))
        for h in range(len(scenario.runs))
        for a in range(len(scenario.arms))
        for i, s in enumerate(range(0, n, size))
    ]


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
    except Exception:  # truncated, zero bytes (a power cut), not a zip: whatever numpy raises, the chunk is redone
        return None


def _unstarted(partial: Path) -> bool:
    """Whether ``partial`` is a run folder killed before it saved anything: no stamp, no chunk, nothing else."""
    if (partial / "scenario.hash").exists() or not partial.is_dir():
        return False
    for entry in partial.rglob("*"):
        inside = entry.relative_to(partial)
        if not (str(inside) in ("chunks", "scenario.toml") or (entry.name.startswith(".") and entry.suffix == ".tmp")):
            return False
    return True


def _prepare(scenario: Scenario, out: Path, resume: bool) -> Path:
    """The partial folder, fresh or (``resume``) checked to belong to this scenario."""
    partial = out.with_name(out.name + ".partial")
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise InputError("out", str(out), "a folder that does not exist yet or is empty (results are never overwritten)")
    stamp = partial / "scenario.hash"
    if partial.exists() and _unstarted(partial):
        shutil.rmtree(partial)  # killed while being created: only cartsim's own empty start, nothing to resume
    if partial.exists():
        if not resume:
            raise InputError("out", str(partial), "no unfinished run there: pass resume=True (--resume) to continue it, or delete it")
        found = stamp.read_text().strip() if stamp.is_file() else "(none)"
        if found != scenario.hash:
            raise InputError(
                "resume", found, f"a partial run of this same scenario (hash {scenario.hash}); the scenario has changed, delete {partial}"
            )
        for stray in partial.rglob(".*.tmp"):
            stray.unlink()  # a temporary file of a write that a kill interrupted (cartsim's own folder)
        return partial
    partial.mkdir(parents=True)
    atomic_write_text(stamp, scenario.hash + "\n")  # first, so that any later kill leaves a run that --resume continues
    (partial / "chunks").mkdir()
    atomic_write_text(partial / "scenario.toml", toml_text(scenario.raw))
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
    """Simulate every arm of ``scenario`` under each of its hypotheses and summarise its endpoints.

    Parameters
    ----------
    scenario
        A checked scenario (:func:`cartsim.trial.load_scenario`).
    out
        Result folder to write (must not exist, or be empty); None keeps everything in memory.
    model
        The model to run (default: the scenario's modules, ``scenario.model()``).
    solver, backend
        How to solve (default: the scenario's ``[solver]``).
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
        Per-patient endpoints, summary per hypothesis and arm with 95% intervals, trajectory
        bands, provenance (what ran: model, modules, changes, hypotheses, solver, backend).

    Raises
    ------
    InputError
        When ``out`` is in the way, an unfinished run is in the way, the scenario changed since
        it, or the model cannot run the scenario (an unknown parameter, a therapy it lacks).

    Examples
    --------
    >>> from cartsim.examples import example_path
    >>> from cartsim.trial import load_scenario
    >>> result = run_trial(load_scenario(example_path("cd28-vs-41bb"), patients=3))
    >>> sorted(set(result.summary()["arm"]))
    ['4-1BB', 'CD28']
    """
    if not isinstance(scenario, Scenario):
        raise InputError("scenario", type(scenario).__name__, "a Scenario from cartsim.trial.load_scenario")
    if out is None:
        return _run_trial(scenario, None, model, solver, backend, progress, resume, finalise)
    with folder_lock(Path(out)):
        result = _run_trial(scenario, Path(out), model, solver, backend, progress, resume, finalise)
    # Completed after the lock is gone: a kill in between leaves a stamped OUT.partial that --resume finishes.
    assert result.folder is not None
    final = result.folder.with_name(result.folder.name.removesuffix(".partial"))
    result.folder.rename(final)  # the one step that makes the folder complete (an empty folder there is replaced)
    (final / "scenario.hash").unlink(missing_ok=True)  # a kill just before this leaves a complete result with its stamp
    return result.moved_to(final)


def _run_trial(
    scenario: Scenario,
    out: Path | None,
    model: Model | None,
    solver: SolverOptions | None,
    backend: str | None,
    progress: Progress | None,
    resume: bool,
    finalise: Callable[[TrialResult, Path], object] | None,
) -> TrialResult:
    partial = _prepare(scenario, out, resume) if out is not None else None
    run = _Run(scenario, model if model is not None else scenario.model(), solver or scenario.solver, backend or scenario.backend, partial)
    chunks = _chunk_list(scenario, len(run.model.observables))
    bands = [band_rows(scenario, a) for a in range(len(scenario.arms))]
    done: dict[str, dict[str, np.ndarray]] = {}
    if partial is not None and resume:
        for chunk in chunks:
            path = partial / "chunks" / f"{chunk.name}.npz"
            found = _load_npz(path)
            kept = scenario.patient_outputs > chunk.start
            expected = scenario.cohort(chunk.run, chunk.arm, chunk.start, chunk.stop).ids
            if found is None or "ids" not in found or not np.array_equal(found["ids"], expected):
                if path.exists():
                    warnings.warn(
                        f"{path.name} in {partial} is damaged or holds other patients: simulated again", CartsimWarning, stacklevel=2
                    )
            elif not kept or _patients_file(partial, chunk).is_file():
                done[chunk.name] = found
    if progress is not None:
        progress(len(done), len(chunks))
    for chunk in chunks:
        if chunk.name in done:
            continue
        arrays = _simulate_chunk(run, chunk, bands[chunk.arm])
        if partial is not None:
            _save_npz(partial / "chunks" / f"{chunk.name}.npz", arrays)
        done[chunk.name] = arrays
        if progress is not None:
            progress(len(done), len(chunks))
    parts = [
        [[done[c.name] for c in chunks if (c.run, c.arm) == (h, a)] for a in range(len(scenario.arms))] for h in range(len(scenario.runs))
    ]
    result = assemble(scenario, parts, model=run.model, solver=run.solver, backend=run.backend, folder=partial)
    if partial is not None:
        write_result(result, partial)
        if finalise is not None:
            finalise(result, partial)
        shutil.rmtree(partial / "chunks", ignore_errors=True)
    return result
