"""Cytokines and toxicity: IL-6 rests at its baseline without CAR T cells; the CRS and ICANS
grades are counted IL-6 thresholds (integers 0-4, 0 at baseline, non-decreasing in IL-6);
a more susceptible patient never gets a milder CRS.

The grade formula is checked on the model's compiled observables over a range of IL-6
values; the susceptibility on a lymphoma patient (CD19 CAR-T after Flu/Cy), whose tumour
drives IL-6 through every grade."""

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
CRS_THRESHOLDS = np.array([DEFAULT_PARAMETERS[f"crs_threshold_{g}"].value for g in range(1, 5)])
ICANS_THRESHOLDS = np.array([DEFAULT_PARAMETERS[f"icans_threshold_{g}"].value for g in range(1, 5)])
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


def _grades(model: cartsim.Model, il6: np.ndarray, **parameters: float) -> dict[str, np.ndarray]:
    """The compiled observables at the given IL-6 values (one patient, IL-6 as the 'time' axis)."""
    data = patient_data(model, parameters).data
    states = np.zeros((1, il6.size, len(model.state_names)))
    states[0, :, model.state_names.index("il6")] = il6
    out = observables(model, states, data)
    return {name: out[i, 0] for i, name in enumerate(model.observable_names)}


def test_il6_rests_at_baseline_without_car_t_cells(alone):
    result = simulate(alone, Regimen(), times=np.arange(0.0, 366.0, 5.0), solver=TIGHT)
    np.testing.assert_allclose(result["il6_serum"].values, BASELINE, rtol=1e-12)
    assert np.all(result["crs_grade"].values == 0) and np.all(result["icans_grade"].values == 0)
    assert 0 < BASELINE < 5  # pg/mL in health


def test_chemotherapy_alone_releases_no_il6(lymphoma):
    result = simulate(lymphoma, LD, {"tumour_baseline": 1e5}, times=np.arange(0.0, 60.0, 0.5), solver=TIGHT)
    np.testing.assert_allclose(result["il6_serum"].values, BASELINE, rtol=1e-9)
    assert result["crs_grade"].values.max() == 0


def test_grades_are_counted_thresholds(alone):
    il6 = np.unique(np.concatenate([np.logspace(-1, 6, 500), CRS_THRESHOLDS, ICANS_THRESHOLDS, [0.0, BASELINE]]))
    out = _grades(alone, il6)
    crs, icans = out["crs_grade"], out["icans_grade"]
    for grade in (crs, icans):
        assert set(np.unique(grade)) == {0.0, 1.0, 2.0, 3.0, 4.0}
        assert np.all(np.diff(grade) >= 0), "never milder at higher IL-6"
    # a threshold counts as reached (grade g from IL-6 = theta_g on)
    np.testing.assert_array_equal(crs, (il6[:, None] >= CRS_THRESHOLDS).sum(axis=1))
    np.testing.assert_array_equal(icans, (il6[:, None] >= ICANS_THRESHOLDS).sum(axis=1))
    assert crs[il6 == BASELINE][0] == 0 and icans[il6 == BASELINE][0] == 0
    np.testing.assert_array_equal(out["il6_serum"], il6)


def test_icans_scales_with_the_patients_susceptibility(alone):
    il6 = np.logspace(0, 5, 300)
    typical = _grades(alone, il6)["icans_grade"]
    sensitive = _grades(alone, il6, icans_susceptibility=4.0)["icans_grade"]
    assert np.all(sensitive >= typical)
    np.testing.assert_array_equal(sensitive, (4.0 * il6[:, None] >= ICANS_THRESHOLDS).sum(axis=1))
    # CRS does not depend on the ICANS susceptibility
    np.testing.assert_array_equal(_grades(alone, il6, icans_susceptibility=4.0)["crs_grade"], _grades(alone, il6)["crs_grade"])


def test_higher_susceptibility_never_gives_a_lower_max_grade(lymphoma):
    susceptibility = np.logspace(-2, 1.5, 30)
    times = np.arange(0.0, 60.0, 0.02)  # IL-6 clears within hours: a fine grid catches its peak
    result = simulate(lymphoma, LD + CAR, {"crs_susceptibility": susceptibility, "tumour_baseline": 1e5}, times=times, solver=TIGHT)
    assert result.n_failed == 0
    peak_il6 = result["il6_serum"].values.max(axis=1)
    grade = result["crs_grade"].values.max(axis=1)
    assert np.all(np.diff(peak_il6) > 0)
    assert np.all(np.diff(grade) >= 0)
    assert grade[0] <= 1 and grade[-1] == 4, "the range spans mild to the most severe CRS"
    np.testing.assert_array_equal(grade, (peak_il6[:, None] >= CRS_THRESHOLDS).sum(axis=1))
    # IL-6 rises only after the infusion
    np.testing.assert_allclose(result["il6_serum"].values[:, times < 5.0], BASELINE, rtol=1e-9)
