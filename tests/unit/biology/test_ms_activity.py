"""MS disease activity: hazards against closed forms, invariants, and the parameter files.

The module is composed with a test-only probe that provides the two B-cell activities from
parameters, so each test sets them directly. With constant activities the focal activity
relaxes exponentially, :math:`F(t) = A + (1 - A) e^{-t/\\tau}`, and every hazard has a
closed form.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartsim
from cartsim import ModelDefinitionError
from cartsim.biology.ms_activity import ms_activity
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity
from cartsim.parameters.MSActivity import MS_TYPE_PARAMETER_SETS, MS_TYPE_PARAMETERS, MS_TYPES, MSActivity

YEAR = 365.25
TIMES = np.array([0.0, 10.0, 30.0, 100.0, 365.0, 730.0])
TIGHT = cartsim.SolverOptions(rtol=1e-10, atol=1e-12)

_probe = Module(
    name="bcell_activity_probe",
    description="test only: B-cell activities set by parameters",
    parameters=(Quantity("probe_memory_activity", "1"), Quantity("probe_cns_activity", "1")),
    provides=(
        Expression("autoreactive_activity", "probe_memory_activity", "1"),
        Expression("cns_bcell_activity", "probe_cns_activity", "1"),
    ),
)
_PROBE_VALUES = ParameterSet(
    "probe",
    (
        Parameter("probe_memory_activity", 1.0, "1", "assumption: untreated (test)"),
        Parameter("probe_cns_activity", 1.0, "1", "assumption: untreated (test)"),
    ),
)


@pytest.fixture(scope="module")
def probe_model() -> cartsim.Model:
    return cartsim.compose((_probe, ms_activity), MSActivity.union(_PROBE_VALUES), name="ms-activity-probe")


def _value(name: str) -> float:
    """A default parameter in the module's units (rates per day)."""
    p = MSActivity[name]
    return p.value / YEAR if p.unit == "1/year" else p.value


def _run(model: cartsim.Model, **parameters: float) -> dict[str, np.ndarray]:
    ds = cartsim.simulate(model, parameters=parameters, times=TIMES, include_states=True, solver=TIGHT).dataset
    assert np.all(ds.status.values == 0)
    names = (
        "relapse_cumulative_hazard",
        "progression_cumulative_hazard",
        "progression24_cumulative_hazard",
        "pira_cumulative_hazard",
        "gd_lesion_rate",
        "new_t2_lesion_rate",
        "ms_focal_activity",
    )
    return {n: ds[n].values[0] for n in names}


def _expected(memory: float = 1.0, cns: float = 1.0, interferon: float = 0.0) -> dict[str, np.ndarray]:
    t, tau = TIMES, _value("ms_focal_activity_delay")
    focal = memory + (1 - memory) * np.exp(-t / tau)
    integral = memory * t + (1 - memory) * tau * (1 - np.exp(-t / tau))  # of the focal activity
    w_b, w_p, w_c = _value("ms_relapse_bcell_share"), _value("ms_pira_peripheral_share"), _value("ms_pira_cns_share")
    relapse_rate = _value("ms_relapse_rate") * (1 - _value("ms_interferon_relapse_reduction") * interferon)
    relapses = relapse_rate * ((1 - w_b) * t + w_b * integral)
    pira = _value("ms_pira_rate") * ((1 - w_p - w_c * (1 - cns)) * t + w_p * integral)
    gd = _value("ms_gd_lesions_untreated") * (1 - _value("ms_gd_bcell_share") * (1 - focal))
    gd = gd * (1 - _value("ms_interferon_gd_reduction") * interferon)
    progression = pira + _value("ms_raw_probability") * relapses
    return {
        "relapse_cumulative_hazard": relapses,
        "progression_cumulative_hazard": progression,
        "progression24_cumulative_hazard": _value("ms_cdp24_share") * progression,
        "pira_cumulative_hazard": pira,
        "gd_lesion_rate": gd,
        "new_t2_lesion_rate": gd / tau,
        "ms_focal_activity": focal,
    }


@pytest.mark.parametrize(
    "case",
    [
        {},  # untreated: constant rates, no drift
        {"memory": 0.0},  # memory B cells depleted (anti-CD20, CAR-T)
        {"memory": 1.5},  # memory B cells above baseline (rebound)
        {"cns": 0.0},  # CNS B cells depleted
        {"interferon": 1.0},
        {"memory": 0.2, "cns": 0.5, "interferon": 1.0},
    ],
)
def test_hazards_match_the_closed_form(probe_model, case):
    simulated = _run(
        probe_model,
        probe_memory_activity=case.get("memory", 1.0),
        probe_cns_activity=case.get("cns", 1.0),
        interferon_on=case.get("interferon", 0.0),
    )
    for name, expected in _expected(**case).items():
        np.testing.assert_allclose(simulated[name], expected, rtol=1e-7, atol=1e-10, err_msg=name)


def test_untreated_relapsing_ms_has_the_calibrated_rates(probe_model):
    out = _run(probe_model)
    assert out["relapse_cumulative_hazard"][-1] / 2.0 == pytest.approx(0.314, rel=1e-3)  # per year, median patient
    assert out["gd_lesion_rate"] == pytest.approx(1.145)


def test_depletion_spares_the_b_cell_independent_share(probe_model):
    untreated = _run(probe_model)
    depleted = _run(probe_model, probe_memory_activity=0.0, probe_cns_activity=0.0)
    rate_ratio = np.diff(depleted["relapse_cumulative_hazard"])[-1] / np.diff(untreated["relapse_cumulative_hazard"])[-1]
    assert rate_ratio == pytest.approx(1 - _value("ms_relapse_bcell_share"), rel=1e-4)
    assert depleted["progression_cumulative_hazard"][-1] > 0.5 * untreated["progression_cumulative_hazard"][-1]


def test_outputs_have_the_names_the_endpoints_read(probe_model):
    names = {o.name for o in probe_model.observables}
    assert {"relapse_cumulative_hazard", "progression_cumulative_hazard", "gd_lesion_rate"} <= names
    assert {o.unit for o in probe_model.observables} == {"1", "1/day"}


def test_a_model_without_b_cell_activities_does_not_build():
    with pytest.raises(ModelDefinitionError, match="autoreactive_activity"):
        cartsim.compose((ms_activity,), MSActivity)


@given(
    memory=st.floats(0.0, 2.0),
    cns=st.floats(0.0, 1.5),
    interferon=st.sampled_from([0.0, 1.0]),
    less=st.floats(0.0, 1.0),
)
def test_hazards_never_fall_and_less_b_cell_activity_never_means_more_disease(probe_model, memory, cns, interferon, less):
    base = _run(probe_model, probe_memory_activity=memory, probe_cns_activity=cns, interferon_on=interferon)
    fewer = _run(probe_model, probe_memory_activity=memory * less, probe_cns_activity=cns * less, interferon_on=interferon)
    for name in ("relapse_cumulative_hazard", "progression_cumulative_hazard"):
        assert np.all(np.diff(base[name]) >= 0), name
        assert np.all(fewer[name] <= base[name] * (1 + 1e-9) + 1e-12), name
    assert np.all(base["gd_lesion_rate"] >= 0)


# --- parameter files ---------------------------------------------------------------------


def test_every_module_parameter_has_a_value():
    declared = {q.name for q in ms_activity.parameters}
    assert declared == set(MSActivity.names)


def test_every_parameter_cites_a_publication_or_gives_a_reason():
    sets = [MSActivity, *MS_TYPE_PARAMETER_SETS.values()]
    for p in (p for s in sets for p in s.parameters):
        if p.is_assumption:
            assert len(p.source.split(":", 1)[1].strip()) > 20, p.name
        else:
            assert re.fullmatch(r"[A-Z][A-Za-z]+\d{4}", p.source), f"{p.name}: {p.source!r} is not a citation key"
            assert p.description, f"{p.name}: say what the value was derived or calibrated from"


def test_ms_types_override_the_same_parameters_in_the_default_units():
    assert set(MS_TYPE_PARAMETERS) == set(MS_TYPES) == set(MS_TYPE_PARAMETER_SETS)
    keys = {ms_type: set(values) for ms_type, values in MS_TYPE_PARAMETERS.items()}
    assert keys["rrms"] == keys["ppms"] == keys["spms"]
    for ms_type, parameter_set in MS_TYPE_PARAMETER_SETS.items():
        for p in parameter_set.parameters:
            default = MSActivity[p.name]
            assert p.unit == default.unit and p.variability == default.variability, (ms_type, p.name)
            assert MS_TYPE_PARAMETERS[ms_type][p.name] == p.value
        MSActivity.replace(parameter_set.parameters)  # applies cleanly
    assert all(MS_TYPE_PARAMETERS["rrms"][k] == MSActivity[k].value for k in keys["rrms"])


def test_ms_types_differ_as_the_trials_say():
    rrms, ppms, spms = (MS_TYPE_PARAMETERS[t] for t in ("rrms", "ppms", "spms"))
    assert rrms["ms_relapse_rate"] > spms["ms_relapse_rate"] > ppms["ms_relapse_rate"]
    assert ppms["ms_pira_rate"] > 3 * rrms["ms_pira_rate"]
    assert spms["ms_pira_rate"] > 3 * rrms["ms_pira_rate"]
    assert rrms["ms_pira_peripheral_share"] > spms["ms_pira_peripheral_share"] > ppms["ms_pira_peripheral_share"]
    cns = MSActivity["ms_pira_cns_share"].value
    assert all(v["ms_pira_peripheral_share"] + cns <= 1 for v in MS_TYPE_PARAMETERS.values())
