"""Plasma cells and antibodies: untreated steady state; a CD19 CAR-T removes plasmablasts, so the
autoantibody they make falls with the IgG half-life while protective IgG from CD19- long-lived
plasma cells stays; total IgG loses about the plasmablasts' share; a BCMA product removes
long-lived plasma cells and protective IgG with them.

Scenario: Flu 30 / Cy 300 mg/m**2 on days 0-2, 1e6 CAR T cells/kg on day 5, typical patient."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions
from cartsim.parameters import DEFAULT_PARAMETERS
from tests.conftest import solved

TIGHT = SolverOptions(rtol=1e-9, atol=1e-12)
TIMES = np.arange(0.0, 731.0, 1.0)
LD = Regimen(tuple(
    Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i)) for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
    for i in range(3)
))
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=5.0))
LLPC_SHARE = DEFAULT_PARAMETERS["igg_share_llpc"].value
LLPC_LOSS = np.log(2.0) / DEFAULT_PARAMETERS["llpc_half_life"].value
IGG_CLEARANCE = np.log(2.0) / DEFAULT_PARAMETERS["igg_half_life"].value


@pytest.fixture(scope="module")
def model(cart_plasma_model) -> cartsim.Model:
    return cart_plasma_model


def _run(model: cartsim.Model, regimen: Regimen, **parameters: float) -> cartsim.Simulation:
    return solved(model, regimen, parameters, TIMES, TIGHT)


@pytest.fixture(scope="module")
def cd19(model) -> cartsim.Simulation:
    return _run(model, LD + CAR)


def test_untreated_patient_stays_at_steady_state(model):
    result = _run(model, Regimen(), igg_baseline=12.0)
    for name in ("plasmablasts", "llpc", "llpc_cns", "igg_total_rel", "igg_protective_rel", "autoantibody_rel", "igg_intrathecal_rel"):
        values = result[name].values[0]
        np.testing.assert_allclose(values, values[0], rtol=1e-8, err_msg=name)
    assert result["plasmablasts_blood"].values[0, -1] == pytest.approx(DEFAULT_PARAMETERS["plasmablast_baseline"].value)
    assert result["llpc"].values[0, -1] == pytest.approx(DEFAULT_PARAMETERS["llpc_baseline"].value)
    np.testing.assert_allclose(result["igg_total"].values, 12.0, rtol=1e-8)  # g/L: the patient's own baseline
    for name in ("igg_protective", "autoantibody", "igg_intrathecal"):
        np.testing.assert_allclose(result[name].values, 1.0, rtol=1e-8, err_msg=name)


def test_cd19_car_t_removes_plasmablasts(cd19):
    relative = cd19["plasmablasts_blood"].values[0] / DEFAULT_PARAMETERS["plasmablast_baseline"].value
    assert relative[30] < 1e-3
    assert np.all(relative[20:90] < 1e-3)


def test_autoantibody_falls_with_the_igg_half_life(cd19):
    # With its plasmablasts gone, dY/dt = -k_G Y: a straight line in log scale.
    window = (TIMES >= 30.0) & (TIMES <= 90.0)
    auto = cd19["autoantibody"].values[0]
    slope = np.polyfit(TIMES[window], np.log(auto[window]), 1)[0]
    assert slope == pytest.approx(-IGG_CLEARANCE, rel=1e-3)
    assert -np.log(2.0) / slope == pytest.approx(21.0, rel=1e-3)  # days
    assert auto[120] < 0.05


def test_protective_igg_stays_within_a_few_percent_for_months(cd19):
    protective = cd19["igg_protective"].values[0]
    assert np.all(protective[:181] > 0.95)
    # nothing lowers it faster than the long-lived plasma cells' own half-life
    assert np.all(protective >= np.exp(-LLPC_LOSS * TIMES) - 1e-9)


def test_total_igg_loses_about_the_plasmablast_share(cd19):
    total = cd19["igg_total"].values[0] / DEFAULT_PARAMETERS["igg_baseline"].value
    protective, auto = cd19["igg_protective"].values[0], cd19["autoantibody"].values[0]
    # Total IgG is the weighted sum of what each source makes (the equations are linear).
    np.testing.assert_allclose(total, LLPC_SHARE * protective + (1 - LLPC_SHARE) * auto, rtol=1e-7)
    # Once the autoantibody (the plasmablasts' IgG) is gone, total IgG is ~90 % of protective.
    assert total[120] / protective[120] == pytest.approx(LLPC_SHARE, abs=0.01)
    assert 1 - total[:181].min() == pytest.approx(1 - LLPC_SHARE, abs=0.03)


def test_bcma_product_lowers_protective_igg(model, cd19):
    bcma = _run(model, LD + CAR, cart_targets_cd19=0.0, cart_targets_bcma=1.0)
    protective = bcma["igg_protective"].values[0]
    assert protective[180] < 0.2
    assert protective[180] < 0.25 * cd19["igg_protective"].values[0, 180]
    # IgG falls no faster than it is cleared (half-life 21 days), even with its makers gone.
    assert np.all(protective >= np.exp(-IGG_CLEARANCE * TIMES) - 1e-9)
    assert bcma["igg_total"].values[0, 180] < cd19["igg_total"].values[0, 180]


def test_antibodies_return_as_memory_b_cells_do(cd19):
    # The autoantibody tracks its source, memory B cells, with a ~month's lag: both are back in part by year 2.
    memory = cd19["memory_bcells_relative"].values[0]
    auto = cd19["autoantibody"].values[0]
    assert auto[730] > auto[180]
    assert auto[730] == pytest.approx(memory[730], abs=0.1)
