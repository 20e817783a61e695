"""compose(): the model is checked when it is built."""

from __future__ import annotations

import pytest
import sympy as sp

from cartsim import ModelDefinitionError
from cartsim.biology import FIRST_MODEL_MODULES
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity, State, compose, symbol
from cartsim.parameters import DEFAULT_PARAMETERS

DECAY = Module(
    "decay",
    "first-order loss",
    states=(State("x", "mg", "x0"),),
    parameters=(Quantity("k", "1/day"), Quantity("x0", "mg")),
    rates={"x": "-k*x"},
    observables=(Expression("x_obs", "x", "mg"),),
)
VALUES = ParameterSet("test", (Parameter("k", 0.1, "1/day", "assumption: test"), Parameter("x0", 5.0, "mg", "assumption: test")))


def test_first_model_builds(model):
    assert len(model.states) == 29  # with ocr_cleared, for the conservation check
    assert set(model.route_names) == {"cart_infusion", "ocrelizumab_iv"}
    assert model.hash == compose(FIRST_MODEL_MODULES, DEFAULT_PARAMETERS, name=model.name).hash


def test_simple_module_builds():
    m = compose([DECAY], VALUES)
    assert m.state_names == ("x",)
    assert str(m.rhs[0]) == "-k*x"


def test_unknown_symbol():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*x*undeclared"})
    with pytest.raises(ModelDefinitionError, match=r"module 'decay', rate of 'x'.*undeclared"):
        compose([bad], VALUES)


def test_quantity_provided_twice():
    a = Module("a", "", provides=(Expression("q", "1", "1"),))
    b = Module("b", "", provides=(Expression("q", "2", "1"),))
    with pytest.raises(ModelDefinitionError, match="'q' is provided twice"):
        compose([a, b, DECAY], VALUES)


def test_quantity_never_provided():
    reader = Module("reader", "", states=(State("y", "mg", "0"),), reads=(Quantity("missing", "1/day"),), rates={"y": "-missing*y"})
    with pytest.raises(ModelDefinitionError, match="reads 'missing', which no module provides"):
        compose([reader], VALUES)


def test_duplicate_state():
    copy = Module("copy", "", states=(State("x", "mg", "0"),), rates={"x": "0"})
    with pytest.raises(ModelDefinitionError, match="duplicate state"):
        compose([DECAY, copy], VALUES)


def test_inconsistent_units_in_rate_law():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*x + x0"})
    with pytest.raises(ModelDefinitionError, match="inconsistent units"):
        compose([bad], VALUES)


def test_rate_with_wrong_scale_is_inconsistent():
    bad = Module("decay", "", states=(State("x", "mg", "0"),), parameters=(Quantity("k", "1/week"),), rates={"x": "-k*x"})
    values = ParameterSet("t", (Parameter("k", 0.1, "1/week", "assumption: test"),))
    with pytest.raises(ModelDefinitionError, match="inconsistent units"):
        compose([bad], values)


def test_exp_of_dimensional_quantity():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*x*exp(x0)"})
    with pytest.raises(ModelDefinitionError, match="dimensionless"):
        compose([bad], VALUES)


def test_parameter_without_source():
    with pytest.raises(ModelDefinitionError, match="has no source"):
        Parameter("k", 0.1, "1/day", "")


def test_parameter_without_value():
    with pytest.raises(ModelDefinitionError, match="parameter 'x0'.*has no value"):
        compose([DECAY], ParameterSet("t", (Parameter("k", 0.1, "1/day", "assumption: test"),)))


def test_parameter_values_are_converted_to_declared_units():
    values = VALUES.replace([Parameter("k", 0.7, "1/week", "assumption: test")])
    m = compose([DECAY], values)
    assert m.parameter("k").value == pytest.approx(0.1)
    assert m.parameter("k").unit == "1/day"


def test_parameter_in_unconvertible_unit():
    values = VALUES.replace([Parameter("k", 1.0, "mg", "assumption: test")])
    with pytest.raises(ModelDefinitionError, match="inconsistent units"):
        compose([DECAY], values)


def test_state_without_rate_law():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={})
    with pytest.raises(ModelDefinitionError, match="has no rate law"):
        compose([bad], VALUES)


def test_rate_for_unknown_state():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*x", "z": "0"})
    with pytest.raises(ModelDefinitionError, match="not one of its states"):
        compose([bad], VALUES)


def test_circular_derived_parameters():
    bad = Module(
        "decay",
        "",
        states=DECAY.states,
        parameters=DECAY.parameters,
        rates={"x": "-a*x"},
        derived=(Expression("a", "b", "1/day"), Expression("b", "a", "1/day")),
    )
    with pytest.raises(ModelDefinitionError, match="circular"):
        compose([bad], VALUES)


def test_read_with_wrong_unit():
    provider = Module("p", "", provides=(Expression("rate", "k", "1/day"),), parameters=(Quantity("k", "1/day"),))
    reader = Module("r", "", states=(State("y", "mg", "0"),), reads=(Quantity("rate", "1/week"),), rates={"y": "-rate*y"})
    with pytest.raises(ModelDefinitionError, match="inconsistent units"):
        compose([provider, reader], VALUES)


def test_dose_route_to_unknown_state():
    from cartsim.model import DoseRoute

    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*x"}, doses=(DoseRoute("iv", "nope", "mg"),))
    with pytest.raises(ModelDefinitionError, match="targets 'nope'"):
        compose([bad], VALUES)


def test_bad_syntax():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "-k*(x"})
    with pytest.raises(ModelDefinitionError, match="cannot parse"):
        compose([bad], VALUES)


def test_a_literal_zero_fits_any_unit():
    clamp = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates={"x": "Max(0, -k*x)"})
    assert compose([clamp], VALUES).rhs[0] is not None


def test_parameter_unit_is_the_declared_one_even_when_equivalent():
    values = VALUES.replace([Parameter("x0", 5.0, "mg", "assumption: test")])
    decl = Module(
        "decay",
        "",
        states=(State("x", "ug*L/mL", "x0"),),
        parameters=(Quantity("k", "1/day"), Quantity("x0", "ug*L/mL")),
        rates={"x": "-k*x"},
    )
    assert compose([decl], values).parameter("x0").unit == "ug*L/mL"


def test_two_rate_laws_for_one_state():
    bad = Module("decay", "", states=DECAY.states, parameters=DECAY.parameters, rates=(("x", "-k*x"), ("x", "0")))
    with pytest.raises(ModelDefinitionError, match="two rate laws"):
        compose([bad], VALUES)


def test_contributions_are_summed_and_an_empty_sum_is_zero():
    a = Module("a", "", parameters=(Quantity("ka", "1/day"),), contributes=(Expression("kill", "ka", "1/day"),))
    b = Module("b", "", parameters=(Quantity("kb", "1/day"),), contributes=(Expression("kill", "2*kb", "1/day"),))
    target = Module(
        "t",
        "",
        states=(State("y", "mg", "0"),),
        reads=(Quantity("kill", "1/day", optional=True), Quantity("other", "1/day", optional=True)),
        rates={"y": "-(kill + other)*y"},
    )
    values = ParameterSet("v", (Parameter("ka", 1.0, "1/day", "assumption: t"), Parameter("kb", 1.0, "1/day", "assumption: t")))
    m = compose([a, b, target], values)
    assert sp.simplify(m.rhs[0] + symbol("y") * (symbol("ka") + 2 * symbol("kb"))) == 0
    assert str(compose([target], values).rhs[0]) == "0"


def test_contribution_and_provider_clash():
    a = Module("a", "", contributes=(Expression("q", "1", "1"),))
    b = Module("b", "", provides=(Expression("q", "1", "1"),))
    with pytest.raises(ModelDefinitionError, match="contributes to 'q'|'q' is declared"):
        compose([b, a, DECAY], VALUES)


def test_contributions_with_different_units():
    a = Module("a", "", contributes=(Expression("q", "1", "1"),))
    b = Module("b", "", parameters=(Quantity("k", "1/day"),), contributes=(Expression("q", "k", "1/day"),))
    with pytest.raises(ModelDefinitionError, match="inconsistent units"):
        compose([a, b], VALUES)
