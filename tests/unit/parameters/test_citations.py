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


def test_the_parameters_behind_an_observable_are_one_step_deep():
    from cartsim.model import Expression as E
    from cartsim.parameters.citations import parameters_behind

    source = Module(
        "source",
        "x feeds y",
        states=(State("x", "mg", "x0"), State("y", "mg", "0")),
        parameters=(Quantity("x_half_life", "day"), Quantity("x0", "mg"), Quantity("k", "1/day"), Quantity("y_scale", "1")),
        derived=(E("x_loss", "log(2)/x_half_life", "1/day"),),
        rates={"x": "-x_loss*x", "y": "k*x - k*y"},
        observables=(E("x_obs", "x", "mg"), E("y_obs", "y_scale*y", "mg")),
    )
    values = ParameterSet(
        "test",
        (
            Parameter("x_half_life", 7.0, "day", "Stein2019"),
            Parameter("x0", 5.0, "mg", "assumption"),
            Parameter("k", 0.1, "1/day", "Macallan2005"),
            Parameter("y_scale", 2.0, "1", "assumption"),
        ),
    )
    model = compose([source], values)
    # x's rate of change runs through the derived x_loss to its half-life, and x0 starts it; y's names k, not x's
    # half-life (two steps away).
    assert parameters_behind(model, ["x_obs"]) == ("x_half_life", "x0")
    assert parameters_behind(model, ["y_obs"]) == ("k", "y_scale")
    assert parameters_behind(model, ["x_obs", "not an observable"]) == ("x_half_life", "x0")
