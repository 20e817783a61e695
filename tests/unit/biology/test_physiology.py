"""Physiology: Mosteller's body surface area, blood volume from weight, and what they do to
doses given per m**2 (lymphodepletion) or as absolute cell numbers (CAR-T).

Closed forms: BSA = sqrt(height [cm] x weight [kg] / 3600) m**2 (Mosteller 1987), blood
volume = 70 mL/kg x weight (textbook adult value)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import cart_kinetics, lymphodepletion, physiology
from cartsim.engine.patients import patient_data
from cartsim.parameters import DEFAULT_PARAMETERS

# Hand-computed Mosteller values: (height cm, weight kg, BSA m**2).
MOSTELLER = [(170.0, 70.0, 1.8181), (180.0, 80.0, 2.0), (150.0, 54.0, 1.5), (160.0, 22.5, 1.0)]


@pytest.fixture(scope="module")
def ld_model() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion), DEFAULT_PARAMETERS, name="unit-physiology-lymphodepletion")


@pytest.fixture(scope="module")
def cart_model() -> cartsim.Model:
    return cartsim.compose((physiology, cart_kinetics), DEFAULT_PARAMETERS, name="unit-physiology-cart")


def _column(model: cartsim.Model, name: str, **parameters: np.ndarray) -> np.ndarray:
    data = patient_data(model, parameters).data
    return data[:, model.data_names.index(name)]


def test_body_surface_area_is_mosteller(ld_model):
    height, weight, expected = (np.array(c) for c in zip(*MOSTELLER, strict=False))
    bsa = _column(ld_model, "body_surface_area", height=height, body_weight=weight)
    np.testing.assert_allclose(bsa, expected, rtol=1e-4)


def test_blood_volume_is_70_ml_per_kg(ld_model):
    weight = np.array([20.0, 50.0, 70.0, 120.0])
    volume_ul = _column(ld_model, "patient_blood_volume", body_weight=weight)
    np.testing.assert_allclose(volume_ul / 1000.0, 70.0 * weight, rtol=1e-12)  # mL
    assert ld_model.unit_of("patient_blood_volume") == "uL"


def test_typical_patient_is_a_170_cm_70_kg_adult(ld_model):
    assert _column(ld_model, "body_surface_area")[0] == pytest.approx(1.8181, rel=1e-4)
    assert _column(ld_model, "patient_blood_volume")[0] == pytest.approx(4.9e6)  # 4.9 L


def test_a_dose_per_m2_is_multiplied_by_the_body_surface_area(ld_model):
    height, weight, bsa = (np.array(c) for c in zip(*MOSTELLER, strict=False))
    regimen = Regimen.of(Dose("fludarabine_iv", "25 mg/m**2", day=1.0))
    result = simulate(ld_model, regimen, {"height": height, "body_weight": weight}, times=[0.0, 1.0], include_states=True)
    after = result["fludarabine"].values[:, 1]  # an output at a dose time shows the state after it
    np.testing.assert_allclose(after, 25.0 * bsa, rtol=1e-4)
    np.testing.assert_allclose(result["fludarabine"].values[:, 0], 0.0)


def test_an_absolute_dose_in_mg_ignores_body_size(ld_model):
    regimen = Regimen.of(Dose("cyclophosphamide_iv", "500 mg", day=0.0))
    sizes = {"height": np.array([150.0, 190.0]), "body_weight": np.array([45.0, 110.0])}
    result = simulate(ld_model, regimen, sizes, times=[0.0], include_states=True)
    np.testing.assert_allclose(result["cyclophosphamide"].values[:, 0], 500.0, rtol=1e-12)


@given(height=st.floats(100.0, 230.0), weight=st.floats(20.0, 250.0), per_m2=st.floats(1.0, 1000.0))
def test_any_patient_gets_amount_times_bsa(ld_model, height, weight, per_m2):
    regimen = Regimen.of(Dose("cyclophosphamide_iv", f"{per_m2!r} mg/m**2", day=0.0))
    result = simulate(ld_model, regimen, {"height": height, "body_weight": weight}, times=[0.0], include_states=True)
    assert result["cyclophosphamide"].values[0, 0] == pytest.approx(per_m2 * np.sqrt(height * weight / 3600.0), rel=1e-9)


def test_cells_are_spread_over_the_blood_volume(cart_model):
    # 1e8 cells into 70 mL/kg x W of blood: 1e8 / (7e4 uL/kg x W) cells per uL (whole-body pool).
    weight = np.array([50.0, 70.0, 100.0])
    result = simulate(
        cart_model,
        Regimen.of(Dose("cart_infusion", "1e8 cells")),
        {"body_weight": weight},
        times=[0.0],
        include_states=True,
        solver=SolverOptions(rtol=1e-10, atol=1e-12),
    )
    np.testing.assert_allclose(result["cart_infused"].values[:, 0], 1e8 / (7e4 * weight), rtol=1e-12)
    # per kg of body weight, the concentration is the same for every patient
    per_kg = simulate(
        cart_model, Regimen.of(Dose("cart_infusion", "1e6 cells/kg")), {"body_weight": weight}, times=[0.0], include_states=True
    )
    np.testing.assert_allclose(per_kg["cart_infused"].values[:, 0], 1e6 / 7e4, rtol=1e-12)
