"""Amounts that cannot be negative: round-off below zero is reported as 0, a real dive below it as a failed solve."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim.engine import SolverOptions, Status
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity, State, compose
from cartsim.population import POPULATIONS, sample_parameters
from cartsim.protocol import parse_regimen

BACKENDS = ["cpu", "reference", "jax"]


def _drain(nonnegative: bool) -> cartsim.Model:
    """x falls at a constant rate: it crosses zero on day ``x0/r`` (a model error, not round-off)."""
    module = Module(
        "drain",
        "constant outflow",
        states=(State("x", "mg", "x0", nonnegative=nonnegative),),
        parameters=(Quantity("r", "mg/day"), Quantity("x0", "mg")),
        rates={"x": "-r"},
        observables=(Expression("x_obs", "x", "mg"),),
    )
    return compose(
        [module], ParameterSet("t", (Parameter("r", 1.0, "mg/day", "assumption: test"), Parameter("x0", 2.0, "mg", "assumption: test")))
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_state_driven_below_zero_fails_the_patient(backend):
    times = np.arange(0.0, 5.0, 0.5)
    result = cartsim.simulate(_drain(True), times=times, n_patients=1, backend=backend, include_states=True)
    assert Status.of(result.status[0]) is Status.NEGATIVE
    x = result["x_obs"].values[0]
    assert np.all(x[times <= 2.0] >= 0) and np.all(np.isnan(x[times > 2.0])), x


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_state_that_may_be_negative_is_left_alone(backend):
    times = np.arange(0.0, 5.0, 0.5)
    result = cartsim.simulate(_drain(False), times=times, n_patients=1, backend=backend)
    assert result.n_failed == 0
    np.testing.assert_allclose(result["x_obs"].values[0], 2.0 - times, atol=1e-6)


def test_round_off_below_zero_is_reported_as_zero():
    """The full model after CD19 CAR-T: drugs and killed cells end near zero, never below it."""
    model = POPULATIONS["sle"].apply(cartsim.full_model())
    treatment = parse_regimen(
        [{"therapy": "flu-cy", "day": -5, "product": "mb-cart19.1"}, {"therapy": "cd19-cart", "day": 0, "product": "mb-cart19.1"}]
    )
    parameters = sample_parameters(model, 20, seed=1)
    parameters.update({k: np.full(20, v) for k, v in treatment.parameters.items()})
    result = cartsim.simulate(
        model, treatment.regimen, parameters, times=np.arange(-6.0, 400.0), solver=SolverOptions(), include_states=True
    )
    assert result.n_failed == 0
    values = np.stack([result[s.name].values for s in model.states])
    assert values.min() == 0.0, "some states reach zero (and none goes below it)"
