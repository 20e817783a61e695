"""Generated code: the compiled Jacobian is the derivative of the compiled right-hand side,
which agrees with the SymPy expressions; compiled code is cached on disk."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import sympy as sp

from cartsim.engine.codegen import generate_source, load_compiled
from cartsim.engine.patients import patient_data


def _state_and_data(model):
    patients = patient_data(model, {"body_weight": 80.0})
    rng = np.random.default_rng(0)
    y = patients.y0[0] * rng.uniform(0.2, 2.0, size=patients.y0.shape[1]) + rng.uniform(0.5, 5.0, size=patients.y0.shape[1])
    data = patients.data[0].copy()
    data[-len(model.routes) :] = [3.0, 2.0]
    return y, data


def test_compiled_rhs_matches_sympy(model):
    y, data = _state_and_data(model)
    compiled = load_compiled(model)
    du = np.empty_like(y)
    compiled.rhs_array(0.0, y, data, du)
    expected = sp.lambdify([model.state_symbols, model.data_symbols], list(model.rhs))(y, data)
    np.testing.assert_allclose(du, expected, rtol=1e-12, atol=1e-12)


def test_compiled_jacobian_matches_finite_differences(model):
    y, data = _state_and_data(model)
    compiled = load_compiled(model)
    n = y.size
    J = np.empty((n, n))
    compiled.jac(0.0, y, data, J)

    def central(j: int, h: float) -> np.ndarray:
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        f_up, f_down = np.empty(n), np.empty(n)
        compiled.rhs_array(0.0, up, data, f_up)
        compiled.rhs_array(0.0, down, data, f_down)
        return (f_up - f_down) / (2 * h)

    numeric = np.empty((n, n))
    for j in range(n):
        # Richardson extrapolation of central differences: error O(h^4), so the comparison
        # tests the analytic Jacobian rather than the finite-difference truncation error.
        h = 1e-3 * max(abs(y[j]), 1.0)
        numeric[:, j] = (4 * central(j, h / 2) - central(j, h)) / 3
    np.testing.assert_allclose(J, numeric, rtol=1e-5, atol=1e-7)


def test_source_is_deterministic(model):
    assert generate_source(model) == generate_source(model)


def test_second_process_loads_compiled_code_from_cache(model, tmp_path):
    script = textwrap.dedent(
        """
        import numpy as np
        import cartsim
        from cartsim.engine.codegen import load_compiled
        from cartsim.engine.cpu import solve_batch
        model = cartsim.first_model()
        cartsim.simulate(model, horizon_days=3)
        compiled = load_compiled(model)
        n = len(model.states)
        compiled.jac(0.0, np.ones(n), np.ones(len(model.data_names)), np.empty((n, n)))
        hits = (sum(solve_batch.stats.cache_hits.values()), sum(compiled.jac.stats.cache_hits.values()), compiled.rhs.cache_hits)
        print(*(int(h > 0) for h in hits))
        """
    )
    env = dict(os.environ, CARTSIM_CACHE_DIR=str(tmp_path), NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["0", "0", "0"], first.stdout + first.stderr
    assert second.stdout.split() == ["1", "1", "1"], second.stdout + second.stderr
    assert list((tmp_path / "models").glob("cartsim_model_*.py"))


def test_compiled_observables_match_sympy(model):
    y, data = _state_and_data(model)
    states = np.stack([y, 2 * y])[:, None, :]  # 2 patients x 1 time
    out = np.empty((len(model.observables), 2, 1))
    load_compiled(model).observe(states, np.stack([data, data]), out)
    for j, o in enumerate(model.observables):
        fn = sp.lambdify([model.state_symbols, model.data_symbols], o.expr)
        np.testing.assert_allclose(out[j, :, 0], [fn(y, data), fn(2 * y, data)], rtol=1e-12)
