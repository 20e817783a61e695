"""Parameters are data: value, unit, bounds, variability and a traceable source."""

from __future__ import annotations

import pytest

from cartsim import InputError, ModelDefinitionError
from cartsim.model import LogNormal, Parameter, ParameterSet
from cartsim.parameters import BIBLIOGRAPHY, DEFAULT_PARAMETERS
from cartsim.units import parse_unit


def test_every_default_parameter_cites_a_known_source_or_an_assumption():
    for p in DEFAULT_PARAMETERS.parameters:
        if p.is_assumption:
            assert len(p.source.split(":", 1)[1].strip()) > 10, f"{p.name}: an assumption needs a reason"
        else:
            assert p.source in BIBLIOGRAPHY, f"{p.name}: unknown source {p.source!r}"


def test_every_default_parameter_has_a_valid_unit():
    for p in DEFAULT_PARAMETERS.parameters:
        parse_unit(p.unit)


def test_value_outside_bounds():
    with pytest.raises(InputError, match=r"parameter 'f'.value: got 1.5; allowed: a number in \[0.0, 1.0\]"):
        Parameter("f", 1.5, "1", "assumption: test", bounds=(0.0, 1.0))


def test_non_finite_value():
    with pytest.raises(InputError, match="a finite number"):
        Parameter("k", float("nan"), "1/day", "assumption: test")


def test_negative_omega():
    with pytest.raises(InputError, match="omega"):
        LogNormal(-0.1)


def test_union_rejects_clashes_and_replace_overrides():
    a = ParameterSet("a", (Parameter("k", 1.0, "1/day", "assumption: x"),))
    b = ParameterSet("b", (Parameter("k", 2.0, "1/day", "assumption: x"),))
    with pytest.raises(ModelDefinitionError, match="both give"):
        a.union(b)
    assert a.replace({"k": 3.0})["k"].value == 3.0
    with pytest.raises(InputError, match="one of the set's parameters"):
        a.replace({"nope": 3.0})


def test_duplicate_in_one_set():
    p = Parameter("k", 1.0, "1/day", "assumption: x")
    with pytest.raises(ModelDefinitionError, match="given twice"):
        ParameterSet("s", (p, p))
