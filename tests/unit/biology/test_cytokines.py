"""Cytokines and toxicity: IL-6 rests at its baseline without CAR T cells; CRS and ICANS are graded
the ASTCT way (integers 0-4, 0 at baseline): no CRS without fever, then one grade per level of
capillary leak; ICANS from the ICE score (7-9: 1, 3-6: 2, 0-2: 3) and cerebral oedema (4); a
more susceptible patient never gets a milder CRS.

The grade formulas are checked on the model's compiled observables over a grid of states; the
susceptibility on a lymphoma patient (CD19 CAR-T after Flu/Cy), whose tumour drives IL-6
through every grade."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import cart_kinetics, cytokines, lymphodepletion, physiology, tumour
from cartsim.engine.patients import patient_data
from cartsim.engine.simulate import observables
from cartsim.parameters import DEFAULT_PARAMETERS

TIGHT = SolverOptions(rtol=1e-9, atol=1e-12)
FEVER = DEFAULT_PARAMETERS["crs_fever_il6"].value
LEAK = np.array([DEFAULT_PARAMETERS[f"crs_leak_grade_{g}"].value for g in range(2, 5)])
COUPLING = DEFAULT_PARAMETERS["icans_coupling"].value
OEDEMA = DEFAULT_PARAMETERS["icans_oedema_level"].value
BASELINE = DEFAULT_PARAMETERS["il6_baseline"].value
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=5.0))


@pytest.fixture(scope="module")
def alone() -> cartsim.Model:
    return cartsim.compose((cytokines,), DEFAULT_PARAMETERS, name="unit-cytokines")


@pytest.fixture(scope="module")
def lymphoma() -> cartsim.Model:
    modules = (physiology, lymphodepletion, cart_kinetics, tumour, cytokines)
    return cartsim.compose(modules, DEFAULT_PARAMETERS, name="unit-cart-tumour-cytokines")


def _grades(model: cartsim.Model, states: dict[str, np.ndarray], **parameters: float) -> dict[str, np.ndarray]:
    """The compiled observables at the given states (one patient, the grid as the 'time' axis)."""
    data = patient_data(model, parameters).data
    size = next(iter(states.values())).size
    grid = np.zeros((1, size, len(model.state_names)))
    for name, values in states.items():
        grid[0, :, model.state_names.index(name)] = values
    out = observables(model, grid, data)
    return {name: out[i, 0] for i, name in enumerate(model.observable_names)}


def _crs_by_hand(il6: np.ndarray, leak: np.ndarray) -> np.ndarray:
    return (il6 >= FEVER) * (1 + (leak[:, None] >= LEAK).sum(axis=1))


def _icans_by_hand(cns: np.ndarray, susceptibility: float = 1.0) -> np.ndarray:
    encephalopathy = susceptibility * COUPLING * cns
    ice = 10.0 / (1.0 + encephalopathy)
    return (ice < 9.5).astype(int) + (ice < 6.5) + (ice < 2.5) + (encephalopathy >= OEDEMA)


def test_il6_rests_at_baseline_without_car_t_cells(alone):
    result = simulate(alone, Regimen(), times=np.arange(0.0, 366.0, 5.0), solver=TIGHT)
    np.testing.assert_allclose(result["il6_serum"].values, BASELINE, rtol=1e-12)
    assert np.all(result["crs_grade"].values == 0) and np.all(result["icans_grade"].values == 0)
    assert np.all(result["ice_score_value"].values > 9.5)
    assert 0 < BASELINE < FEVER  # pg/mL in health, no fever


def test_chemotherapy_alone_releases_no_il6(lymphoma):
    result = simulate(lymphoma, LD, {"tumour_baseline": 1e5}, times=np.arange(0.0, 60.0, 0.5), solver=TIGHT)
    np.testing.assert_allclose(result["il6_serum"].values, BASELINE, rtol=1e-9)
    assert result["crs_grade"].values.max() == 0


def test_crs_is_graded_by_fever_then_capillary_leak(alone):
    il6, leak = (g.ravel() for g in np.meshgrid(np.logspace(-1, 5, 60), np.unique(np.concatenate([np.linspace(0, 2, 81), LEAK]))))
    crs = _grades(alone, {"il6": il6, "capillary_leak": leak})["crs_grade"]
    np.testing.assert_array_equal(crs, _crs_by_hand(il6, leak))
    assert set(np.unique(crs)) == {0.0, 1.0, 2.0, 3.0, 4.0}
    assert np.all(crs[il6 < FEVER] == 0), "no CRS without fever, whatever the leak"
    assert np.all(crs[(il6 >= FEVER) & (leak < LEAK[0])] == 1), "fever alone is grade 1"


def test_icans_is_graded_by_the_ice_score(alone):
    cns = np.unique(np.concatenate([np.logspace(-4, 1.5, 400), [0.0]]))
    out = _grades(alone, {"il6": np.full(cns.size, BASELINE), "cns_endothelial": cns})
    np.testing.assert_array_equal(out["icans_grade"], _icans_by_hand(cns))
    assert set(np.unique(out["icans_grade"])) == {0.0, 1.0, 2.0, 3.0, 4.0}
    assert np.all(np.diff(out["icans_grade"]) >= 0) and np.all(np.diff(out["ice_score_value"]) < 0)
    assert out["ice_score_value"][0] == 10.0 and out["icans_grade"][0] == 0


def test_icans_scales_with_the_patients_susceptibility(alone):
    cns = np.logspace(-4, 1, 300)
    states = {"cns_endothelial": cns}
    typical = _grades(alone, states)["icans_grade"]
    sensitive = _grades(alone, states, icans_susceptibility=4.0)["icans_grade"]
    assert np.all(sensitive >= typical) and np.any(sensitive > typical)
    np.testing.assert_array_equal(sensitive, _icans_by_hand(cns, 4.0))


def test_higher_susceptibility_never_gives_a_lower_max_grade(lymphoma):
    susceptibility = np.logspace(-2, 1.5, 30)
    times = np.arange(0.0, 60.0, 0.02)  # IL-6 clears within hours: a fine grid catches its peak
    # an endothelium twice as susceptible as the typical one: the leak of the most severe grade is within reach
    parameters = {"crs_susceptibility": susceptibility, "tumour_baseline": 1e5, "endothelial_susceptibility": 2.0}
    result = simulate(lymphoma, LD + CAR, parameters, times=times, solver=TIGHT)
    assert result.n_failed == 0
    peak_il6 = result["il6_serum"].values.max(axis=1)
    grade = result["crs_grade"].values.max(axis=1)
    assert np.all(np.diff(peak_il6) > 0)
    assert np.all(np.diff(grade) >= 0)
    assert grade[0] == 0 and grade[-1] == 4, "the range spans no CRS to the most severe"
    endothelium = simulate(
        lymphoma,
        LD + CAR,
        dict(parameters, crs_susceptibility=1.0, endothelial_susceptibility=np.logspace(-1, 0.5, 12)),
        times=times,
        solver=TIGHT,
    )
    assert np.all(np.diff(endothelium["crs_grade"].values.max(axis=1)) >= 0), "a leakier endothelium never gives milder CRS"
    # IL-6 rises only after the infusion
    np.testing.assert_allclose(result["il6_serum"].values[:, times < 5.0], BASELINE, rtol=1e-9)
