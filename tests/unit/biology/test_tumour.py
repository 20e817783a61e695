"""Lymphoma: no tumour stays no tumour; an untreated tumour grows exponentially at its rate;
a CD19 CAR-T (after Flu/Cy) expands on it and shrinks it, a BCMA product does not."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import cart_kinetics, lymphodepletion, physiology, tumour
from cartsim.parameters import DEFAULT_PARAMETERS

TIGHT = SolverOptions(rtol=1e-9, atol=1e-12)
GROWTH = DEFAULT_PARAMETERS["tumour_growth"].value
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=5.0))
BULKY = 4e4  # cells/uL (whole body per uL blood): the lbcl population's typical burden
TIMES = np.arange(0.0, 181.0, 1.0)


@pytest.fixture(scope="module")
def alone() -> cartsim.Model:
    return cartsim.compose((tumour,), DEFAULT_PARAMETERS, name="unit-tumour")


@pytest.fixture(scope="module")
def treated() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion, cart_kinetics, tumour), DEFAULT_PARAMETERS, name="unit-cart-tumour")


def test_no_tumour_stays_no_tumour(alone, treated):
    assert DEFAULT_PARAMETERS["tumour_baseline"].value == 0.0
    result = simulate(alone, Regimen(), times=TIMES, solver=TIGHT)
    assert np.all(result["tumour_burden"].values == 0.0)
    # nor does CAR-T therapy create one
    result = simulate(treated, LD + CAR, times=TIMES, solver=TIGHT)
    assert np.all(result["tumour_burden"].values == 0.0)


def test_untreated_tumour_grows_at_its_rate(alone):
    baseline = np.array([1.0, 100.0, BULKY])
    result = simulate(alone, Regimen(), {"tumour_baseline": baseline}, times=TIMES, solver=TIGHT)
    np.testing.assert_allclose(result["tumour_burden"].values, baseline[:, None] * np.exp(GROWTH * TIMES), rtol=1e-7)
    doubling = np.log(2.0) / GROWTH
    assert 20.0 < doubling < 60.0  # relapsed large B-cell lymphoma doubles in about a month


def test_cd19_car_t_shrinks_the_tumour(treated):
    # an axi-cel-like product (CD28, 2e6 cells/kg); a 4-1BB one at 1e6/kg shrinks it too, more slowly (below)
    axi_cel = Regimen.of(Dose("cart_infusion", "2e6 cells/kg", day=5.0))
    result = simulate(treated, LD + axi_cel, {"tumour_baseline": BULKY, "cart_costim_cd28": 1.0}, times=TIMES, solver=TIGHT)
    burden = result["tumour_burden"].values[0]
    untreated = BULKY * np.exp(GROWTH * TIMES)
    assert burden[5] == pytest.approx(untreated[5], rel=1e-6), "chemotherapy does not touch the tumour in this model"
    assert burden[60] < 1e-3 * untreated[60]
    # once the expanding CAR T cells outpace its growth the tumour only shrinks, until it is gone
    top = int(np.argmax(burden))
    assert 5.0 < TIMES[top] < 30.0
    gone = top + int(np.argmax(burden[top:] < 1e-6 * BULKY))
    assert gone > top and np.all(np.diff(burden[top : gone + 1]) < 0)
    # the cells that meet the tumour expand far beyond the infused number
    assert result["cart_blood"].values[0].max() > 10 * result["cart_blood"].values[0, 5]
    tisa_cel = simulate(treated, LD + CAR, {"tumour_baseline": BULKY}, times=TIMES, solver=TIGHT)["tumour_burden"].values[0]
    assert tisa_cel[60] < 0.05 * BULKY and tisa_cel[120] < 1e-3 * BULKY


def test_bcma_car_t_leaves_the_tumour_alone(treated):
    bcma = {"cart_targets_cd19": 0.0, "cart_targets_bcma": 1.0, "tumour_baseline": BULKY}
    result = simulate(treated, LD + CAR, bcma, times=TIMES, solver=TIGHT)
    np.testing.assert_allclose(result["tumour_burden"].values[0], BULKY * np.exp(GROWTH * TIMES), rtol=1e-6)


def test_more_tumour_means_more_expansion(treated):
    baseline = np.array([1e3, 1e4, 1e5, 1e6])
    result = simulate(treated, LD + CAR, {"tumour_baseline": baseline}, times=TIMES, solver=TIGHT)
    assert np.all(np.diff(result["cart_blood"].values.max(axis=1)) > 0)
