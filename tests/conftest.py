"""Shared fixtures: the foundation model, standard regimens, and the comparison used by
every numerical test (relative error with an absolute floor)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import bcell_lineage, cart_kinetics, lymphodepletion, physiology, plasma_cells
from cartsim.parameters import DEFAULT_PARAMETERS

# "cartsim" (default) keeps the suite inside CI's budget; HYPOTHESIS_PROFILE=thorough searches harder.
settings.register_profile("cartsim", deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "cartsim"))

#: Relative error required between solvers, and the absolute floor (in each state's unit)
#: below which differences are not meaningful (solvers run with atol 1e-12).
RTOL = 1e-5
FLOOR = 1e-9


def relative_error(actual: np.ndarray, reference: np.ndarray, floor: float = FLOOR) -> float:
    """max |a - b| / (|b| + floor / RTOL): < RTOL means every value agrees to RTOL (or to the floor)."""
    return float(np.max(np.abs(actual - reference) / (np.abs(reference) + floor / RTOL)))


@pytest.fixture(scope="session")
def model() -> cartsim.Model:
    return cartsim.first_model()


CART = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=0))
#: The Erlangen lupus protocol as regimen entries (Mackensen2022): fludarabine 25 mg/m**2 on days
#: -5 to -3, cyclophosphamide 1000 mg/m**2 on day -5, 1e6 CD19 CAR T cells/kg (4-1BB) on day 0.
ERLANGEN_FLU_CY = {
    "therapy": "flu-cy",
    "day": -5,
    "fludarabine_mg_per_m2": 25,
    "fludarabine_days": 3,
    "cyclophosphamide_mg_per_m2": 1000,
    "cyclophosphamide_days": 1,
}
ERLANGEN_CART = {"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"}
ERLANGEN_REGIMEN = [ERLANGEN_FLU_CY, ERLANGEN_CART]
OCRELIZUMAB = Regimen.of(
    Dose("ocrelizumab_iv", "300 mg", day=0, duration="2.5 h"),
    Dose("ocrelizumab_iv", "300 mg", day=14, duration="2.5 h"),
    Dose("ocrelizumab_iv", "600 mg", day=168, duration="3.5 h", every_days=168, count=3),
)


@pytest.fixture
def cart_regimen() -> Regimen:
    return CART


@pytest.fixture
def ocrelizumab_regimen() -> Regimen:
    return OCRELIZUMAB


def solved(model: cartsim.Model, regimen: Regimen, parameters: dict, times: np.ndarray, solver: SolverOptions) -> cartsim.Simulation:
    """``simulate`` with every state kept, asserting that every patient's solve succeeded."""
    result = simulate(model, regimen, parameters, times=times, include_states=True, solver=solver)
    assert result.n_failed == 0
    return result


@pytest.fixture(scope="session")
def cart_plasma_model() -> cartsim.Model:
    """CAR T cells after lymphodepletion, with the B-cell lineage and plasma cells."""
    modules = (physiology, lymphodepletion, cart_kinetics, bcell_lineage, plasma_cells)
    return cartsim.compose(modules, DEFAULT_PARAMETERS, name="unit-cart-bcells-plasma")
