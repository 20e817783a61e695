"""The anti-CD20 antibody modules (ocrelizumab, ofatumumab, rituximab): each composes with the
B-cell lineage, leaves an untreated patient at steady state, kills nothing without drug,
barely reaches the CNS, and adds its killing to that of any other antibody in the model."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology.bcells import bcell_lineage
from cartsim.biology.ocrelizumab import ocrelizumab_pkpd
from cartsim.biology.ofatumumab import ofatumumab_pkpd
from cartsim.biology.rituximab import rituximab_pkpd
from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below
from cartsim.engine.patients import patient_data
from cartsim.model import Module
from cartsim.model.expressions import parse, symbol
from cartsim.parameters import DEFAULT_PARAMETERS
from cartsim.parameters.AntiCD20Assumptions import AntiCD20Assumptions
from cartsim.parameters.Lioger2017 import Lioger2017
from cartsim.parameters.Yu2022 import Yu2022
from cartsim.population import sample_parameters
from tests.conftest import RTOL, relative_error

# Works before and after these sets join the defaults (replace() adds or overrides).
PARAMETERS = DEFAULT_PARAMETERS.replace(Yu2022.parameters + Lioger2017.parameters + AntiCD20Assumptions.parameters)
SOLVER = SolverOptions(rtol=1e-9, atol=1e-11)
KILL_RATES = ("cd20_kill_rate_blood", "cd20_kill_rate_tissue", "cd20_kill_rate_cns")

DRUGS = {
    "ocrelizumab": (ocrelizumab_pkpd, Dose("ocrelizumab_iv", "600 mg", day=0, duration="3.5 h"), "ocr_central"),
    "ofatumumab": (ofatumumab_pkpd, Dose("ofatumumab_sc", "20 mg", day=0, every_days=7, count=3), "ofa_depot"),
    "rituximab": (rituximab_pkpd, Dose("rituximab_iv", "1000 mg", day=0, duration="4 h"), "rtx_central"),
}


def _model(*drugs: Module) -> cartsim.Model:
    return cartsim.compose((bcell_lineage, *drugs), PARAMETERS, name="antibody-test")


def _contribution(model: cartsim.Model, module: Module, quantity: str, result: cartsim.Simulation) -> np.ndarray:
    """One module's contribution to ``quantity`` along a simulated trajectory (patient 0)."""
    text = next(q.expr for q in module.contributes if q.name == quantity)
    names = model.state_names + model.data_names
    expr, unknown = parse(text, {n: symbol(n) for n in names})
    assert not unknown
    fn = sp.lambdify([symbol(n) for n in names], expr, modules=["numpy", {"Max": np.maximum}])
    data = patient_data(model, None, 1).data[0]
    states = [result[s].values[0] for s in model.state_names]
    return np.broadcast_to(fn(*states, *data), result.times.shape).astype(float)


@pytest.mark.parametrize("drug", DRUGS)
def test_module_composes_with_the_bcell_lineage(drug):
    module, dose, _ = DRUGS[drug]
    model = _model(module)
    assert {q.name for q in module.contributes} == set(KILL_RATES)
    assert not module.provides, "antibodies contribute to the killing rates so that several can be combined"
    assert dose.route in model.route_names
    assert f"{drug}_concentration" in model.observable_names
    assert next(o for o in model.observables if o.name == f"{drug}_concentration").unit == "ug/mL"


@pytest.mark.parametrize("drug", DRUGS)
def test_untreated_patient_stays_at_steady_state(drug):
    model = _model(DRUGS[drug][0])
    result = simulate(model, Regimen(), times=np.arange(0.0, 731.0, 30.0), solver=SOLVER, include_states=True)
    for name in model.state_names:
        values = result[name].values[0]
        np.testing.assert_allclose(values, values[0], rtol=1e-8, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("drug", DRUGS)
def test_no_drug_means_no_killing(drug):
    module = DRUGS[drug][0]
    model = _model(module)
    result = simulate(model, Regimen(), times=[0.0, 100.0], include_states=True)
    for quantity in KILL_RATES:
        # Ofatumumab's lysis term has a numerical floor worth ~1e-19/day.
        np.testing.assert_allclose(_contribution(model, module, quantity, result), 0.0, atol=1e-15, err_msg=quantity)


@pytest.mark.parametrize("drug", DRUGS)
def test_cpu_and_reference_backends_agree(drug):
    # The Radau reference uses the analytic Jacobian: this also checks that it is finite.
    model = _model(DRUGS[drug][0])
    regimen = Regimen.of(DRUGS[drug][1])
    solver = SolverOptions(rtol=1e-10, atol=1e-12)
    times = np.arange(0.0, 120.0, 2.0)
    cpu = simulate(model, regimen, times=times, solver=solver)
    reference = simulate(model, regimen, times=times, solver=solver, backend="reference")
    for name in model.observable_names:
        assert relative_error(cpu[name].values, reference[name].values) < RTOL, name


@pytest.mark.parametrize("drug", DRUGS)
def test_dose_route_enters_its_state(drug):
    module, dose, state = DRUGS[drug]
    model = _model(module)
    bolus = Dose(dose.route, dose.amount, day=1.0)
    result = simulate(model, Regimen.of(bolus), times=[0.0, 1.0], include_states=True)
    scale = model.parameter("ofa_bioavailability").value if drug == "ofatumumab" else 1.0
    assert result[state].values[0, 1] == pytest.approx(bolus.quantity.to("mg").magnitude * scale, rel=1e-9)


@pytest.mark.parametrize("drug", DRUGS)
def test_cns_sees_far_less_than_blood(drug):
    module, dose, _ = DRUGS[drug]
    model = _model(module)
    result = simulate(model, Regimen.of(dose), times=np.arange(0.0, 366.0, 1.0), include_states=True)
    blood = _contribution(model, module, "cd20_kill_rate_blood", result)
    cns = _contribution(model, module, "cd20_kill_rate_cns", result)
    assert np.all(cns <= blood * (1 + 1e-12))
    # Over a year the CNS gets a small share of the killing that blood gets (CSF/serum ~0.1 %).
    assert np.trapezoid(cns, result.times) < 0.1 * np.trapezoid(blood, result.times)


def test_two_antibodies_add_their_killing():
    both = _model(ocrelizumab_pkpd, rituximab_pkpd)
    regimen = Regimen.of(DRUGS["ocrelizumab"][1], DRUGS["rituximab"][1])
    result = simulate(both, regimen, times=np.arange(0.0, 200.0, 5.0), include_states=True)
    # The B-cell rate law depends on the killing rate linearly: d(dN/dt)/dN holds minus the sum.
    naive = symbol("b_naive_blood")
    slope = sp.diff(both.rhs[both.state_names.index("b_naive_blood")], naive)
    names = both.state_names + both.data_names
    fn = sp.lambdify([symbol(n) for n in names], slope, modules=["numpy", {"Max": np.maximum}])
    data = patient_data(both, None, 1).data[0]
    states = [result[s].values[0] for s in both.state_names]
    untreated = fn(*[np.zeros(1) if s.endswith("_central") else result[s].values[0][:1] for s in both.state_names], *data)
    killing = untreated - fn(*states, *data)
    expected = sum(_contribution(both, m, "cd20_kill_rate_blood", result) for m in (ocrelizumab_pkpd, rituximab_pkpd))
    assert expected[1] > 0.5
    np.testing.assert_allclose(killing, expected, rtol=1e-9, atol=1e-12)


def test_ofatumumab_conserves_drug_without_elimination():
    model = _model(ofatumumab_pkpd)
    no_loss = {"ofa_clearance": 0.0, "ofa_internalisation_rate": 0.0}
    doses = Regimen.of(Dose("ofatumumab_sc", "20 mg", day=0.0, every_days=7, count=3))
    times = np.arange(0.0, 60.0, 1.0)
    result = simulate(model, doses, no_loss, times=times, solver=SOLVER, include_states=True)
    total = sum(result[s].values[0] for s in ("ofa_depot", "ofa_central", "ofa_peripheral"))
    delivered = 20.0 * model.parameter("ofa_bioavailability").value * np.searchsorted([0.0, 7.0, 14.0], times, side="right")
    np.testing.assert_allclose(total, delivered, rtol=1e-7)


def test_ofatumumab_is_mostly_bound_to_cd20_at_first():
    model = _model(ofatumumab_pkpd)
    times = np.arange(0.0, 60.0, 1.0)
    result = simulate(model, Regimen.of(DRUGS["ofatumumab"][1]), times=times, include_states=True)
    kmax = model.parameter("ofa_kmax").value
    kill = _contribution(model, ofatumumab_pkpd, "cd20_kill_rate_blood", result)
    assert np.all((kill >= 0) & (kill <= kmax))
    # In the first days CD20 exceeds the drug, which is bound and kills little; once the
    # loading doses have saturated CD20, free drug kills at nearly the maximal rate.
    day = {d: int(np.searchsorted(times, d)) for d in (3, 28)}
    assert result["ofa_target"].values[0, day[3]] > result["ofatumumab_concentration"].values[0, day[3]]
    assert kill[day[3]] < 0.5 * kmax < kill[day[28]]


def test_heavier_patients_get_lower_ocrelizumab_concentrations():
    model = _model(ocrelizumab_pkpd)
    dose = Regimen.of(DRUGS["ocrelizumab"][1])
    result = simulate(model, dose, {"body_weight": np.array([50.0, 70.0, 110.0])}, times=[0.0, 1.0, 60.0])
    concentration = result["ocrelizumab_concentration"].values[:, 1:]
    assert np.all(np.diff(concentration, axis=0) < 0)


def test_rituximab_b_cells_return_before_the_redosing_interval():
    # Soft check: re-dosing guided by CD19+ return came at 9.7 months on average in an MS/NMOSD
    # cohort; return (20 cells/uL, ~1 % of lymphocytes) must precede it, by months at most.
    model = _model(rituximab_pkpd)
    times = np.arange(0.0, 731.0, 1.0)
    induction = Regimen.of(Dose("rituximab_iv", "1000 mg", duration="4 h", every_days=14, count=2))
    counts = simulate(model, induction, sample_parameters(model, 200, seed=1), times=times)["bcells_blood"].values
    back = first_day_at_or_above_after(counts, times, 20.0, first_day_below(counts, times, 10.0))
    assert 6.0 <= np.nanmean(back) / 30.44 <= 10.0
