"""A patient whose solve fails is reported; the rest of the batch is unaffected."""

from __future__ import annotations

import numpy as np
import pytest

from cartsim import SolverOptions, simulate
from cartsim.engine import Status
from tests.conftest import CART, RTOL, relative_error

# Patient 1 expands with a 15-minute doubling time at full speed without lymphodepletion and
# kills nothing: its CAR-T pool overflows.
ABSURD = {
    "cart_doubling_time": [0.755, 0.01, 0.755, 0.9],
    "cart_kill_rate": [0.01, 0.0, 0.02, 0.005],
    "cart_cytokine_independence": [0.05, 1e6, 0.05, 0.05],
}


@pytest.mark.parametrize("backend", ["cpu", "reference"])
def test_failed_patient_is_reported_and_others_are_correct(model, backend):
    solver = SolverOptions(rtol=1e-10, atol=1e-12)
    batch = simulate(model, CART, ABSURD, backend=backend, solver=solver, times=np.arange(0.0, 120.0))
    assert batch.status.tolist()[0] == 0 and batch.status[1] != 0 and batch.status.tolist()[2:] == [0, 0]
    failures = batch.failures()
    assert failures["patient"].tolist() == [1]
    assert failures["message"].iloc[0] == Status.of(batch.status[1]).value
    good = [0, 2, 3]
    alone = simulate(
        model, CART, {k: np.asarray(v)[good] for k, v in ABSURD.items()}, backend="reference", solver=solver, times=np.arange(0.0, 120.0)
    )
    assert relative_error(batch["bcells_blood"].values[good], alone["bcells_blood"].values) < RTOL
    assert relative_error(batch["cart_blood"].values[good], alone["cart_blood"].values) < RTOL


def test_too_few_steps_is_a_solver_failure(model):
    result = simulate(model, CART, solver=SolverOptions(max_steps=3), horizon_days=30)
    assert result.status.tolist() == [1]
    assert np.isnan(result["bcells_blood"].values[0, -1])
