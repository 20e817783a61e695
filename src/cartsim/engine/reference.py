"""Reference backend: SciPy's Radau (implicit Runge-Kutta, order 5) for verification.

Deliberately independent of the generated code for the right-hand side: it evaluates the
model's SymPy expressions through ``sympy.lambdify``, so agreement with the CPU backend
checks the code generator as well as the solver. The compiled analytic Jacobian is
passed to Radau for speed (a wrong Jacobian would slow Newton iterations, not change the
converged answer). Slow: meant for a few patients at tight tolerances.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from cartsim.engine import numpy_functions
from cartsim.engine.codegen import load_compiled
from cartsim.engine.cpu import STATUS_NONFINITE, STATUS_OK, STATUS_SOLVER_FAILED
from cartsim.engine.options import SolverOptions
from cartsim.engine.schedule import JUMP, SIMULTANEOUS_DAYS, Schedule
from cartsim.model import Model

__all__ = ["solve_reference"]


def _solve_one(model: Model, y0, data, times, kinds, targets, values, t_out, options: SolverOptions) -> tuple[np.ndarray, int]:
    rhs = numpy_functions.rhs(model)
    jac_compiled = load_compiled(model).jac
    n = y0.size
    out = np.full((t_out.size, n), np.nan)
    y, p = y0.copy(), data.copy()
    t, e, k = t_out[0], 0, 0
    while True:
        while e < times.size and times[e] <= t + SIMULTANEOUS_DAYS:
            if kinds[e] == JUMP:
                y[targets[e]] += values[e]
            else:
                p[targets[e]] += values[e]
            e += 1
        while k < t_out.size and t_out[k] <= t + SIMULTANEOUS_DAYS:
            out[k] = y
            k += 1
        if k >= t_out.size:
            return out, STATUS_OK
        stop = min(t_out[-1], times[e]) if e < times.size else t_out[-1]
        inside = t_out[(t_out > t + SIMULTANEOUS_DAYS) & (t_out < stop - SIMULTANEOUS_DAYS)]
        J = np.zeros((n, n))

        def jac(tt, yy, p=p, J=J):
            jac_compiled(tt, yy, p, J)
            return J.copy()

        sol = solve_ivp(
            rhs,
            (t, stop),
            y,
            method="Radau",
            t_eval=np.append(inside, stop),
            args=(p,),
            jac=jac,
            rtol=options.rtol,
            atol=options.atol,
        )
        if sol.status != 0:
            return out, STATUS_SOLVER_FAILED
        out[k : k + inside.size] = sol.y[:, :-1].T
        k += inside.size
        y = sol.y[:, -1].copy()
        if not np.all(np.isfinite(y)):
            return out, STATUS_NONFINITE
        t = stop


def solve_reference(model: Model, y0: np.ndarray, data: np.ndarray, schedule: Schedule, t_out: np.ndarray, options: SolverOptions):
    """Solve each patient with Radau; same inputs and outputs as the CPU backend."""
    n = y0.shape[0]
    out = np.full((n, t_out.size, y0.shape[1]), np.nan)
    status = np.zeros(n, dtype=np.int64)
    for i in range(n):
        with np.errstate(all="ignore"):
            out[i], status[i] = _solve_one(
                model, y0[i], data[i], schedule.times[i], schedule.kinds[i], schedule.targets[i], schedule.values[i], t_out, options
            )
    return out, status
