"""Invariants over every module combination (hypothesis).

Which subsets of the biology modules make a model follows from their declarations alone: a
subset composes exactly when, for every read a module does not mark optional, some module of
the subset provides or contributes that quantity (an optional read is zero without one).
Every subset is checked against that rule. The numerical invariants of
``test_invariants.py`` (non-negative states, no drift without therapy, drug mass balance)
are then checked on representative subsets that together contain every module, with random
patients and random regimens over the dose routes each subset has. Each distinct model
compiles once (cached on disk), so hypothesis varies patients and regimens, not subsets.
"""

from __future__ import annotations

import functools
import importlib
import itertools

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartsim
from cartsim import Dose, ModelDefinitionError, Regimen, simulate
from cartsim.biology import (
    FULL_MODEL_MODULES,
    autoimmune_activity,
    bcell_lineage,
    cart_kinetics,
    cytokines,
    infections,
    lymphodepletion,
    mrna_cart,
    ms_activity,
    neutrophils,
    ocrelizumab_pkpd,
    ofatumumab_pkpd,
    physiology,
    plasma_cells,
    rituximab_pkpd,
    tumour,
)
from cartsim.engine.schedule import SIMULTANEOUS_DAYS
from cartsim.model import LogNormal, Module
from cartsim.parameters import DEFAULT_PARAMETERS
from cartsim.units import ureg
from tests.conftest import FLOOR
from tests.invariants.test_invariants import ASSUMED, SOLVER

TIMES = np.arange(0.0, 366.0, 1.0)
NAMES = tuple(m.name for m in FULL_MODEL_MODULES)

# -- which subsets compose, from the declarations ------------------------------------------
PROVIDERS = {
    q.name: {m.name for m in FULL_MODEL_MODULES if q.name in {x.name for x in (*m.provides, *m.contributes)}}
    for m in FULL_MODEL_MODULES
    for q in (*m.provides, *m.contributes)
}
REQUIRED = {m.name: tuple(r.name for r in m.reads if not r.optional) for m in FULL_MODEL_MODULES}


def missing_reads(subset: tuple[Module, ...]) -> set[str]:
    """Required reads of the subset that no module of the subset provides."""
    names = {m.name for m in subset}
    return {q for m in subset for q in REQUIRED[m.name] if not PROVIDERS.get(q, set()) & names}


def closure(*modules: Module) -> tuple[Module, ...]:
    """The modules plus, transitively, the providers of their required reads (in model order)."""
    names = {m.name for m in modules}
    while True:
        needed = {p for n in names for q in REQUIRED[n] for p in PROVIDERS.get(q, set())} - names
        if not needed:
            return tuple(m for m in FULL_MODEL_MODULES if m.name in names)
        names |= needed


ALL_SUBSETS = [s for r in range(1, len(FULL_MODEL_MODULES) + 1) for s in itertools.combinations(FULL_MODEL_MODULES, r)]
VALID = [s for s in ALL_SUBSETS if not missing_reads(s)]
INVALID = [s for s in ALL_SUBSETS if missing_reads(s)]


@pytest.fixture(scope="module")
def memoised_parse():
    """Memoise expression parsing inside compose() for the exhaustive test.

    Parsing is pure (text and declared names in, SymPy out) and repeats the same strings in
    every one of the ~1600 valid subsets; memoised, composing them all takes ~15 s, not ~70 s.
    """
    composer = importlib.import_module("cartsim.model.compose")
    original = composer.parse

    @functools.cache
    def cached(text, names):
        return original(text, {n: composer.symbol(n) for n in names})

    def parse(text, symbols):
        expr, unknown = cached(text, frozenset(symbols))
        return expr, set(unknown)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(composer, "parse", parse)
        yield


def test_the_rule_has_providers_for_every_required_read():
    # A required read that no module provides would make every subset with its reader invalid.
    for name, reads in REQUIRED.items():
        for q in reads:
            assert PROVIDERS.get(q), f"{name} requires {q!r}, which no module provides"
    assert not missing_reads(FULL_MODEL_MODULES)
    assert len(VALID) + len(INVALID) == 2 ** len(FULL_MODEL_MODULES) - 1


def test_every_valid_subset_composes(memoised_parse):
    for subset in VALID:
        model = cartsim.compose(subset, DEFAULT_PARAMETERS)
        assert model.state_names == tuple(s.name for m in subset for s in m.states), [m.name for m in subset]
        assert set(model.route_names) == {r.name for m in subset for r in m.doses}, [m.name for m in subset]


def test_every_invalid_subset_names_a_missing_quantity():
    for subset in INVALID:
        with pytest.raises(ModelDefinitionError, match="which no module provides") as info:
            cartsim.compose(subset, DEFAULT_PARAMETERS)
        assert any(f"reads {q!r}" in str(info.value) for q in missing_reads(subset)), (str(info.value), [m.name for m in subset])


@pytest.mark.parametrize(
    "reader,quantity", [(m, q) for m in FULL_MODEL_MODULES for q in REQUIRED[m.name]], ids=lambda x: getattr(x, "name", x)
)
def test_leaving_out_a_provider_fails(reader, quantity):
    subset = tuple(m for m in closure(reader) if m.name not in PROVIDERS[quantity])
    missing = missing_reads(subset)
    assert quantity in missing
    # Compose checks modules in model order: the message names the first module that lacks a
    # read (the reader, or another module that needed the same provider) and the first read it lacks.
    first = next(m for m in subset if set(REQUIRED[m.name]) & missing)
    with pytest.raises(ModelDefinitionError, match=f"module {first.name!r}: reads '.*', which no module provides") as info:
        cartsim.compose(subset, DEFAULT_PARAMETERS)
    lacking = [q for q in REQUIRED[first.name] if q in missing]
    assert f"reads {lacking[0]!r}" in str(info.value)


# -- representative subsets for the numerical invariants ------------------------------------
SUBSETS: dict[str, tuple[Module, ...]] = {
    "oncology": (physiology, lymphodepletion, cart_kinetics, tumour, cytokines),
    "cart-autoimmune": (
        physiology,
        lymphodepletion,
        neutrophils,
        cart_kinetics,
        bcell_lineage,
        plasma_cells,
        cytokines,
        ms_activity,
        infections,
    ),
    "mrna-bcma": (physiology, mrna_cart, bcell_lineage, plasma_cells, cytokines, autoimmune_activity),
    "two-cars-and-antibody": (physiology, cart_kinetics, mrna_cart, bcell_lineage, plasma_cells, ocrelizumab_pkpd),
    "ocrelizumab-ms": (bcell_lineage, ocrelizumab_pkpd, ms_activity),
    "two-antibodies": (bcell_lineage, plasma_cells, ofatumumab_pkpd, rituximab_pkpd),
    # Every read optional and unprovided (sums of no terms are zero); no body size to dose by.
    "nothing-to-read": (lymphodepletion, cytokines, tumour, rituximab_pkpd, ofatumumab_pkpd),
    "full": FULL_MODEL_MODULES,
}


@functools.cache
def model_of(name: str) -> cartsim.Model:
    if name == "full":
        return cartsim.full_model()
    return cartsim.compose(SUBSETS[name], DEFAULT_PARAMETERS, name=f"combination-{name}")


def test_representative_subsets_are_valid_and_cover_every_module():
    assert set().union(*({m.name for m in s} for s in SUBSETS.values())) == set(NAMES)
    for name, subset in SUBSETS.items():
        assert not missing_reads(subset), name


# Assumed parameters beyond the foundation model's, varied threefold either way too.
MORE_ASSUMED = [
    "fludarabine_kmax",
    "cyclophosphamide_kmax",
    "host_t_recovery",
    "cart_exhaustion",
    "cart_kill_saturation",
    "cart_cytokine_independence",
    "mrna_cart_kill_rate",
    "mrna_cart_death",
    "il6_release",
    "cart_engraftment",
    "cart_activation_rate",
    "capillary_leak_half_saturation",
    "icans_coupling",
    "tumour_growth",
    "plasmablast_baseline",
    "llpc_baseline",
    "rtx_kmax",
    "rtx_ec50",
    "ms_focal_activity_delay",
    "reset_strength",
    "bcell_cns_resident_turnover",
    "drive_delay",
    "myelotoxicity",
]


@st.composite
def patients(draw, model: cartsim.Model) -> dict[str, float]:
    values = {}
    for p in model.parameters:
        if isinstance(p.variability, LogNormal):
            values[p.name] = float(np.clip(p.value * np.exp(p.variability.omega * draw(st.floats(-2.5, 2.5))), *p.bounds))
    for name in [*ASSUMED, *MORE_ASSUMED]:
        if name in model.parameter_names:
            p = model.parameter(name)
            values[name] = float(np.clip(p.value * draw(st.floats(1 / 3, 3.0)), *p.bounds))
    names = set(model.parameter_names)
    if "cart_targets_cd19" in names:  # the product: CD19, BCMA, dual or (inert) neither; CD28 or 4-1BB
        values["cart_targets_cd19"], values["cart_targets_bcma"] = draw(st.sampled_from([(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]))
        values["cart_costim_cd28"] = draw(st.sampled_from([0.0, 1.0]))
    if "interferon_on" in names:
        values["interferon_on"] = draw(st.sampled_from([0.0, 1.0]))
    if "tumour_baseline" in names:
        values["tumour_baseline"] = draw(st.sampled_from([0.0, 1.0])) * 10 ** draw(st.floats(-1.0, 5.0))
    return values


def _days(draw, low=0.0, high=300.0) -> float:
    return round(draw(st.floats(low, high)), 3)


@st.composite
def regimens(draw, model: cartsim.Model) -> Regimen:
    routes = set(model.route_names)
    per_m2 = "body_surface_area" in model.data_names
    doses = []
    for drug, typical in (("fludarabine", 30.0), ("cyclophosphamide", 500.0)):
        if f"{drug}_iv" in routes and draw(st.booleans()):
            amount = typical * draw(st.floats(0.1, 3.0)) * (1.0 if per_m2 else 1.8)
            doses.append(
                Dose(
                    f"{drug}_iv",
                    f"{amount:.6g} {'mg/m**2' if per_m2 else 'mg'}",
                    day=_days(draw),
                    duration=draw(st.sampled_from([0.0, "30 min", "1 h"])),
                    every_days=1.0,
                    count=draw(st.integers(1, 3)),
                )
            )
    if "cart_infusion" in routes and draw(st.booleans()):
        doses.append(
            Dose(
                "cart_infusion",
                f"{10 ** draw(st.floats(4.0, 7.0)):.6g} cells/kg",
                day=_days(draw),
                duration=draw(st.sampled_from([0.0, "30 min"])),
            )
        )
    if "mrna_cart_infusion" in routes and draw(st.booleans()):
        doses.append(
            Dose(
                "mrna_cart_infusion",
                f"{10 ** draw(st.floats(6.0, 8.0)):.6g} cells/kg",
                day=_days(draw, high=200.0),
                every_days=7.0,
                count=draw(st.integers(1, 6)),
            )
        )
    for route, high, durations in (("ocrelizumab_iv", 1200.0, [0.0, "2.5 h", "1 day"]), ("rituximab_iv", 2000.0, [0.0, "4 h"])):
        for _ in range(draw(st.integers(0, 2)) if route in routes else 0):
            doses.append(Dose(route, f"{draw(st.floats(1.0, high)):.6g} mg", day=_days(draw), duration=draw(st.sampled_from(durations))))
    if "ofatumumab_sc" in routes and draw(st.booleans()):
        doses.append(
            Dose(
                "ofatumumab_sc",
                f"{draw(st.floats(1.0, 100.0)):.6g} mg",
                day=_days(draw, high=200.0),
                every_days=draw(st.sampled_from([7.0, 28.0])),
                count=draw(st.integers(1, 3)),
            )
        )
    return Regimen(tuple(doses))


def case(name: str, data) -> tuple[cartsim.Model, dict[str, float], Regimen]:
    model = model_of(name)
    return model, data.draw(patients(model), label="parameters"), data.draw(regimens(model), label="regimen")


def _check_non_negative(result, names, label):
    for name in names:
        values = result[name].values
        # Relative to the state's own scale: cells per uL, mg and relative levels differ by orders.
        assert values.min() >= -1e-7 * np.abs(values).max() - FLOOR, f"{label}: {name} reaches {values.min():.3g}"


@pytest.mark.parametrize("name", SUBSETS)
@given(data=st.data())
def test_states_stay_non_negative(name, data):
    model, parameters, regimen = case(name, data)
    result = simulate(model, regimen, parameters, times=TIMES, solver=SOLVER, include_states=True)
    assert result.n_failed == 0, name
    _check_non_negative(result, model.state_names, name)
    _check_non_negative(result, model.observable_names, name)


# Cumulative hazards grow at the untreated rate without therapy: linear, not constant.
HAZARDS = {
    "ms_relapse_hazard": lambda p: p["ms_relapse_rate"] * (1 - p["ms_interferon_relapse_reduction"] * p["interferon_on"]),
    "ms_progression_hazard": lambda p: (
        p["ms_pira_rate"] + p["ms_raw_probability"] * p["ms_relapse_rate"] * (1 - p["ms_interferon_relapse_reduction"] * p["interferon_on"])
    ),
    "ms_pira_hazard": lambda p: p["ms_pira_rate"],
    "flare_hazard": lambda p: p["flare_rate_untreated"],
    # Without therapy the only defect is a patient's own low IgG (a baseline below the lower limit).
    "infection_hazard": lambda p: (
        p["infection_rate_baseline"]
        * (1 + p["infection_low_igg_factor"] * max(0.0, 1 - p.get("igg_baseline", 1.0) / p.get("igg_lower_limit", 0.0)))
    ),
}


@pytest.mark.parametrize("name", SUBSETS)
@given(data=st.data())
def test_no_therapy_means_no_drift(name, data):
    model = model_of(name)
    parameters = data.draw(patients(model), label="parameters")
    if "tumour_growth" in parameters and parameters.get("tumour_baseline", 0.0) > 0:
        parameters = dict(parameters, tumour_growth=0.0)  # a growing tumour has no steady state
    times = np.arange(0.0, 731.0, 10.0)
    result = simulate(model, Regimen(), parameters, times=times, solver=SOLVER, include_states=True)
    assert result.n_failed == 0, name
    values = {p.name: parameters.get(p.name, p.value) for p in model.parameters}
    for state in model.state_names:
        trajectory = result[state].values[0]
        expected = times * HAZARDS[state](values) if state in HAZARDS else trajectory[0]
        np.testing.assert_allclose(trajectory, expected, rtol=1e-7, atol=1e-9, err_msg=f"{name}: {state}")


# Dose route -> states holding its amount, parameters that switch every loss off, and whether
# the states are per uL of blood (cells) rather than amounts. Each loss-free route conserves
# what was given (times the route's bioavailability).
CONSERVED = {
    "ocrelizumab_iv": (("ocr_central", "ocr_peripheral"), {"ocr_clearance": 0.0, "ocr_clearance_time_dependent": 0.0}),
    "rituximab_iv": (("rtx_central", "rtx_peripheral"), {"rtx_elimination_rate": 0.0}),
    "ofatumumab_sc": (("ofa_depot", "ofa_central", "ofa_peripheral"), {"ofa_clearance": 0.0, "ofa_internalisation_rate": 0.0}),
    "fludarabine_iv": (("fludarabine",), {"fludarabine_half_life": 1e15}),
    "cyclophosphamide_iv": (("cyclophosphamide",), {"cyclophosphamide_half_life": 1e15}),
    "mrna_cart_infusion": (("mrna_cart_cells",), {"mrna_cart_death": 0.0, "mrna_car_expression_half_life": 1e15}),
    # No divisions or decline (CD28 factors 0), exhausted cells kept, no chemotherapy killing:
    # every activated cell engrafts; infused -> programme -> effector <-> memory <-> exhausted must
    # conserve the cells infused.
    "cart_infusion": (
        tuple(state.name for state in cart_kinetics.states if state.name != "cart_csf"),
        {
            "cart_costim_cd28": 1.0,
            "cart_cd28_division_factor": 0.0,
            "cart_engraftment": 1.0,
            "cart_cd28_decline_factor": 0.0,
            "cart_exhausted_death": 0.0,
            "fludarabine_kmax": 0.0,
            "cyclophosphamide_kmax": 0.0,
        },
    ),
}


def _amount(dose: Dose, unit: str, weight: float, bsa: float) -> float:
    for per, size in (("", 1.0), ("/kg", weight), ("/m**2", bsa)):
        try:
            return float(dose.quantity.to(ureg(f"{unit}{per}").units).magnitude) * size
        except pint.DimensionalityError:
            continue
    raise AssertionError(f"cannot convert {dose.amount} to {unit}")


def delivered(regimen: Regimen, route: str, unit: str, weight: float, bsa: float, times: np.ndarray) -> np.ndarray:
    """Amount given on ``route`` by each time (infusions at a constant rate)."""
    total = np.zeros_like(times)
    for dose in regimen.doses:
        if dose.route != route:
            continue
        amount = _amount(dose, unit, weight, bsa)
        for start in dose.times:
            if dose.duration_days == 0:
                total += amount * (times >= start - SIMULTANEOUS_DAYS)
            else:
                total += amount * np.clip((times - start) / dose.duration_days, 0.0, 1.0)
    return total


@pytest.mark.parametrize("name", SUBSETS)
@given(data=st.data())
def test_drug_mass_is_conserved_without_losses(name, data):
    model, parameters, regimen = case(name, data)
    routes = [r for r in model.route_names if r in CONSERVED]
    for route in routes:
        parameters = dict(parameters, **{k: v for k, v in CONSERVED[route][1].items() if k in model.parameter_names})
    result = simulate(model, regimen, parameters, times=TIMES, solver=SOLVER, include_states=True)
    assert result.n_failed == 0, name
    value = {p.name: parameters.get(p.name, p.value) for p in model.parameters}.get
    weight, height = value("body_weight"), value("height")
    bsa = np.sqrt(height * weight / 3600.0) if height is not None else np.nan
    for route in routes:
        states = CONSERVED[route][0]
        total = sum(result[s].values[0] for s in states)
        if model.route(route).unit == "cells":
            total = total * value("blood_volume_per_kg") * weight  # cells/uL x uL of blood
        expected = delivered(regimen, route, model.route(route).unit, weight, bsa, TIMES)
        if route == "ofatumumab_sc":
            expected = expected * value("ofa_bioavailability")
        np.testing.assert_allclose(total, expected, rtol=1e-7, atol=1e-9 * max(1.0, expected.max()), err_msg=f"{name}: {route}")
