"""CPU backend: numbalsoda's LSODA on a numba-compiled right-hand side, patients in parallel.

One compiled driver, :func:`solve_batch`, loops over patients with ``numba.prange`` (no
Python in the inner loop). For each patient it integrates from breakpoint to breakpoint
(dose times), applying the dose events of :mod:`cartsim.engine.schedule` in between, and
records the state at the output times. A patient whose solve fails gets a status code and
NaNs from the failure on; the other patients are unaffected.

numbalsoda's LSODA takes no user Jacobian (it builds one by finite differences); the
compiled analytic Jacobian serves the Radau reference solver.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import llvmlite.binding
import numba as nb
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils

from cartsim.engine.result import Status
from cartsim.engine.schedule import JUMP, SIMULTANEOUS_DAYS

__all__ = ["solve_batch", "OBSERVE_SIGNATURE", "RHS_SIGNATURE", "STATUS_OK", "STATUS_SOLVER_FAILED", "STATUS_NONFINITE", "STATUS_NEGATIVE"]

# Plain integers for the compiled driver (numba freezes module globals as constants).
STATUS_OK = Status.SUCCESSFUL.code
STATUS_SOLVER_FAILED = Status.SOLVER_FAILED.code
STATUS_NONFINITE = Status.NON_FINITE.code
STATUS_NEGATIVE = Status.NEGATIVE.code

#: C signature of the right-hand side LSODA calls: f(t, u, du, data).
RHS_SIGNATURE = types.void(types.double, types.CPointer(types.double), types.CPointer(types.double), types.CPointer(types.double))
#: C signature of the generated observables at one point: g(u, data, observables).
OBSERVE_SIGNATURE = types.void(types.CPointer(types.double), types.CPointer(types.double), types.CPointer(types.double))


def _lsoda_library() -> str:
    # Only numbalsoda's shared library is needed; importing the package itself would
    # compile its own drivers (seconds).
    spec = importlib.util.find_spec("numbalsoda")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("numbalsoda is not installed; see the README for the set-up command")
    folder = Path(list(spec.submodule_search_locations)[0])
    return str(next(folder.glob("liblsoda*")))


# Bind numbalsoda's C entry point by symbol name (not through a ctypes pointer, which numba
# cannot cache): load its shared library into the process, then declare the symbol.
llvmlite.binding.load_library_permanently(_lsoda_library())
_lsoda_wrapper = types.ExternalFunction(
    "lsoda_wrapper",
    types.void(
        types.voidptr,
        types.intc,
        types.voidptr,
        types.voidptr,
        types.intc,
        types.voidptr,
        types.voidptr,
        types.double,
        types.double,
        types.intc,
        types.voidptr,
    ),
)


@nb.extending.intrinsic
def _as_pointer(typingctx, address):
    """An integer address as a ``void*``."""

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], cgutils.voidptr_t)

    return types.voidptr(address), codegen


@nb.extending.intrinsic
def _call_observe(typingctx, address, u, p, o):
    """Call the C function at ``address`` with three ``double*`` arguments."""

    def codegen(context, builder, signature, args):
        fnty = ir.FunctionType(ir.VoidType(), [cgutils.voidptr_t] * 3)
        fn = builder.inttoptr(args[0], fnty.as_pointer())
        builder.call(fn, [builder.inttoptr(a, cgutils.voidptr_t) for a in args[1:]])
        return context.get_dummy_value()

    return types.void(address, u, p, o), codegen


@nb.njit(cache=True)
def _record(observe_address, y, p, o, obs, states, k, nonnegative, floor, z):
    """Record output ``k`` from ``y``; round-off below zero of non-negative states is recorded as 0.

    Returns False (nothing recorded) when such a state is below ``-floor``: the solve failed.
    """
    for i in range(y.size):
        z[i] = y[i]
        if nonnegative[i] and z[i] < 0.0:
            if z[i] < -floor:
                return False
            z[i] = 0.0
    _call_observe(observe_address, z.ctypes.data, p.ctypes.data, o.ctypes.data)
    obs[:, k] = o
    if states.shape[0] > 0:
        states[k, :] = z
    return True


@nb.njit(cache=True)
def _lsoda(rhs_address, y, teval, p, rtol, atol, mxstep, usol, flag):
    _lsoda_wrapper(
        _as_pointer(rhs_address),
        y.size,
        _as_pointer(y.ctypes.data),
        _as_pointer(p.ctypes.data),
        teval.size,
        _as_pointer(teval.ctypes.data),
        _as_pointer(usol.ctypes.data),
        rtol,
        atol,
        mxstep,
        _as_pointer(flag.ctypes.data),
    )
    return flag[0] == 1


@nb.njit(cache=True)
def _solve_one(
    rhs_address, observe_address, y0, data, times, kinds, targets, values, t_out, rtol, atol, mxstep, obs, states, nonnegative, floor
):
    y = y0.copy()
    z = np.empty(y0.size)
    p = data.copy()
    o = np.empty(obs.shape[0])
    n_out = t_out.size
    n_events = times.size
    flag = np.zeros(1, dtype=np.intc)
    t = t_out[0]
    e = 0
    k = 0
    while True:
        while e < n_events and times[e] <= t + SIMULTANEOUS_DAYS:
            if kinds[e] == JUMP:
                y[targets[e]] += values[e]
            else:
                p[targets[e]] += values[e]
            e += 1
        while k < n_out and t_out[k] <= t + SIMULTANEOUS_DAYS:
            if not _record(observe_address, y, p, o, obs, states, k, nonnegative, floor, z):
                _fail(obs, states, k)
                return STATUS_NEGATIVE
            k += 1
        if k >= n_out:
            return STATUS_OK
        stop = t_out[n_out - 1]
        if e < n_events and times[e] < stop:
            stop = times[e]
        # Outputs within SIMULTANEOUS_DAYS of the stop are recorded there, after its events.
        m = 0
        while k + m < n_out and t_out[k + m] < stop - SIMULTANEOUS_DAYS:
            m += 1
        teval = np.empty(m + 2)
        teval[0] = t
        for j in range(m):
            teval[j + 1] = t_out[k + j]
        teval[m + 1] = stop
        usol = np.empty((m + 2, y.size))
        if not _lsoda(rhs_address, y, teval, p, rtol, atol, mxstep, usol, flag):
            _fail(obs, states, k)
            return STATUS_SOLVER_FAILED
        for j in range(m):
            if not _record(observe_address, usol[j + 1], p, o, obs, states, k + j, nonnegative, floor, z):
                _fail(obs, states, k + j)
                return STATUS_NEGATIVE
        k += m
        y[:] = usol[m + 1]
        for i in range(y.size):
            if not np.isfinite(y[i]):
                _fail(obs, states, k)
                return STATUS_NONFINITE
        t = stop


@nb.njit(cache=True)
def _fail(obs, states, k):
    obs[:, k:] = np.nan
    if states.shape[0] > 0:
        states[k:, :] = np.nan


@nb.njit(parallel=True, cache=True)
def solve_batch(
    rhs_address,
    observe_address,
    n_observables,
    y0,
    data,
    times,
    kinds,
    targets,
    values,
    t_out,
    rtol,
    atol,
    mxstep,
    keep_states,
    nonnegative,
    floor,
):
    """Solve every patient.

    Returns observables (observables, patients, times), states (patients, times, states),
    empty along time unless ``keep_states``, and a status per patient. Observables are
    computed at each output point, so a large batch never holds every state in memory.
    States flagged in ``nonnegative`` (one uint8 per state) are recorded as 0 when round-off
    takes them below zero; below ``-floor`` the patient's solve has failed.
    """
    n, n_states = y0.shape
    obs = np.empty((n_observables, n, t_out.size))  # every entry is written, NaN after a failure
    states = np.empty((n, t_out.size if keep_states else 0, n_states))
    status = np.zeros(n, dtype=np.int64)
    for i in nb.prange(n):
        status[i] = _solve_one(
            rhs_address,
            observe_address,
            y0[i],
            data[i],
            times[i],
            kinds[i],
            targets[i],
            values[i],
            t_out,
            rtol,
            atol,
            mxstep,
            obs[:, i, :],
            states[i],
            nonnegative,
            floor,
        )
    return obs, states, status
