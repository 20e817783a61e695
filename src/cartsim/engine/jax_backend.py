"""JAX backend: diffrax solvers on a vector field lambdified from the SymPy model.

The right-hand side comes from the model's SymPy expressions through
``sympy.lambdify(..., modules="jax")`` (independent of the numba code generator). One
jitted function solves a whole batch: ``jax.vmap`` over patients, and per patient a
``jax.lax.scan`` over *nodes*, the output times and the dose times merged in time order.
At each node the solver integrates from the previous node, then applies the node's dose
event or records the node's output. Dose events come before outputs at equal times, so
an output at a dose time shows the post-dose state, exactly as on the CPU backend.
Coinciding nodes give zero-length solves, which diffrax performs in zero steps.

Every solve saves only its end point: ``SaveAt(ts=...)`` (and a given ``dt0``) would add
equinox's runtime checks, which are host callbacks, and JAX does not write executables
with host callbacks to its persistent compilation cache. Landing on every output time
also means outputs are solver steps, not interpolated values.

Failures: a patient whose solve fails (too many steps, or a step below :data:`DT_MIN`
days, the usual sign of an overflowing solution) gets status 1, and a patient whose
state turns non-finite status 2. Its outputs from the failing interval on are NaN, the
earlier ones are kept; its later solves have zero length, so it holds up the others no
longer than the failing interval.

Importing this module turns on JAX's float64 mode and, unless the user configured one,
JAX's persistent compilation cache under :func:`cartsim.engine.codegen.cache_dir`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

try:
    import diffrax
    import jax
    import jax.numpy as jnp
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("The JAX backend needs the optional packages jax and diffrax: pip install 'cartsim[jax]'") from exc

from cartsim.engine.cache import per_structure
from cartsim.engine.codegen import cache_dir
from cartsim.engine.cpu import STATUS_NONFINITE, STATUS_OK, STATUS_SOLVER_FAILED
from cartsim.engine.options import SolverOptions
from cartsim.engine.schedule import JUMP, RATE, Schedule
from cartsim.model import Model

__all__ = ["solve_jax", "DT_MIN"]

#: Smallest step (days) before a solve is declared failed. Far below any time scale of
#: the models (a minute is ~7e-4 days); a blowing-up solution drives the step size here
#: within a few dozen rejected steps instead of spending ``max_steps`` rejections.
DT_MIN = 1e-10

#: Only computations slower than this go to the persistent cache (not every small op).
_CACHE_MIN_COMPILE_SECONDS = 0.5

#: Event and output counts are padded up to multiples of these, so that regimens and
#: time grids of similar sizes share one compiled program (padding costs a zero-length
#: solve per node).
_EVENT_BUCKET = 8
_OUTPUT_BUCKET = 64

jax.config.update("jax_enable_x64", True)


def _configure_compilation_cache() -> None:
    # Respect a cache the user chose (config or JAX_COMPILATION_CACHE_DIR). JAX reads the
    # setting at its first compilation, so this must happen at import, before any jit.
    if getattr(jax.config, "jax_compilation_cache_dir", None):
        return
    jax.config.update("jax_compilation_cache_dir", str(cache_dir() / "jax"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", _CACHE_MIN_COMPILE_SECONDS)


_configure_compilation_cache()


@per_structure
def _vector_field(model: Model) -> Callable:
    """``f(t, y, data) -> dy/dt`` as a JAX function (the model is autonomous in ``t``)."""
    fn = sp.lambdify([model.state_symbols, model.data_symbols], list(model.rhs), modules="jax", cse=True)

    def field(t, y, data):
        # Constant right-hand sides come back as Python numbers; give them y's dtype.
        return jnp.stack([jnp.asarray(v, dtype=y.dtype) for v in fn(y, data)])

    return field


def _solve_patient(term, solver, max_steps: int, y0, data, times, kinds, targets, values, t_out, rtol, atol):
    """Solve one patient (traced under ``vmap``); returns outputs (times, states) and status."""
    n_out, n_events = t_out.size, times.size
    t_last = t_out[-1]
    # Events before t_out[0] happen at t_out[0] (simulate rejects them anyway); events
    # after the last output are never applied (the CPU backend stops before them).
    node_t = jnp.concatenate([t_out, jnp.clip(times, t_out[0], t_last)])
    is_event = jnp.concatenate([jnp.zeros(n_out, dtype=bool), jnp.ones(n_events, dtype=bool)])
    applies = jnp.concatenate([jnp.zeros(n_out, dtype=bool), times <= t_last])
    index = jnp.concatenate([jnp.arange(n_out), jnp.arange(n_events)])
    # Stable sort by time, events first at equal times; events keep their schedule order.
    order = jnp.lexsort((~is_event, node_t))
    controller = diffrax.PIDController(rtol=rtol, atol=atol, dtmin=DT_MIN, force_dtmin=False)

    def node(carry, x):
        t, y, p, status, out = carry
        t_node, event, i, apply = x
        ok = status == STATUS_OK
        # A failed patient stops: zero-length solves from a finite dummy state.
        stop = jnp.where(ok, t_node, t)
        sol = diffrax.diffeqsolve(
            term,
            solver,
            t,
            stop,
            None,
            jnp.where(ok, y, 0.0),
            args=p,
            saveat=diffrax.SaveAt(t1=True),
            stepsize_controller=controller,
            max_steps=max_steps,
            throw=False,
        )
        y = sol.ys[-1]
        solved = sol.result == diffrax.RESULTS.successful
        finite = jnp.where(jnp.all(jnp.isfinite(y)), STATUS_OK, STATUS_NONFINITE)
        status = jnp.where(ok, jnp.where(solved, finite, STATUS_SOLVER_FAILED), status)
        y = jnp.where(status == STATUS_OK, y, jnp.nan)
        e = jnp.where(event, i, 0)
        jump = event & apply & (kinds[e] == JUMP)
        rate = event & apply & (kinds[e] == RATE)
        # A jump targets the state vector, a rate change the data vector; the other
        # array gets 0 added (an index past its end is dropped).
        y = y.at[targets[e]].add(jnp.where(jump, values[e], 0.0), mode="drop")
        p = p.at[targets[e]].add(jnp.where(rate, values[e], 0.0), mode="drop")
        out = out.at[jnp.where(event, n_out, i)].set(y, mode="drop")
        return (stop, y, p, status, out), None

    init = (t_out[0], y0, data, jnp.asarray(STATUS_OK, dtype=jnp.int64), jnp.full((n_out, y0.size), jnp.nan))
    xs = (node_t[order], is_event[order], index[order], applies[order])
    (_, _, _, status, out), _ = jax.lax.scan(node, init, xs)
    return out, status


@per_structure
def _batch_solver(model: Model, method: str, max_steps: int) -> Callable:
    """A jitted batch solver; JAX retraces it per array shape, tolerances stay dynamic."""
    term = diffrax.ODETerm(_vector_field(model))
    solver = getattr(diffrax, method)()

    def solve_one(y0, data, times, kinds, targets, values, t_out, rtol, atol):
        return _solve_patient(term, solver, max_steps, y0, data, times, kinds, targets, values, t_out, rtol, atol)

    return jax.jit(jax.vmap(solve_one, in_axes=(0, 0, 0, 0, 0, 0, None, None, None)))


def _pad(a: np.ndarray, size: int, fill: float, axis: int) -> np.ndarray:
    """``a`` extended along ``axis`` to ``size`` with ``fill``."""
    widths = [(0, 0)] * a.ndim
    widths[axis] = (0, size - a.shape[axis])
    return np.pad(a, widths, constant_values=fill)


def _bucket(n: int, step: int) -> int:
    return max(step, -(-n // step) * step)


def solve_jax(
    model: Model,
    y0: np.ndarray,
    data: np.ndarray,
    schedule: Schedule,
    t_out: np.ndarray,
    options: SolverOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve every patient with a diffrax solver; same inputs and outputs as the CPU backend.

    Parameters
    ----------
    model
        The composed model.
    y0, data
        Initial states (patients, states) and data matrix (patients, ``model.data_names``).
    schedule
        Dose events from :func:`cartsim.engine.schedule.build_schedule`.
    t_out
        Strictly increasing output times (days); the solve starts at ``t_out[0]``.
    options
        Tolerances, ``max_steps`` (per solve between two consecutive output or dose
        times) and the diffrax ``method``.

    Returns
    -------
    states : numpy.ndarray
        Shape (patients, len(t_out), states), float64; NaN from a failure on.
    status : numpy.ndarray
        One int64 code per patient: 0 ok, 1 solver failed, 2 non-finite state.
    """
    t_out = np.asarray(t_out, dtype=np.float64)
    n_out, n_events = t_out.size, schedule.n_events
    width, length = _bucket(n_events, _EVENT_BUCKET), _bucket(n_out, _OUTPUT_BUCKET)
    batch = _batch_solver(model, options.method, options.max_steps)
    states, status = batch(
        np.asarray(y0, dtype=np.float64),
        np.asarray(data, dtype=np.float64),
        # Padding events never happen (time +inf) and padding outputs repeat the last
        # time (zero-length solves); both are dropped below.
        _pad(np.asarray(schedule.times, dtype=np.float64), width, np.inf, 1),
        _pad(np.asarray(schedule.kinds, dtype=np.int64), width, JUMP, 1),
        _pad(np.asarray(schedule.targets, dtype=np.int64), width, 0, 1),
        _pad(np.asarray(schedule.values, dtype=np.float64), width, 0.0, 1),
        _pad(t_out, length, t_out[-1], 0),
        float(options.rtol),
        float(options.atol),
    )
    # Copies: views of JAX buffers are read-only, and callers may write into the results.
    return np.array(np.asarray(states)[:, :n_out], dtype=np.float64), np.array(status, dtype=np.int64)
