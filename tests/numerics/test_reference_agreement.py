"""The CPU backend (numba + LSODA) agrees with a tight SciPy Radau solve to 1e-5 on every
observable and state: single patients and batches, with and without repeated dosing,
boluses and zero-order infusions, and patients with different regimens in one batch."""

from __future__ import annotations

import numpy as np
import pytest

from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.population import sample_parameters
from tests.conftest import CART, OCRELIZUMAB, RTOL, relative_error

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)


def _assert_agree(model, regimen, parameters=None, times=None, n_patients=None):
    kwargs = dict(parameters=parameters, times=times, n_patients=n_patients, solver=TIGHT, include_states=True)
    cpu = simulate(model, regimen, backend="cpu", **kwargs)
    ref = simulate(model, regimen, backend="reference", **kwargs)
    assert cpu.n_failed == 0 and ref.n_failed == 0
    for name in ref.dataset.data_vars:
        if name != "status":
            error = relative_error(cpu[name].values, ref[name].values)
            assert error < RTOL, f"{name}: relative error {error:.2e}"
    return cpu


@pytest.mark.parametrize("regimen", [Regimen(), CART, OCRELIZUMAB, CART + OCRELIZUMAB], ids=["none", "cart", "ocrelizumab", "both"])
def test_single_patient(model, regimen):
    _assert_agree(model, regimen)


def test_batch_with_variability(model):
    parameters = sample_parameters(model, 4, seed=7)
    _assert_agree(model, CART + OCRELIZUMAB, parameters, times=np.arange(0.0, 731.0, 3.0))


def test_patients_with_different_regimens(model):
    regimens = [
        Regimen.of(Dose("cart_infusion", "5e7 cells", day=3)),
        Regimen.of(Dose("ocrelizumab_iv", "600 mg", day=10.5, duration="3.5 h", every_days=100, count=4)),
        Regimen.of(Dose("ocrelizumab_iv", "150 mg", day=0), Dose("cart_infusion", "2e6 cells/kg", day=60)),
    ]
    cpu = _assert_agree(model, regimens, {"body_weight": [55.0, 70.0, 95.0]}, times=np.arange(0.0, 400.0, 0.5))
    # the per-kg CAR-T dose of patient 2 arrives at day 60, not before
    cart = cpu["cart_blood"].values
    assert cart[2, 119] == 0.0 and cart[2, 120] > 0.0


def test_output_at_a_dose_time_is_after_the_dose(model):
    result = simulate(model, Regimen.of(Dose("ocrelizumab_iv", "600 mg", day=5)), times=[0.0, 5.0, 6.0])
    concentration = result["ocrelizumab_concentration"].values[0]
    volume = model.parameter("ocr_central_volume").value
    assert concentration[0] == 0.0
    assert concentration[1] == pytest.approx(600.0 / volume, rel=1e-12)


def test_an_infusion_delivers_its_whole_dose(model):
    no_clearance = {"ocr_clearance": 0.0, "ocr_clearance_time_dependent": 0.0}
    result = simulate(
        model,
        Regimen.of(Dose("ocrelizumab_iv", "600 mg", day=1, duration="6 h")),
        no_clearance,
        times=[0.0, 1.1, 1.25, 3.0],
        include_states=True,
        solver=TIGHT,
    )
    total = result["ocr_central"].values[0] + result["ocr_peripheral"].values[0]
    np.testing.assert_allclose(total, [0.0, 600.0 * 0.1 / 0.25, 600.0, 600.0], rtol=1e-8)


@pytest.mark.parametrize("backend", ["cpu", "reference"])
def test_nearly_simultaneous_events_are_applied_together(model, backend):
    regimen = Regimen.of(
        Dose("ocrelizumab_iv", "1 mg", day=5e-299),
        Dose("ocrelizumab_iv", "2 mg", day=10.0),
        Dose("ocrelizumab_iv", "3 mg", day=10.0 + 1e-12),
    )
    result = simulate(model, regimen, times=[0.0, 10.0, 11.0], backend=backend, include_states=True)
    assert result.n_failed == 0
    assert result["ocr_central"].values[0, 0] == 1.0


@pytest.mark.parametrize("backend", ["cpu", "reference"])
def test_dose_a_rounding_error_away_from_an_output(model, backend):
    regimen = Regimen.of(Dose("ocrelizumab_iv", "1 mg", day=128.99999999999994), Dose("ocrelizumab_iv", "1 mg", day=200.00000000000006))
    result = simulate(model, regimen, times=np.arange(0.0, 366.0), backend=backend, include_states=True)
    assert result.n_failed == 0
    central = result["ocr_central"].values[0]
    assert central[128] == 0.0 and central[129] == 1.0 and central[200] > central[199]
