"""Lymphodepletion: fludarabine and cyclophosphamide are cleared with their label half-lives,
kill host T cells, which recover towards baseline at ``host_t_recovery``; the homeostatic
drive is 1 - T (0 without therapy); more drug never leaves more T cells.

A test-only probe module reads the two quantities the module provides to others
(``homeostatic_drive``, ``lymphodepletion_kill_rate``) and shows them as observables."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import lymphodepletion, physiology
from cartsim.model import Expression, Module, Quantity
from cartsim.parameters import DEFAULT_PARAMETERS

TIGHT = SolverOptions(rtol=1e-10, atol=1e-13)
LN2 = np.log(2.0)

_probe = Module(
    name="lymphodepletion_probe",
    description="test only: shows the quantities lymphodepletion provides to other modules",
    reads=(Quantity("homeostatic_drive", "1"), Quantity("lymphodepletion_kill_rate", "1/day")),
    observables=(
        Expression("probe_drive", "homeostatic_drive", "1"),
        Expression("probe_kill_rate", "lymphodepletion_kill_rate", "1/day"),
    ),
)


def flu_cy(fludarabine: float = 30.0, cyclophosphamide: float = 300.0, days: int = 3) -> Regimen:
    """The standard Flu/Cy course: one dose of each drug a day, amounts per m**2."""
    return Regimen(
        tuple(
            Dose(f"{drug}_iv", f"{amount!r} mg/m**2", day=float(i))
            for drug, amount in (("fludarabine", fludarabine), ("cyclophosphamide", cyclophosphamide))
            if amount > 0
            for i in range(days)
        )
    )


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion, _probe), DEFAULT_PARAMETERS, name="unit-lymphodepletion-probe")


@pytest.fixture(scope="module")
def standard(model) -> cartsim.Simulation:
    return simulate(model, flu_cy(), times=np.arange(0.0, 366.0, 0.25), include_states=True, solver=TIGHT)


def _log_slope(times: np.ndarray, values: np.ndarray) -> float:
    return float(np.polyfit(times, np.log(values), 1)[0])


@pytest.mark.parametrize("drug, window", [("fludarabine", (3.0, 8.0)), ("cyclophosphamide", (3.0, 6.0))])
def test_drugs_are_cleared_with_their_label_half_lives(standard, drug, window):
    times = standard.times
    after = (times >= window[0]) & (times <= window[1])  # after the last dose (day 2)
    half_life_days = DEFAULT_PARAMETERS[f"{drug}_half_life"].value / 24.0  # label values are in hours
    assert DEFAULT_PARAMETERS[f"{drug}_half_life"].unit == "hour"
    assert _log_slope(times[after], standard[drug].values[0, after]) == pytest.approx(-LN2 / half_life_days, rel=1e-5)
    # fludarabine's metabolite lingers for ~20 h, cyclophosphamide for ~7 h
    assert {"fludarabine": 20.0, "cyclophosphamide": 7.0}[drug] == pytest.approx(half_life_days * 24.0)


def test_untreated_patient_keeps_host_t_cells_and_no_drive(model):
    result = simulate(model, Regimen(), times=np.arange(0.0, 366.0, 30.0), include_states=True, solver=TIGHT)
    np.testing.assert_allclose(result["host_t_cells_relative"].values, 1.0, rtol=1e-12)
    np.testing.assert_allclose(result["probe_drive"].values, 0.0, atol=1e-12)
    np.testing.assert_allclose(result["probe_kill_rate"].values, 0.0, atol=1e-12)


def test_flu_cy_depletes_host_t_cells_then_they_recover(standard):
    times, t_cells = standard.times, standard["host_t_cells_relative"].values[0]
    nadir = int(np.argmin(t_cells))
    # the standard course leaves ~5-10 % of lymphocytes, at its end or shortly after
    assert 0.03 < t_cells[nadir] < 0.12
    assert 2.0 <= times[nadir] <= 7.0
    assert np.all(np.diff(t_cells[nadir:]) >= -1e-12), "recovery is monotone once the drugs are gone"
    assert t_cells[times == 365.0][0] > 0.99
    assert np.all(t_cells <= 1.0 + 1e-12)


def test_recovery_runs_at_the_recovery_rate(standard):
    # Once the drugs are cleared, 1 - T decays as exp(-r_T t).
    times = standard.times
    late = (times >= 30.0) & (times <= 200.0)
    deficit = 1.0 - standard["host_t_cells_relative"].values[0, late]
    assert _log_slope(times[late], deficit) == pytest.approx(-DEFAULT_PARAMETERS["host_t_recovery"].value, rel=1e-4)


def test_drive_is_one_minus_host_t_cells_and_rises_as_they_fall(standard):
    t_cells = standard["host_t_cells_relative"].values[0]
    drive = standard["probe_drive"].values[0]
    np.testing.assert_allclose(drive, 1.0 - t_cells, atol=1e-12)
    assert drive[0] == pytest.approx(0.0, abs=1e-12)
    assert drive.max() > 0.9
    assert np.argmax(drive) == np.argmin(t_cells)


def test_killing_happens_only_while_the_drugs_are_present(standard):
    times, kill = standard.times, standard["probe_kill_rate"].values[0]
    kmax = DEFAULT_PARAMETERS["fludarabine_kmax"].value + DEFAULT_PARAMETERS["cyclophosphamide_kmax"].value
    assert np.all((kill >= -1e-15) & (kill < kmax))  # amounts decayed to ~1e-20 mg carry solver noise
    assert kill[times == 1.0][0] > 0.5
    assert kill[times == 30.0][0] < 1e-3 * kill.max()


def test_more_fludarabine_never_leaves_more_t_cells_on_a_dose_grid(model):
    amounts = [0.0, 5.0, 10.0, 20.0, 25.0, 30.0, 40.0, 60.0, 100.0]
    regimens = [flu_cy(fludarabine=a, cyclophosphamide=0.0) if a > 0 else Regimen() for a in amounts]
    result = simulate(model, regimens, n_patients=len(amounts), times=np.arange(0.0, 200.0, 0.5), solver=TIGHT)
    t_cells = result["host_t_cells_relative"].values  # (dose, time)
    assert np.all(np.diff(t_cells, axis=0) <= 1e-10)
    assert np.all(np.diff(t_cells.min(axis=1)) < 0), "every step up in dose deepens the nadir"


@given(
    low=st.floats(0.0, 60.0),
    extra=st.floats(0.0, 60.0),
    cyclophosphamide=st.sampled_from([0.0, 300.0, 500.0]),
    weight=st.floats(40.0, 150.0),
    height=st.floats(140.0, 200.0),
)
def test_more_fludarabine_never_leaves_more_t_cells(model, low, extra, cyclophosphamide, weight, height):
    def course(flu: float) -> Regimen:
        return flu_cy(fludarabine=flu, cyclophosphamide=cyclophosphamide) if flu + cyclophosphamide > 0 else Regimen()

    result = simulate(
        model,
        [course(low), course(low + extra)],
        {"body_weight": weight, "height": height},
        n_patients=2,
        times=np.arange(0.0, 120.0, 1.0),
        solver=TIGHT,
    )
    t_cells = result["host_t_cells_relative"].values
    # Up to the solver's accuracy: with rtol 1e-10 the global error is a few 1e-10 (an extra 1e-10 mg/m**2
    # of fludarabine changes nothing the solver can resolve).
    assert np.all(t_cells[1] <= t_cells[0] + 1e-9)
