"""``simulate``: the one entry point that joins *what* (model, parameters), *when* (regimen)
and *how* (solver options, backend)."""

from __future__ import annotations

import functools
import importlib.metadata
import signal
import threading
import time as _time
from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from cartsim.engine.codegen import load_compiled
from cartsim.engine.cpu import solve_batch
from cartsim.engine.options import BACKENDS, SolverOptions
from cartsim.engine.patients import ParameterValues, patient_data
from cartsim.engine.reference import solve_reference
from cartsim.engine.result import CONSERVATION_TOLERANCE, DISCLAIMER, NEGATIVE_FLOOR, Simulation, Status
from cartsim.engine.schedule import Schedule, build_schedule
from cartsim.engine.solver_messages import capture_stderr, trouble_day
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.protocol import Regimen

__all__ = ["check_conservation", "observables", "simulate", "time_grid"]

#: Default horizon when neither ``times`` nor ``horizon_days`` is given.
DEFAULT_HORIZON_DAYS = 730.0


def time_grid(times: Sequence[float] | np.ndarray | None, horizon_days: float | None) -> np.ndarray:
    """Validate output times, or build a daily grid from 0 to ``horizon_days``."""
    if times is None:
        horizon = DEFAULT_HORIZON_DAYS if horizon_days is None else horizon_days
        if isinstance(horizon, bool) or not isinstance(horizon, (int, float)) or not np.isfinite(horizon) or not 0 < horizon <= 36500:
            raise InputError("horizon_days", horizon_days, "a number of days in (0, 36500]")
        return np.arange(0.0, float(horizon) + 0.5)
    try:
        grid = np.asarray(times, dtype=float)
    except (TypeError, ValueError):
        raise InputError("times", times, "a 1-D sequence of numbers (days)") from None
    if grid.ndim != 1 or grid.size == 0:
        raise InputError("times", f"array of shape {grid.shape}", "a non-empty 1-D sequence of days")
    if not np.all(np.isfinite(grid)):
        raise InputError("times", times, "finite numbers (days)")
    if grid.size > 1 and not np.all(np.diff(grid) > 0):
        i = int(np.flatnonzero(np.diff(grid) <= 0)[0])
        raise InputError("times", f"... {grid[i]}, {grid[i + 1]} ...", "strictly increasing times")
    return np.ascontiguousarray(grid)


@functools.cache
def _versions() -> str:
    names = ("cartsim", "numpy", "scipy", "sympy", "numba", "llvmlite", "numbalsoda", "xarray", "jax", "jaxlib", "diffrax", "equinox")
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


class _DeferredInterrupt:
    """While a batch is solved, Ctrl-C is recorded and raised after the solve.

    An interrupt raised inside numba's parallel solve crashes the process (a segmentation
    fault, measured with ``cartsim run``); deferred, it ends the command as usual (exit 130,
    resume from the saved chunks). Only the main thread handles signals, so elsewhere this
    does nothing.
    """

    def __enter__(self) -> _DeferredInterrupt:
        self.received: list[int] = []
        self.previous: Any = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, lambda signum, frame: self.received.append(signum))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is None:
            return
        signal.signal(signal.SIGINT, self.previous)
        if self.received and callable(self.previous):
            self.previous(signal.SIGINT, None)  # the default handler raises KeyboardInterrupt


def nonnegative_mask(model: Model) -> np.ndarray:
    """One uint8 per state: 1 for a state that cannot be negative (``State.nonnegative``)."""
    return np.array([s.nonnegative for s in model.states], dtype=np.uint8)


def clip_round_off(model: Model, states: np.ndarray, status: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """States (patients, times, states) with round-off below zero of non-negative states set to 0.

    A patient with such a state below ``-floor`` gets :attr:`Status.NEGATIVE` and NaN from
    that output time on (as the CPU engine does).
    """
    states = np.array(states, dtype=float)
    status = np.array(status, dtype=np.int64)
    mask = nonnegative_mask(model).astype(bool)
    below = np.where(mask[None, None, :], states, 0.0)
    for i in np.flatnonzero(np.any(below < -floor, axis=(1, 2)) & (status == Status.SUCCESSFUL.code)):
        first = int(np.argmax(np.any(below[i] < -floor, axis=1)))
        states[i, first:, :] = np.nan
        status[i] = Status.NEGATIVE.code
    states[:, :, mask] = np.where(states[:, :, mask] < 0, 0.0, states[:, :, mask])
    return states, status


def observables(model: Model, states: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Every observable for a batch, shape (observables, patients, times), with compiled code."""
    out = np.empty((len(model.observables), states.shape[0], states.shape[1]))
    load_compiled(model).observe(np.ascontiguousarray(states), np.ascontiguousarray(data), out)
    return out


def _solve_cpu(
    model: Model, y0: np.ndarray, data: np.ndarray, schedule: Schedule, t_out: np.ndarray, solver: SolverOptions, keep_states: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """One compiled batch solve: observables, states, status, and the solver's printed messages."""
    compiled = load_compiled(model)
    with _DeferredInterrupt(), capture_stderr() as captured:
        obs, states, status = solve_batch(
            compiled.rhs.address,
            compiled.observe_point.address,
            len(model.observables),
            y0,
            data,
            schedule.times,
            schedule.kinds,
            schedule.targets,
            schedule.values,
            t_out,
            solver.rtol,
            solver.atol,
            solver.max_steps,
            keep_states,
            nonnegative_mask(model),
            NEGATIVE_FLOOR * solver.atol,
        )
    return obs, states, status, captured.lines


def _warned(
    model: Model,
    y0: np.ndarray,
    data: np.ndarray,
    schedule: Schedule,
    t_out: np.ndarray,
    solver: SolverOptions,
    patients: np.ndarray,
    printed: bool = False,
) -> dict[int, float]:
    """The patients among ``patients`` whose solve printed a solver message, with its first day.

    Messages name no patient, so the patients are solved again in halves until each message
    is pinned to one of them: about twice their work when one patient warns (solves are
    deterministic, so a patient warns alone as it did in company). ``printed``: these
    patients are already known to have printed something.
    """
    if not printed:
        *_, lines = _solve_cpu(model, y0[patients], data[patients], schedule.of(patients), t_out, solver, False)
        if not lines:
            return {}
        if patients.size == 1:
            return {int(patients[0]): trouble_day(lines)}
    half = patients.size // 2
    return _warned(model, y0, data, schedule, t_out, solver, patients[:half]) | _warned(
        model, y0, data, schedule, t_out, solver, patients[half:]
    )


def _fail_warned(obs: np.ndarray, states: np.ndarray, status: np.ndarray, t_out: np.ndarray, warned: dict[int, float]) -> None:
    """Mark each warned patient :attr:`Status.SOLVER_WARNING`, NaN from the day of the first warning on."""
    for i, day in warned.items():
        if status[i] != Status.SUCCESSFUL.code:
            continue  # the solve failed outright: its own status says more
        status[i] = Status.SOLVER_WARNING.code
        first = int(np.searchsorted(t_out, day, side="left"))
        obs[:, i, first:] = np.nan
        if states.shape[1] > 0:
            states[i, first:, :] = np.nan


def check_conservation(
    model: Model, schedule: Schedule, t_out: np.ndarray, obs: np.ndarray, states: np.ndarray | None, status: np.ndarray, atol: float
) -> None:
    """Fail (:attr:`Status.CONSERVATION`, NaN from then on) each patient whose doses are not accounted for.

    For every dose route with a conserved amount (:attr:`~cartsim.model.DoseRoute.conserved`),
    the amount in the body plus what has been cleared must equal the doses given so far, to
    :data:`~cartsim.engine.result.CONSERVATION_TOLERANCE` of the amount given (plus
    ``NEGATIVE_FLOOR`` absolute tolerances). Changes ``obs``, ``states`` and ``status`` in place.
    """
    for r, route in enumerate(model.routes):
        if not route.conserved:
            continue
        given = schedule.delivered(r, t_out)
        accounted = obs[model.observable_names.index(route.accounted)]
        # A non-finite amount is a non-finite solution (its own status), not a conservation gap.
        gap = np.isfinite(accounted) & (np.abs(accounted - given) > CONSERVATION_TOLERANCE * np.abs(given) + NEGATIVE_FLOOR * atol)
        for i in np.flatnonzero(np.any(gap, axis=1) & (status == Status.SUCCESSFUL.code)):
            first = int(np.argmax(gap[i]))
            status[i] = Status.CONSERVATION.code
            obs[:, i, first:] = np.nan
            if states is not None and states.shape[1] > 0:
                states[i, first:, :] = np.nan


def _solve(
    model: Model,
    backend: str,
    y0: np.ndarray,
    data: np.ndarray,
    schedule: Schedule,
    t_out: np.ndarray,
    solver: SolverOptions,
    keep_states: bool,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Observables (observables, patients, times), states (or None) and status of a batch."""
    if backend == "cpu":
        import numba

        previous = numba.get_num_threads()
        if solver.threads is not None:
            numba.set_num_threads(min(solver.threads, numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
        try:
            obs, states, status, lines = _solve_cpu(model, y0, data, schedule, t_out, solver, keep_states)
            # Only patients reported successful need a closer look (failed ones print too).
            ok = np.flatnonzero(status == Status.SUCCESSFUL.code)
            if lines and ok.size:
                warned = _warned(model, y0, data, schedule, t_out, solver, ok, printed=ok.size == status.size and ok.size > 1)
                _fail_warned(obs, states, status, t_out, warned)
            return obs, (states if keep_states else None), status
        finally:
            numba.set_num_threads(previous)
    if backend == "reference":
        states, status = solve_reference(model, y0, data, schedule, t_out, solver)
    else:
        from cartsim.engine.jax_backend import solve_jax

        states, status = solve_jax(model, y0, data, schedule, t_out, solver)
    states, status = clip_round_off(model, np.asarray(states), np.asarray(status), NEGATIVE_FLOOR * solver.atol)
    return observables(model, states, data), states, status


def simulate(
    model: Model,
    regimen: Regimen | Sequence[Regimen] = Regimen(),
    parameters: ParameterValues | None = None,
    *,
    times: Sequence[float] | np.ndarray | None = None,
    horizon_days: float | None = None,
    n_patients: int | None = None,
    solver: SolverOptions = SolverOptions(),
    backend: str = "cpu",
    include_states: bool = False,
    seed: int | None = None,
) -> Simulation:
    """Simulate a batch of patients.

    Parameters
    ----------
    model
        A model from :func:`cartsim.model.compose` (e.g. :func:`cartsim.first_model`).
    regimen
        One :class:`~cartsim.protocol.Regimen` for every patient, or one per patient.
    parameters
        Parameter values by name: scalars, or arrays with one value per patient (see
        :func:`cartsim.population.sample_parameters`). Others take their typical values.
    times
        Output times in days (strictly increasing). Default: daily from 0 to ``horizon_days``.
    horizon_days
        End of the default daily grid (730 days when omitted).
    n_patients
        Batch size when every parameter is a scalar.
    solver
        :class:`~cartsim.engine.SolverOptions` (tolerances, step limit, threads).
    backend
        ``"cpu"`` (numba + LSODA, default), ``"jax"`` (diffrax, optional extra) or
        ``"reference"`` (SciPy Radau, for verification).
    include_states
        Also return every state variable, not only the observables.
    seed
        Recorded in the provenance (the seed the parameters were drawn with, if any).

    Returns
    -------
    Simulation
        Observables (patient x time, with units), per-patient status, provenance.
    """
    if backend not in BACKENDS:
        raise InputError("backend", backend, f"one of {', '.join(BACKENDS)}")
    if not isinstance(solver, SolverOptions):
        raise InputError("solver", solver, "a cartsim.SolverOptions")
    t_out = time_grid(times, horizon_days)
    patients = patient_data(model, parameters, n_patients)
    schedule = build_schedule(model, regimen, patients.data)
    early = schedule.times < t_out[0]
    if np.any(early):
        raise InputError(
            "regimen", f"a dose at day {schedule.times[early].min():g}", f"doses at or after the first output time (day {t_out[0]:g})"
        )
    started = _time.perf_counter()
    obs, states, status = _solve(model, backend, patients.y0, patients.data, schedule, t_out, solver, include_states)
    elapsed = _time.perf_counter() - started
    status = np.array(status, dtype=np.int64)  # a writable copy (backends may return read-only views)
    obs = obs if obs.flags.writeable else obs.copy()
    check_conservation(model, schedule, t_out, obs, states, status, solver.atol)
    finite = np.all(np.isfinite(obs), axis=(0, 2)) & (np.all(np.isfinite(states), axis=(1, 2)) if states is not None else True)
    status[(status == Status.SUCCESSFUL.code) & ~finite] = Status.NON_FINITE.code
    dims = ("patient", "time")
    variables = {
        o.name: xr.Variable(dims, values, {"units": o.unit, "description": o.description})
        for o, values in zip(model.observables, obs, strict=False)
    }
    if include_states and states is not None:
        for i, s in enumerate(model.states):
            variables[s.name] = xr.Variable(dims, states[:, :, i], {"units": s.unit, "description": s.description})
    variables["status"] = xr.Variable(("patient",), status.astype(np.int64), {"meaning": Status.legend()})
    attrs = {
        "model_name": model.name,
        "model_hash": model.hash,
        "parameter_sets": model.parameter_set.name,
        "backend": backend,
        "rtol": solver.rtol,
        "atol": solver.atol,
        "max_steps": solver.max_steps,
        "method": solver.method_on(backend),
        "seed": -1 if seed is None else int(seed),
        "solve_seconds": elapsed,
        "versions": _versions(),
        "time_units": "day",
        "disclaimer": DISCLAIMER,
    }
    dataset = xr.Dataset(variables, coords={"patient": np.arange(patients.n), "time": t_out}, attrs=attrs)
    return Simulation(dataset)
