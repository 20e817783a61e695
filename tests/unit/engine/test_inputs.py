"""simulate() rejects bad input before solving anything, naming the field and what is allowed."""

from __future__ import annotations

import numpy as np
import pytest

from cartsim import Dose, InputError, Regimen, SolverOptions, UnitError, simulate


def test_unknown_parameter(model):
    with pytest.raises(InputError, match="parameters: got 'cart_speed'; allowed: a parameter of the model"):
        simulate(model, parameters={"cart_speed": 1.0})


def test_non_numeric_parameter(model):
    with pytest.raises(InputError, match=r"parameters\['body_weight'\]"):
        simulate(model, parameters={"body_weight": "heavy"})


def test_parameter_with_unit_string_is_converted(model):
    a = simulate(model, parameters={"body_weight": "80 kg"}, horizon_days=5)
    b = simulate(model, parameters={"body_weight": 80.0}, horizon_days=5)
    np.testing.assert_array_equal(a["bcells_blood"].values, b["bcells_blood"].values)


def test_parameter_unit_that_does_not_convert(model):
    with pytest.raises(UnitError, match=r"parameters\['body_weight'\]"):
        simulate(model, parameters={"body_weight": "80 mg/L"})


def test_parameter_out_of_bounds(model):
    with pytest.raises(InputError, match=r"parameters\['body_weight'\]: got 5.0"):
        simulate(model, parameters={"body_weight": [70.0, 5.0]})


def test_parameter_arrays_of_different_lengths(model):
    with pytest.raises(InputError, match="one common length"):
        simulate(model, parameters={"body_weight": [70.0, 80.0], "cart_alpha": [0.1, 0.2, 0.3]})


def test_dose_unit_that_does_not_convert_to_route(model):
    with pytest.raises(UnitError, match=r"regimen.doses\[0\].amount: got '1e6 cells/kg'; allowed: an amount in mg, mg/kg or mg/m\*\*2"):
        simulate(model, Regimen.of(Dose("ocrelizumab_iv", "1e6 cells/kg")))


def test_unknown_route(model):
    with pytest.raises(InputError, match=r"regimen.doses\[0\].route: got 'rituximab_iv'; allowed: one of the model's dose routes"):
        simulate(model, Regimen.of(Dose("rituximab_iv", "1000 mg")))


def test_times_not_increasing(model):
    with pytest.raises(InputError, match="times: .*strictly increasing"):
        simulate(model, times=[0, 10, 5])


def test_times_not_finite(model):
    with pytest.raises(InputError, match="times"):
        simulate(model, times=[0, np.nan])


def test_dose_before_first_output(model):
    with pytest.raises(InputError, match="regimen: got 'a dose at day -5'"):
        simulate(model, Regimen.of(Dose("ocrelizumab_iv", "300 mg", day=-5)))


def test_bad_horizon(model):
    with pytest.raises(InputError, match="horizon_days"):
        simulate(model, horizon_days=-1)


def test_bad_backend(model):
    with pytest.raises(InputError, match="backend: got 'gpu'"):
        simulate(model, backend="gpu")


@pytest.mark.parametrize("kwargs", [{"rtol": 0}, {"atol": 2.0}, {"max_steps": 0}, {"threads": 0}, {"method": "Euler"}])
def test_bad_solver_options(kwargs):
    with pytest.raises(InputError, match="solver."):
        SolverOptions(**kwargs)


def test_wrong_number_of_regimens(model):
    with pytest.raises(InputError, match="one per patient"):
        simulate(model, [Regimen(), Regimen()], n_patients=3, horizon_days=5)
