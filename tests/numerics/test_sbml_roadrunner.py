"""The SBML export, simulated by libroadrunner (CVODE), reproduces ``cartsim.simulate``.

Both solvers run at rtol 1e-10 / atol 1e-12 and must agree to ``1e-5 * |cartsim| + 1e-9``
for every state and observable. The grids include dose times: roadrunner, like cartsim,
reports the post-dose value when an output time coincides with a dose (this holds for
dose times written exactly with 15 significant digits, which libsbml uses; infusion ends
such as day 2.5 h are not, but states are continuous there).

roadrunner scales a *scalar* absolute tolerance by each variable's value at every
(re)initialisation; a vector tolerance is used as given, which is cartsim's meaning of atol.
"""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions
from cartsim.io.sbml import to_sbml

roadrunner = pytest.importorskip("roadrunner")

RTOL, ATOL = 1e-10, 1e-12
CART = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=0))
OCRELIZUMAB = Regimen.of(
    Dose("ocrelizumab_iv", "300 mg", day=0, duration="2.5 h"),
    Dose("ocrelizumab_iv", "300 mg", day=14, duration="2.5 h"),
    Dose("ocrelizumab_iv", "600 mg", day=168, duration="3.5 h", every_days=168, count=3),
)


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.first_model()


def _runner(model: cartsim.Model, regimen: Regimen, parameters: dict[str, float] | None = None) -> roadrunner.RoadRunner:
    rr = roadrunner.RoadRunner(to_sbml(model, regimen, parameters))
    rr.integrator.relative_tolerance = RTOL
    rr.integrator.absolute_tolerance = [ATOL] * len(model.states)
    rr.integrator.maximum_num_steps = 1_000_000
    rr.timeCourseSelections = ["time", *model.state_names, *model.observable_names]
    return rr


def _set_patient(rr: roadrunner.RoadRunner, parameters: dict[str, float]) -> None:
    # init(...) on the model object changes the value without recompiling (rr["init(p)"]
    # recompiles and resets the integrator settings); resetAll re-applies the initial
    # assignments, so derived parameters and the initial state follow.
    for name, value in parameters.items():
        rr.model[f"init({name})"] = value
    rr.resetAll()


def _pre_dose(rr: roadrunner.RoadRunner, day: float) -> float:
    """cart_infused just before ``day`` (a fresh run of the same patient)."""
    rr.reset()
    return float(rr.simulate(times=[0.0, day - 1e-9])["cart_infused"][-1])


def _assert_matches(model: cartsim.Model, out, sim: cartsim.Simulation) -> float:
    worst = 0.0
    for name in (*model.state_names, *model.observable_names):
        ours, theirs = sim[name].values[0], np.asarray(out[name])
        excess = np.abs(theirs - ours) - (1e-5 * np.abs(ours) + 1e-9)
        assert np.all(excess <= 0), f"{name}: worst at day {sim.times[np.argmax(excess)]}"
        big = np.abs(ours) > 1e-6
        worst = max(worst, float(np.max(np.abs(theirs - ours)[big] / np.abs(ours[big]), initial=0.0)))
    return worst


def _cartsim(model: cartsim.Model, regimen: Regimen, times: np.ndarray, parameters: dict[str, float] | None = None):
    return cartsim.simulate(model, regimen, parameters, times=times, solver=SolverOptions(rtol=RTOL, atol=ATOL), include_states=True)


@pytest.mark.parametrize(
    ("regimen", "times"),
    [(CART, np.arange(0.0, 181.0)), (OCRELIZUMAB, np.arange(0.0, 731.0)), (CART + OCRELIZUMAB, np.arange(0.0, 731.0, 2.0))],
    ids=["cart", "ocrelizumab", "both"],
)
def test_roadrunner_matches_cartsim(model: cartsim.Model, regimen: Regimen, times: np.ndarray) -> None:
    out = _runner(model, regimen).simulate(times=times)
    worst = _assert_matches(model, out, _cartsim(model, regimen, times))
    print(f"max relative difference (|value| > 1e-6): {worst:.2e}")


def test_output_at_a_bolus_is_post_dose(model: cartsim.Model) -> None:
    regimen = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=10))
    times = np.array([0.0, 9.0, 10.0, 10.5, 30.0])
    out = _runner(model, regimen).simulate(times=times)
    _assert_matches(model, out, _cartsim(model, regimen, times))
    assert out["cart_infused"][2] == pytest.approx(1e6 / 70_000, rel=1e-12)


def test_second_patient_and_dose_scales(model: cartsim.Model) -> None:
    regimen = CART + Regimen.of(Dose("cart_infusion", "1e8 cells", day=20))
    times = np.arange(0.0, 61.0)
    rr = _runner(model, regimen)
    rr.simulate(times=times)
    patient = {"body_weight": 50.0, "blood_volume_per_kg": 80_000.0, "bcell_blood_baseline": 150.0}
    _set_patient(rr, patient)
    assert rr["patient_blood_volume"] == pytest.approx(50.0 * 80_000.0)
    out = rr.simulate(times=times)
    _assert_matches(model, out, _cartsim(model, regimen, times, patient))
    # per-kg dose: 1e6 cells/kg * 50 kg / (80 mL/kg * 50 kg); absolute dose scales with 1/weight
    assert out["cart_infused"][0] == pytest.approx(1e6 / 80_000.0, rel=1e-12)
    jump = out["cart_infused"][20] - _pre_dose(rr, 20.0)
    assert jump == pytest.approx(1e8 / (50.0 * 80_000.0), rel=1e-6)
    # back to the typical patient: resetAll keeps the solver settings and selections
    _set_patient(rr, {name: model.parameter(name).value for name in patient})
    _assert_matches(model, rr.simulate(times=times), _cartsim(model, regimen, times))
    # a document written for this patient gives the same result
    _assert_matches(model, _runner(model, regimen, patient).simulate(times=times), _cartsim(model, regimen, times, patient))
