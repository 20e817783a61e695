"""The model language: states, parameters, modules, and their composition into a model."""

from cartsim.model.compose import compose
from cartsim.model.declarations import DoseRoute, Expression, Module, Quantity, State
from cartsim.model.expressions import symbol
from cartsim.model.hypothesis import Hypothesis
from cartsim.model.model import Model, Symbolic
from cartsim.model.parameter import Change, LogNormal, Parameter, ParameterSet
from cartsim.model.therapy import PLACEBO, Administration, Choice, Course, Therapy

__all__ = [
    "Administration",
    "Choice",
    "Course",
    "PLACEBO",
    "Change",
    "DoseRoute",
    "Expression",
    "Hypothesis",
    "LogNormal",
    "Model",
    "Module",
    "Parameter",
    "ParameterSet",
    "Quantity",
    "State",
    "Symbolic",
    "Therapy",
    "compose",
    "symbol",
]
