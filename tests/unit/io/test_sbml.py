"""SBML export: the document is valid SBML L3V2 and carries the whole model."""

from __future__ import annotations

import libsbml
import pytest
import sympy as sp

import cartsim
from cartsim import Dose, InputError, Regimen
from cartsim.io.sbml import l3_formula, to_sbml
from cartsim.model import DoseRoute, Module, Parameter, ParameterSet, State, compose, symbol
from cartsim.model.declarations import Expression, Quantity

CART = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=0))
OCRELIZUMAB = Regimen.of(
    Dose("ocrelizumab_iv", "300 mg", day=0, duration="2.5 h"),
    Dose("ocrelizumab_iv", "300 mg", day=14, duration="2.5 h"),
    Dose("ocrelizumab_iv", "600 mg", day=168, duration="3.5 h", every_days=168, count=3),
)


def _document(text: str) -> libsbml.Model:
    doc = libsbml.readSBMLFromString(text)
    assert doc.getLevel() == 3 and doc.getVersion() == 2
    doc.checkConsistency()
    errors = []
    for i in range(doc.getNumErrors()):
        error = doc.getError(i)
        line = f"{error.getSeverityAsString()} {error.getErrorId()}: {error.getShortMessage()}"
        if error.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            errors.append(f"{line}\n{error.getMessage()}")
        else:
            print(line)  # unit warnings on literal numbers (log(2), dose amounts) are expected
    assert not errors, "\n".join(errors)
    return doc.getModel()


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.first_model()


@pytest.fixture(scope="module")
def sbml_model(model: cartsim.Model) -> libsbml.Model:
    return _document(to_sbml(model, CART + OCRELIZUMAB))


def test_document_is_consistent(sbml_model: libsbml.Model) -> None:
    assert sbml_model.getNumSpecies() == 0 and sbml_model.getNumReactions() == 0


def test_one_rate_rule_per_state(model: cartsim.Model, sbml_model: libsbml.Model) -> None:
    rate_rules = [r.getVariable() for r in sbml_model.getListOfRules() if r.isRate()]
    assert rate_rules == list(model.state_names)
    initial = {a.getSymbol() for a in sbml_model.getListOfInitialAssignments()}
    assert set(model.state_names) <= initial and set(model.derived_names) <= initial
    for name in model.state_names:
        assert not sbml_model.getParameter(name).getConstant()


def test_parameters_values_sources_and_units(model: cartsim.Model, sbml_model: libsbml.Model) -> None:
    for p in model.parameters:
        exported = sbml_model.getParameter(p.name)
        assert exported is not None and exported.getConstant()
        assert exported.getValue() == pytest.approx(p.value, rel=1e-14)
        assert f"source: {p.source}" in libsbml.XMLNode.convertXMLNodeToString(exported.getNotes()).replace("&amp;", "&").replace(
            "&apos;", "'"
        )
        assert exported.isSetUnits()
    for name in (*model.derived_names, *model.input_names, *model.observable_names):
        assert sbml_model.getParameter(name).isSetUnits()
    observables = {r.getVariable() for r in sbml_model.getListOfRules() if r.isAssignment()}
    assert observables == set(model.observable_names)


def test_units(sbml_model: libsbml.Model) -> None:
    day = sbml_model.getUnitDefinition(sbml_model.getTimeUnits())
    assert day.getNumUnits() == 1 and day.getUnit(0).isSecond() and day.getUnit(0).getMultiplier() == 86400
    per_ul = sbml_model.getUnitDefinition(sbml_model.getParameter("b_naive_blood").getUnits())
    kinds = {libsbml.UnitKind_toString(u.getKind()): (u.getExponent(), u.getMultiplier()) for u in per_ul.getListOfUnits()}
    assert kinds == {"item": (1, 1), "litre": (-1, pytest.approx(1e-6))}
    assert sbml_model.getParameter("body_weight").getUnits() == "kilogram"
    assert sbml_model.getParameter("cart_fb").getUnits() == "dimensionless"


def test_dose_events(model: cartsim.Model, sbml_model: libsbml.Model) -> None:
    events = list(sbml_model.getListOfEvents())
    # day 0 (CAR-T bolus + infusion start) is one event; then one per infusion start and end
    assert len(events) == 1 + 1 + 2 * 4
    first = events[0]
    assert first.getUseValuesFromTriggerTime()
    assert not first.getTrigger().getInitialValue() and first.getTrigger().getPersistent()
    assignments = {a.getVariable(): libsbml.formulaToL3String(a.getMath()) for a in first.getListOfEventAssignments()}
    assert set(assignments) == {"cart_infused", "input_ocrelizumab_iv"}
    # the per-kg CAR-T dose stays symbolic in body weight and blood volume
    assert "body_weight" in assignments["cart_infused"] and "blood_volume" in assignments["cart_infused"]


def test_parameter_overrides(model: cartsim.Model) -> None:
    exported = libsbml.readSBMLFromString(to_sbml(model, parameters={"body_weight": 55.5})).getModel()
    assert exported.getParameter("body_weight").getValue() == 55.5
    assert exported.getNumEvents() == 0
    with pytest.raises(InputError, match="parameters"):
        to_sbml(model, parameters={"no_such_parameter": 1.0})
    with pytest.raises(InputError):
        to_sbml(model, parameters={"body_weight": float("nan")})


def test_bad_regimens(model: cartsim.Model) -> None:
    with pytest.raises(InputError):
        to_sbml(model, Regimen.of(Dose("no_route", "1 mg")))
    with pytest.raises(InputError, match="day 0"):
        to_sbml(model, Regimen.of(Dose("ocrelizumab_iv", "1 mg", day=-1)))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (sp.log(symbol("x")), "ln(x)"),
        (sp.exp(-symbol("x")), "exp(-x)"),
        (symbol("x") ** 2, "x^2"),
        (-(symbol("x") ** symbol("y")), "-x^y"),
        (symbol("x") ** sp.Rational(1, 3), "x^(1/3)"),
        (sp.sqrt(symbol("x")), "sqrt(x)"),
        (sp.Max(symbol("x"), symbol("y")), "max(x, y)"),
        (sp.Min(symbol("x"), 1), "min(1, x)"),
        (sp.Abs(symbol("x")), "abs(x)"),
    ],
)
def test_formulas_round_trip_through_libsbml(expr: sp.Expr, expected: str) -> None:
    assert libsbml.formulaToL3String(libsbml.parseL3Formula(l3_formula(expr))) == expected


def test_floats_keep_full_precision() -> None:
    value = 1 / 3
    assert repr(value) in l3_formula(sp.Float(value) * symbol("x"))


def test_formulas_refuse_what_sbml_cannot_say() -> None:
    with pytest.raises(ValueError):
        l3_formula(sp.Symbol("time") * 2)
    with pytest.raises(ValueError):
        l3_formula(sp.sin(symbol("x")))


def test_small_model_with_every_function() -> None:
    module = Module(
        name="toy",
        description="exercises every function the model language allows",
        states=(State("x", "mg", "x0"),),
        parameters=(Quantity("x0", "mg"), Quantity("k", "1/day"), Quantity("cap", "mg")),
        derived=(Expression("k2", "sqrt(k*k)*exp(log(2))", "1/day"),),
        rates={"x": "-k2*Max(x, 0.5*cap) + k*Abs(Min(x, cap))"},
        observables=(Expression("y", "x/cap", "1"),),
        doses=(DoseRoute("bolus", "x", "mg"),),
    )
    values = ParameterSet(
        "toy",
        (
            Parameter("x0", 1.0, "mg", "assumption: test"),
            Parameter("k", 0.1, "1/day", "assumption: test"),
            Parameter("cap", 2.0, "mg", "assumption: test"),
        ),
    )
    toy = compose([module], values, name="toy")
    exported = _document(to_sbml(toy, Regimen.of(Dose("bolus", "5 mg", day=1), Dose("bolus", "5 mg", day=1))))
    rate = libsbml.formulaToL3String(exported.getRateRule("x").getMath())
    assert "max(" in rate and "min(" in rate and "abs(" in rate
    # two doses at one time become one assignment: SBML would otherwise apply only one
    (event,) = exported.getListOfEvents()
    assert event.getNumEventAssignments() == 1
    assert libsbml.formulaToL3String(event.getEventAssignment(0).getMath()) == "x + 10"
