"""mRNA CAR T cells: they do not expand, so the level peaks right after each infusion; every
infusion adds the same number of cells per uL of blood (the dose per kg over 70 mL/kg of
blood), and the pool decays at death + loss of CAR expression. Between weekly infusions the
level is a sum of exponentials, checked exactly. They kill BCMA+ cells only while they last.

Regimen: six weekly infusions of 52.5e6 cells/kg, the Descartes-08 schedule in myasthenia
gravis (Granit 2023)."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import bcell_lineage, mrna_cart, physiology, plasma_cells
from cartsim.parameters import DEFAULT_PARAMETERS

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)
PER_KG = 52.5e6
DOSE_DAYS = 7.0 * np.arange(6)
WEEKLY = Regimen.of(Dose("mrna_cart_infusion", f"{PER_KG} cells/kg", day=0.0, every_days=7.0, count=6))
TIMES = np.arange(0.0, 366.0, 0.25)
#: loss rate: death plus loss of CAR expression (1/day)
LOSS = DEFAULT_PARAMETERS["mrna_cart_death"].value + np.log(2.0) / DEFAULT_PARAMETERS["mrna_car_expression_half_life"].value
BLOOD_UL_PER_KG = 7e4
LAST_DOSE = DOSE_DAYS[-1]


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.compose((physiology, mrna_cart, bcell_lineage, plasma_cells), DEFAULT_PARAMETERS, name="unit-mrna-cart-plasma")


@pytest.fixture(scope="module")
def weekly(model) -> cartsim.Simulation:
    result = simulate(model, WEEKLY, {"body_weight": np.array([50.0, 70.0, 110.0])}, times=TIMES, include_states=True, solver=TIGHT)
    assert result.n_failed == 0
    return result


@pytest.fixture(scope="module")
def potent(model) -> cartsim.Simulation:
    """The same infusions at the per-cell potency of viral CAR T cells, to see the killing mechanism."""
    parameters = {"body_weight": np.array([50.0, 70.0, 110.0]), "mrna_cart_kill_rate": 0.01}
    result = simulate(model, WEEKLY, parameters, times=TIMES, include_states=True, solver=TIGHT)
    assert result.n_failed == 0
    return result


def _expected(jump: float, times: np.ndarray) -> np.ndarray:
    """Superposed exponentials: each dose adds ``jump`` that decays at LOSS."""
    elapsed = times[:, None] - DOSE_DAYS[None, :]
    return jump * np.where(elapsed >= 0, np.exp(-LOSS * np.clip(elapsed, 0.0, None)), 0.0).sum(axis=1)


def test_level_is_a_sum_of_decaying_infusions(weekly):
    jump = PER_KG / BLOOD_UL_PER_KG  # cells/uL, whatever the body weight
    for patient in range(3):
        np.testing.assert_allclose(weekly["mrna_cart_cells"].values[patient], _expected(jump, TIMES), rtol=1e-6, atol=1e-9)


def test_decay_rate_is_death_plus_car_loss(weekly):
    between = (TIMES > 1.0) & (TIMES < 6.5)
    slope = np.polyfit(TIMES[between], np.log(weekly["mrna_cart_cells"].values[1, between]), 1)[0]
    assert slope == pytest.approx(-LOSS, rel=1e-6)
    assert 0.3 < LOSS < 1.0  # CAR expression lasts days


def test_each_infusion_adds_the_same_amount(weekly):
    cells = weekly["mrna_cart_cells"].values
    for day in DOSE_DAYS:
        at = int(np.searchsorted(TIMES, day))  # an output at a dose time shows the state after it
        before = cells[:, at - 1] * np.exp(-LOSS * (TIMES[at] - TIMES[at - 1])) if at > 0 else 0.0
        np.testing.assert_allclose(cells[:, at] - before, PER_KG / BLOOD_UL_PER_KG, rtol=1e-6)


def test_an_absolute_dose_is_diluted_by_body_weight(model):
    weight = np.array([50.0, 70.0, 110.0])
    result = simulate(
        model, Regimen.of(Dose("mrna_cart_infusion", "3.5e9 cells")), {"body_weight": weight}, times=[0.0], include_states=True
    )
    np.testing.assert_allclose(result["mrna_cart_cells"].values[:, 0], 3.5e9 / (BLOOD_UL_PER_KG * weight), rtol=1e-12)


def test_no_expansion_peak_right_after_each_infusion(weekly):
    cells = weekly["mrna_cart_cells"].values[1]
    # even with BCMA+ cells around, the level only falls between infusions
    for start, end in zip(DOSE_DAYS, [*DOSE_DAYS[1:], TIMES[-1] + 1], strict=False):
        window = (TIMES >= start) & (TIMES < end)
        assert np.argmax(cells[window]) == 0
        assert np.all(np.diff(cells[window]) <= 1e-12 * cells.max())  # solver noise once ~1e-38 cells/uL are left
    # accumulation stays below the geometric-series limit of weekly doses
    jump = PER_KG / BLOOD_UL_PER_KG
    assert cells.max() < jump / (1 - np.exp(-7.0 * LOSS))


def test_kills_bcma_positive_cells_only_while_the_cells_last(potent):
    weekly = potent
    pb = weekly["plasmablasts_blood"].values[1] / DEFAULT_PARAMETERS["plasmablast_baseline"].value
    llpc = weekly["llpc"].values[1] / DEFAULT_PARAMETERS["llpc_baseline"].value
    day = lambda d: int(np.searchsorted(TIMES, d))  # noqa: E731
    assert pb[day(1.0)] < 0.1 and pb[day(LAST_DOSE + 1.0)] < 0.1
    assert llpc[day(LAST_DOSE)] < 0.01
    # a few weeks after the last infusion the cells are gone and short-lived plasmablasts are back
    assert weekly["mrna_cart_cells"].values[1, day(LAST_DOSE + 35.0)] < 1e-6 * weekly["mrna_cart_cells"].values[1].max()
    assert pb[day(LAST_DOSE + 35.0)] > 0.99
    assert np.all(np.diff(llpc[day(LAST_DOSE + 35.0) :]) > 0), "no more killing: long-lived plasma cells only refill"


def test_default_potency_leaves_igg_normal(weekly):
    # The default potency is chosen so the Descartes-08 schedule does not cause
    # hypogammaglobulinaemia (none was reported); with viral-CAR potency it would.
    day = int(np.searchsorted(TIMES, LAST_DOSE + 30.0))
    assert np.all(weekly["igg_total"].values[:, day] > DEFAULT_PARAMETERS["igg_lower_limit"].value)
    assert np.all(weekly["plasmablasts_blood"].values[:, day] < DEFAULT_PARAMETERS["plasmablast_baseline"].value)


def test_spares_b_cells(weekly):
    # BCMA is not on B cells: the B-cell lineage does not notice the infusions.
    np.testing.assert_allclose(weekly["bcells_blood"].values, DEFAULT_PARAMETERS["bcell_blood_baseline"].value, rtol=1e-8)
