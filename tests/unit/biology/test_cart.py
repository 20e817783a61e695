"""CAR T cells: no antigen, no expansion; a CD19 product expands on and depletes B cells, a BCMA
product spares them and depletes long-lived plasma cells; CD28 costimulation peaks earlier
and higher and persists shorter than 4-1BB; few cells reach the CSF; without lymphodepletion
the cells expand, less than with it.

Scenario: Flu 30 / Cy 300 mg/m**2 on days 0-2, 1e6 CAR T cells/kg on day 5, typical patient."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import bcell_lineage, cart_kinetics, lymphodepletion, physiology
from cartsim.parameters import DEFAULT_PARAMETERS
from tests.conftest import solved

TIGHT = SolverOptions(rtol=1e-9, atol=1e-14)  # persistence is compared at ~1e-7 cells/uL
INFUSION_DAY = 5.0
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=INFUSION_DAY))
TIMES = np.unique(np.concatenate([np.arange(0.0, 60.0, 0.25), np.arange(60.0, 366.0, 1.0)]))
BCMA = {"cart_targets_cd19": 0.0, "cart_targets_bcma": 1.0}
#: Blood CAR T cells right after 1e6 cells/kg: spread over 70 mL/kg of blood, 2 % circulating.
INFUSED_BLOOD = 1e6 / 7e4 * DEFAULT_PARAMETERS["cart_blood_fraction"].value


def _day(day: float) -> int:
    return int(np.searchsorted(TIMES, day))


@pytest.fixture(scope="module")
def bare() -> cartsim.Model:
    return cartsim.compose((physiology, cart_kinetics), DEFAULT_PARAMETERS, name="unit-physiology-cart")


@pytest.fixture(scope="module")
def bcell_model() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion, cart_kinetics, bcell_lineage), DEFAULT_PARAMETERS, name="unit-cart-bcells")


@pytest.fixture(scope="module")
def plasma_model(cart_plasma_model) -> cartsim.Model:
    return cart_plasma_model


def _run(model: cartsim.Model, regimen: Regimen, **parameters: float) -> cartsim.Simulation:
    return solved(model, regimen, parameters, TIMES, TIGHT)


@pytest.fixture(scope="module")
def cd19(bcell_model) -> cartsim.Simulation:
    return _run(bcell_model, LD + CAR)


@pytest.fixture(scope="module")
def ld_only(bcell_model) -> cartsim.Simulation:
    return _run(bcell_model, LD)


def test_without_antigen_car_t_cells_only_decline(bare):
    result = simulate(bare, Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=0.0)), times=TIMES, include_states=True, solver=TIGHT)
    blood = result["cart_blood"].values[0]
    assert blood[0] == pytest.approx(INFUSED_BLOOD, rel=1e-9)
    assert np.all(np.diff(blood) <= 0.0)
    # Infused cells that meet no antigen decline at alpha (they hand cells to memory without losing them there).
    effector = result["cart_infused"].values[0]
    early = TIMES <= 30.0
    slope = np.polyfit(TIMES[early], np.log(effector[early]), 1)[0]
    assert slope == pytest.approx(-DEFAULT_PARAMETERS["cart_alpha"].value, rel=1e-6)
    assert np.all(result["cart_exhausted"].values == 0.0), "no stimulation, no exhaustion"


def test_cd19_product_expands_and_depletes_b_cells(cd19, ld_only):
    blood = cd19["cart_blood"].values[0]
    peak = int(np.argmax(blood))
    assert blood[peak] > 10 * INFUSED_BLOOD
    assert INFUSION_DAY + 3 <= TIMES[peak] <= INFUSION_DAY + 30
    bcells, ld_bcells = cd19["bcells_blood"].values[0], ld_only["bcells_blood"].values[0]
    day30 = _day(30.0)
    assert bcells[day30] < 2.0  # cells/uL: B-cell aplasia (baseline 330)
    assert bcells[day30] < 0.05 * ld_bcells[day30], "chemotherapy alone does not do this"
    assert bcells[_day(INFUSION_DAY)] == pytest.approx(ld_bcells[_day(INFUSION_DAY)], rel=1e-6), "no effect before the infusion"


def test_bcma_product_does_not_touch_b_cells_without_plasma_cells(bcell_model, ld_only):
    bcma = _run(bcell_model, LD + CAR, **BCMA)
    np.testing.assert_allclose(bcma["bcells_blood"].values, ld_only["bcells_blood"].values, rtol=1e-6)
    np.testing.assert_allclose(bcma["bcell_precursors"].values, ld_only["bcell_precursors"].values, rtol=1e-6)
    after = TIMES >= INFUSION_DAY
    assert bcma["cart_blood"].values[0, after].max() <= INFUSED_BLOOD * (1 + 1e-9), "no BCMA antigen, no expansion"


def test_bcma_product_depletes_long_lived_plasma_cells_instead(plasma_model):
    cd19 = _run(plasma_model, LD + CAR)
    bcma = _run(plasma_model, LD + CAR, **BCMA)
    ld_only = _run(plasma_model, LD)
    baseline = DEFAULT_PARAMETERS["llpc_baseline"].value
    assert bcma["llpc"].values[0].min() < 0.01 * baseline
    assert cd19["llpc"].values[0].min() > 0.9 * baseline, "CD19- long-lived plasma cells escape a CD19 product"
    assert bcma["cart_blood"].values[0].max() > 3 * INFUSED_BLOOD, "BCMA+ cells drive expansion"
    # B cells: the BCMA product adds nothing to what lymphodepletion does.
    np.testing.assert_allclose(bcma["bcells_blood"].values, ld_only["bcells_blood"].values, rtol=1e-6)
    assert cd19["bcells_blood"].values[0, _day(30.0)] < 0.05 * bcma["bcells_blood"].values[0, _day(30.0)]


def test_cd28_peaks_earlier_and_higher_and_persists_shorter_than_4_1bb(bcell_model, cd19):
    cd28 = _run(bcell_model, LD + CAR, cart_costim_cd28=1.0)
    bb, c28 = cd19["cart_blood"].values[0], cd28["cart_blood"].values[0]
    assert c28.max() > bb.max()
    assert TIMES[np.argmax(c28)] < TIMES[np.argmax(bb)]
    assert c28[_day(365.0)] < bb[_day(365.0)]
    # from a higher peak the CD28 cells fall faster: the late log-slope is steeper
    late = lambda blood: np.log(blood[_day(365.0)] / blood[_day(200.0)]) / 165.0  # noqa: E731
    assert late(c28) < 1.3 * late(bb) < 0


def test_csf_car_t_cells_are_a_small_fraction_of_blood(cd19):
    blood, csf = cd19["cart_blood"].values[0], cd19["cart_csf_cells"].values[0]
    after = TIMES > INFUSION_DAY
    ratio = csf[after] / blood[after]
    assert np.all(ratio < 0.05)
    # at the peak the CSF has equilibrated near entry/exit (~2 %): the cells do get there
    peak = int(np.argmax(blood))
    assert 0.005 < csf[peak] / blood[peak] < 0.05
    assert np.all(csf[TIMES < INFUSION_DAY] == 0.0)


def test_csf_car_t_cells_expand_only_on_cns_targets_and_clear_cns_b_cells(bcell_model, cd19):
    # Local expansion needs CD19+ cells in the CNS; without entry (hypothesis no-cns-cart) there is none,
    # and CNS B cells then fall only as the periphery that seeds them does.
    no_targets = _run(bcell_model, LD + CAR, cns_bcell_count=0.0)
    no_entry = _run(bcell_model, LD + CAR, cart_csf_entry=0.0)
    csf = cd19["cart_csf_cells"].values[0]
    assert csf.max() > no_targets["cart_csf_cells"].values[0].max()
    np.testing.assert_array_equal(no_entry["cart_csf_cells"].values[0], 0.0)
    resident = cd19["b_cns_resident"].values[0]
    # CSF CAR T cells (about 2 % of blood's) halve the resident cells within two months and keep them down
    assert resident[_day(60.0)] < 0.5 * no_entry["b_cns_resident"].values[0][_day(60.0)]
    assert np.all(np.diff(resident[_day(30.0) :]) < 0)
    assert no_entry["b_cns_resident"].values[0][_day(60.0)] > 0.5, "without CAR T cells in the CSF the resident cells stay"


def test_lymphodepletion_increases_expansion(bcell_model, cd19):
    without = _run(bcell_model, CAR)
    # without it the cells still expand (they meet their antigen), but make fewer divisions
    assert without["cart_blood"].values[0].max() > 1.5 * INFUSED_BLOOD
    assert cd19["cart_blood"].values[0].max() > 5 * without["cart_blood"].values[0].max()
    auc = lambda r: np.trapezoid(r["cart_blood"].values[0], TIMES)  # noqa: E731
    assert auc(cd19) > 5 * auc(without)


def test_cells_stay_non_negative(cd19):
    for name in (state.name for state in cart_kinetics.states):
        assert cd19[name].values.min() >= -1e-12, name
