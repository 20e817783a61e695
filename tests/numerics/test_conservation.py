"""Every dose is accounted for: in the body or cleared, to the solver's round-off, on every backend.

Each drug module keeps an accumulator of what it cleared, and its dose route names the
conserved amount (compartments plus cleared). Rate laws that lose drug are refused when the
model is built (the balance is checked symbolically); a solve whose doses are not accounted
for (a dose lost or drug created by the solver) fails the patient with ``Status.CONSERVATION``.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest

import cartsim
from cartsim import ModelDefinitionError
from cartsim.engine import Status
from cartsim.engine.patients import patient_data
from cartsim.engine.schedule import build_schedule
from cartsim.model import DoseRoute, Expression, Module, Parameter, ParameterSet, Quantity, State, compose
from cartsim.population import POPULATIONS, sample_parameters
from cartsim.protocol import Dose, Regimen, parse_regimen
from tests.conftest import ERLANGEN_REGIMEN

BACKENDS = ["cpu", "reference", "jax"]
REGIMENS = {
    "ocrelizumab": [
        {"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"},
        {"therapy": "ocrelizumab", "day": 14, "dose": "300 mg"},
        {"therapy": "ocrelizumab", "day": 168, "dose": "600 mg", "every_days": 168, "count": 3},
    ],
    "ofatumumab": [
        {"therapy": "ofatumumab", "day": 0, "dose": "20 mg", "every_days": 7, "count": 3},
        {"therapy": "ofatumumab", "day": 28, "dose": "20 mg", "every_days": 28, "count": 24},
    ],
    "rituximab": [{"therapy": "rituximab", "day": 0, "dose": "1000 mg", "every_days": 14, "count": 2}],
    "flu-cy and CAR-T": ERLANGEN_REGIMEN,
}


@pytest.fixture(scope="module")
def rrms():
    return POPULATIONS["rrms"].apply(cartsim.full_model())


@pytest.mark.parametrize(("backend", "rtol"), [("cpu", 1e-6), ("cpu", 1e-3), ("reference", 1e-6), ("jax", 1e-6)])
@pytest.mark.parametrize("therapy", list(REGIMENS))
def test_the_shipped_drugs_account_for_every_dose(rrms, therapy, backend, rtol):
    """Measured: the gap stays below 1e-8 of the doses even at rtol 1e-3 (the tolerance is 1e-6)."""
    treatment = parse_regimen(REGIMENS[therapy])
    n = 12 if backend == "cpu" else 3
    parameters = sample_parameters(rrms, n, seed=5)
    parameters.update({k: np.full(n, v) for k, v in treatment.parameters.items()})
    times = np.arange(-6.0, 900.0)
    result = cartsim.simulate(rrms, treatment.regimen, parameters, times=times, backend=backend, solver=cartsim.SolverOptions(rtol=rtol))
    assert result.n_failed == 0
    schedule = build_schedule(rrms, treatment.regimen, patient_data(rrms, parameters).data)
    checked = 0
    for r, route in enumerate(rrms.routes):
        given = schedule.delivered(r, times)
        if not route.conserved or given.max() == 0:
            continue
        accounted = result[route.accounted].values
        np.testing.assert_allclose(accounted, given, rtol=1e-8, atol=1e-9)
        checked += 1
    assert checked >= 1


def _drug(conserved: str) -> cartsim.Model:
    """A one-compartment drug, cleared at 0.5/day, with an accumulator of what was cleared."""
    module = Module(
        "drug",
        "first-order elimination",
        states=(State("amount", "mg", "0"), State("cleared", "mg", "0")),
        parameters=(Quantity("k", "1/day"),),
        rates={"amount": "-k*amount", "cleared": "k*amount"},
        observables=(Expression("drug_amount", "amount", "mg"),),
        doses=(DoseRoute("drug_iv", "amount", "mg", conserved=conserved),),
    )
    return compose([module], ParameterSet("t", (Parameter("k", 0.5, "1/day", "assumption: test"),)))


REGIMEN = Regimen.of(Dose("drug_iv", "100 mg", day=1.0), Dose("drug_iv", "50 mg", day=3.0, duration="12 h"))
TIMES = np.arange(0.0, 10.0, 0.5)


def _losing_second_dose(real_solve):
    """A solver that loses the second dose (the infusion from day 3): what the check is for."""

    def solve(model, backend, y0, data, schedule, *rest):
        values = np.where(schedule.times >= 3.0, 0.0, schedule.values)
        return real_solve(model, backend, y0, data, replace(schedule, values=values), *rest)

    return solve


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_lost_dose_fails_the_patient_from_then_on(backend, monkeypatch):
    model = _drug("amount + cleared")
    whole = cartsim.simulate(model, REGIMEN, times=TIMES, n_patients=2, backend=backend)
    assert whole.n_failed == 0
    infused = 50 * np.clip(TIMES - 3, 0, 0.5) / 0.5
    np.testing.assert_allclose(whole["drug_iv_accounted"].values[0], np.where(TIMES >= 1, 100.0, 0.0) + infused)
    simulate_module = sys.modules["cartsim.engine.simulate"]
    monkeypatch.setattr(simulate_module, "_solve", _losing_second_dose(simulate_module._solve))
    lost = cartsim.simulate(model, REGIMEN, times=TIMES, n_patients=2, backend=backend)
    assert [Status.of(code) for code in lost.status] == [Status.CONSERVATION] * 2
    amount = lost["drug_amount"].values[0]
    np.testing.assert_array_equal(amount[TIMES <= 3.0], whole["drug_amount"].values[0][TIMES <= 3.0])
    assert np.all(np.isnan(amount[TIMES > 3.0]))  # the infusion has run for 12 hours at day 3.5


def test_rate_laws_that_lose_drug_are_refused_when_the_model_is_built():
    with pytest.raises(ModelDefinitionError, match=r"conserved amount of dose route 'drug_iv'.*lose or make"):
        _drug("amount")


def test_a_conserved_amount_in_another_unit_is_refused():
    with pytest.raises(ModelDefinitionError, match="conserved amount of dose route 'drug_iv'"):
        _drug("amount*k")
