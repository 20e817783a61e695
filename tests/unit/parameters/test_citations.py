"""cited_references: exactly the publications behind the parameters and modules a model uses."""

from __future__ import annotations

from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity, State, compose
from cartsim.parameters.citations import cited_keys, cited_references

MODULE = Module(
    "decay",
    "first-order loss",
    states=(State("x", "mg", "x0"),),
    parameters=(Quantity("k", "1/day"), Quantity("x0", "mg")),
    rates={"x": "-k*x"},
    observables=(Expression("x_obs", "x", "mg"),),
    references=("Macallan2005", "Stein2019"),
)
VALUES = ParameterSet(
    "test",
    (
        Parameter("k", 0.1, "1/day", "Stein2019"),
        Parameter("x0", 5.0, "mg", "assumption: below 10/uL by two weeks (Saldivar2023), not a NotAKey2020"),
        Parameter("unused", 1.0, "mg", "Gibiansky2021"),
    ),
)


def test_keys_from_sources_assumption_text_and_modules():
    model = compose([MODULE], VALUES)
    assert cited_keys(model) == {
        "Macallan2005": ("module decay",),
        "Saldivar2023": ("x0",),
        "Stein2019": ("k", "module decay"),
    }
    assert [r.key for r in cited_references(model)] == ["Macallan2005", "Saldivar2023", "Stein2019"]
