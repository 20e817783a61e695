"""Tightening the tolerances converges to the reference solution."""

from __future__ import annotations

import numpy as np

from cartsim import SolverOptions, simulate
from tests.conftest import CART, OCRELIZUMAB, relative_error


def test_error_shrinks_as_tolerance_tightens(model):
    regimen = CART + OCRELIZUMAB
    reference = simulate(model, regimen, backend="reference", solver=SolverOptions(rtol=1e-11, atol=1e-13), include_states=True)
    errors = []
    for rtol in (1e-5, 1e-7, 1e-9):
        result = simulate(model, regimen, solver=SolverOptions(rtol=rtol, atol=rtol * 1e-2), include_states=True)
        errors.append(max(relative_error(result[v].values, reference[v].values) for v in model.state_names))
    assert errors[0] > errors[1] > errors[2], errors
    assert errors[1] < errors[0] / 5 and errors[2] < errors[1] / 5, errors
    assert errors[2] < 1e-6, errors


def test_reference_solver_converges_too(model):
    grid = np.arange(0.0, 200.0, 5.0)
    loose = simulate(model, CART, backend="reference", times=grid, solver=SolverOptions(rtol=1e-6, atol=1e-8))
    tight = simulate(model, CART, backend="reference", times=grid, solver=SolverOptions(rtol=1e-11, atol=1e-13))
    tighter = simulate(model, CART, backend="reference", times=grid, solver=SolverOptions(rtol=1e-12, atol=1e-14))
    assert relative_error(tight["bcells_blood"].values, tighter["bcells_blood"].values) < relative_error(
        loose["bcells_blood"].values, tighter["bcells_blood"].values
    )
