"""The JAX backend (diffrax, Kvaerno5) agrees with a tight SciPy Radau solve to 1e-5 on every
observable and state, keeps the dose semantics of the other backends (coinciding doses,
doses at output times, after the horizon, patients without doses), and isolates a
failing patient from the rest of the batch.

Batches use 3 patients and a grid of at most 64 output times where possible, so most
tests share one compiled program (the backend pads event and output counts).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("diffrax")

from cartsim import Dose, Regimen, SolverOptions, simulate  # noqa: E402
from cartsim.engine.patients import patient_data  # noqa: E402
from cartsim.engine.reference import solve_reference  # noqa: E402
from cartsim.engine.schedule import JUMP, RATE, Schedule  # noqa: E402
from tests.conftest import CART, RTOL, relative_error  # noqa: E402

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)
GRID = np.arange(0.0, 121.0, 3.0)
THREE = {"body_weight": [60.0, 70.0, 90.0], "cart_kill_rate": [0.005, 0.01, 0.02]}


def _assert_agree(model, regimen, parameters=None, times=GRID):
    kwargs = dict(parameters=parameters, times=times, solver=TIGHT, include_states=True)
    jax = simulate(model, regimen, backend="jax", **kwargs)
    ref = simulate(model, regimen, backend="reference", **kwargs)
    assert jax.status.tolist() == [0] * len(jax.status) and ref.n_failed == 0
    for name in ref.dataset.data_vars:
        if name != "status":
            error = relative_error(jax[name].values, ref[name].values)
            assert error < RTOL, f"{name}: relative error {error:.2e}"
    return jax


def test_single_patient_cart_infusion(model):
    result = _assert_agree(model, CART)
    assert result.dataset.attrs["method"] == "Kvaerno5"


def test_batch_with_repeated_infusions_and_a_bolus(model):
    regimen = Regimen.of(
        Dose("ocrelizumab_iv", "600 mg", day=0, duration="3.5 h", every_days=60, count=3),
        Dose("cart_infusion", "1e6 cells/kg", day=32.5),
    )
    _assert_agree(model, regimen, THREE)


def test_patients_with_different_regimens(model):
    regimens = [
        # two doses at once, between output times
        Regimen.of(Dose("cart_infusion", "5e7 cells", day=10), Dose("ocrelizumab_iv", "300 mg", day=10, duration="2.5 h")),
        # a bolus at the last output time, an infusion that ends after it, a dose after it
        Regimen.of(
            Dose("ocrelizumab_iv", "600 mg", day=120),
            Dose("ocrelizumab_iv", "600 mg", day=119, duration=3.0),
            Dose("cart_infusion", "1e6 cells/kg", day=150),
        ),
        Regimen(),
    ]
    result = _assert_agree(model, regimens, THREE)
    ocr = result["ocrelizumab_concentration"].values
    assert ocr[0, 3] == 0.0 and ocr[0, 4] > 0.0  # the infusion starts at day 10
    assert result["cart_blood"].values[1].max() == 0.0  # the day-150 dose never happens
    assert np.all(ocr[2] == 0.0)


def _direct(model, times, kinds, targets, values, t_out, parameters=THREE):
    """solve_jax and solve_reference on a hand-built schedule (bypassing simulate's checks)."""
    from cartsim.engine.jax_backend import solve_jax

    batch = patient_data(model, parameters)
    kinds = np.asarray(kinds)
    routes = np.full(kinds.shape, -1)  # not needed by the solvers
    schedule = Schedule(np.asarray(times, dtype=float), kinds, np.asarray(targets), np.asarray(values, dtype=float), routes)
    jax = solve_jax(model, batch.y0, batch.data, schedule, t_out, TIGHT)
    ref = solve_reference(model, batch.y0, batch.data, schedule, t_out, TIGHT)
    return jax, ref


def test_zero_length_segments_and_padding(model):
    """Coinciding events, +inf padding, an event at the last output: zero-length solves."""
    cart, ocr = model.state_names.index("cart_infused"), model.state_names.index("ocr_central")
    rate = model.data_names.index("input_ocrelizumab_iv")
    inf = np.inf
    times = [[10.0, 10.0, 12.3, 12.5, 40.0, 55.0], [inf] * 6, [0.0, 0.0, 0.0, 0.0, 40.0, inf]]
    kinds = [[JUMP, JUMP, RATE, RATE, JUMP, JUMP], [JUMP] * 6, [RATE, RATE, JUMP, JUMP, JUMP, JUMP]]
    targets = [[cart, ocr, rate, rate, ocr, ocr], [0] * 6, [rate, rate, cart, cart, cart, 0]]
    values = [[0.01, 200.0, 500.0, -500.0, 100.0, 300.0], [0.0] * 6, [5.0, -5.0, 0.02, 0.01, 0.01, 0.0]]
    t_out = np.arange(0.0, 41.0, 1.0)
    (states, status), (ref, ref_status) = _direct(model, times, kinds, targets, values, t_out)
    assert status.dtype == np.int64 and states.dtype == np.float64 and states.shape == ref.shape
    assert status.tolist() == [0, 0, 0] and ref_status.tolist() == [0, 0, 0]
    assert relative_error(states, ref) < RTOL
    # the outputs at dose times show the state after every dose at that time
    assert states[0, 10, cart] == pytest.approx(0.01, rel=1e-6) and states[0, 10, ocr] == pytest.approx(200.0)
    assert states[2, 0, cart] == pytest.approx(0.03)
    # one output time only: the state after the doses at that time
    (single, _), (single_ref, _) = _direct(model, times, kinds, targets, values, np.array([0.0]))
    np.testing.assert_array_equal(single, single_ref)


@settings(max_examples=5, deadline=None)
@given(
    doses=st.lists(
        st.tuples(st.sampled_from([0.0, 5.0, 7.25, 20.0, 39.0, 40.0, 41.0]), st.sampled_from([0.0, 0.1, 1.0, 30.0])),
        min_size=1,
        max_size=3,
    )
)
def test_random_schedules(model, doses):
    """Doses on and between output times, overlapping infusions, doses past the horizon."""
    regimen = Regimen.of(*(Dose("ocrelizumab_iv", "300 mg", day=day, duration=length) for day, length in doses))
    _assert_agree(model, [regimen, CART, Regimen()], THREE, times=np.arange(0.0, 41.0, 1.0))


def test_failed_patient_does_not_affect_the_others(model):
    # Patient 1 doubles every 15 minutes and kills nothing: its CAR-T pool overflows.
    absurd = {"cart_doubling_time": [0.755, 0.01, 0.755], "cart_kill_rate": [0.01, 0.0, 0.02]}
    batch = simulate(model, CART, absurd, backend="jax", solver=TIGHT, times=GRID, include_states=True)
    assert batch.status[0] == 0 and batch.status[1] != 0 and batch.status[2] == 0
    assert np.isnan(batch["cart_infused"].values[1, -1]) and batch["cart_infused"].values[1, 0] > 0
    good = [0, 2]
    alone = simulate(
        model,
        CART,
        {k: np.asarray(v)[good] for k, v in absurd.items()},
        backend="reference",
        solver=TIGHT,
        times=GRID,
        include_states=True,
    )
    for name in alone.dataset.data_vars:
        if name != "status":
            assert relative_error(batch[name].values[good], alone[name].values) < RTOL, name


def test_compiled_program_has_no_host_callbacks(model):
    """Host callbacks (e.g. equinox's runtime checks) would keep it out of JAX's persistent cache."""
    from cartsim.engine.jax_backend import _batch_solver

    batch = patient_data(model, THREE)
    schedule = np.full((3, 8), np.inf), np.zeros((3, 8), dtype=np.int64), np.zeros((3, 8), dtype=np.int64), np.zeros((3, 8))
    lowered = _batch_solver(model, TIGHT.method, TIGHT.max_steps).lower(batch.y0, batch.data, *schedule, np.arange(64.0), 1e-6, 1e-9)
    assert "callback" not in lowered.as_text()


def test_jax_is_imported_only_by_the_jax_backend():
    code = "import sys, cartsim, cartsim.engine.simulate; assert 'jax' not in sys.modules and 'diffrax' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_diffrax_gives_install_hint(monkeypatch):
    monkeypatch.delitem(sys.modules, "cartsim.engine.jax_backend", raising=False)
    monkeypatch.setitem(sys.modules, "diffrax", None)
    with pytest.raises(ImportError, match=r"pip install 'cartsim\[jax\]'"):
        import cartsim.engine.jax_backend  # noqa: F401
