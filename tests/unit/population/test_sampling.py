"""Virtual patients keep their parameter values whatever else is drawn."""

import numpy as np
import pytest
from scipy import stats

from cartsim import full_model
from cartsim.model import Change
from cartsim.population import patient_normals, sample_parameters


def test_a_patient_keeps_its_values_when_another_parameter_gains_a_spread():
    model = full_model()
    before = sample_parameters(model, 200, seed=3)
    assert "cart_divisions" not in before
    after = sample_parameters(model.with_changes([Change("cart_divisions", 11.93, "assumption: test", 0.1)]), 200, seed=3)
    assert "cart_divisions" in after
    for name, values in before.items():
        np.testing.assert_array_equal(after[name], values, err_msg=name)


def test_a_patient_keeps_its_values_in_any_set_of_patients():
    whole = patient_normals(5, np.arange(40), ["a", "b"])
    some = patient_normals(5, [39, 3, 4, 5, 17], ["b", "a"])
    np.testing.assert_array_equal(some, whole[[39, 3, 4, 5, 17]][:, ::-1])


def test_streams_differ_by_seed_and_name():
    z = patient_normals(1, np.arange(1000), ["a", "b"])
    assert not np.allclose(z[:, 0], z[:, 1])
    assert not np.allclose(z, patient_normals(2, np.arange(1000), ["a", "b"]))


@pytest.mark.parametrize("name", ["body_weight", "cart_engraftment"])
def test_draws_are_standard_normal_and_independent(name):
    z = patient_normals(11, np.arange(20_000), [name, "other"])
    assert stats.kstest(z[:, 0], "norm").pvalue > 1e-3
    assert abs(np.corrcoef(z.T)[0, 1]) < 0.03
