"""The composed model: one symbolic ODE system from which everything else is generated."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from cartsim.model.declarations import DoseRoute, Module, State
from cartsim.model.expressions import symbol
from cartsim.model.parameter import Parameter, ParameterSet

__all__ = ["Model", "Symbolic"]

#: Bump when the meaning of the generated code changes, so cached compilations are redone.
CODEGEN_VERSION = "4"


@dataclass(frozen=True)
class Symbolic:
    """A named SymPy expression with its unit (a derived parameter, an observable, ...)."""

    name: str
    expr: sp.Expr
    unit: str
    description: str = ""


@dataclass(frozen=True)
class Model:
    """An ODE model ``dx/dt = f(x, p, u)`` built by :func:`cartsim.model.compose`.

    The layout of the per-patient data vector is ``parameters + derived + inputs``: the
    primary parameters, then the derived parameters (computed once per patient from the
    primary ones), then one infusion-rate input per dose route (in state units per day).

    Attributes
    ----------
    states
        State declarations, in the order of the state vector.
    parameters
        Parameter values (converted to the units the modules declared).
    derived
        Derived parameters, in evaluation order.
    routes
        Dose routes; ``route_scales[i]`` converts an amount on route i to state units.
    rhs
        ``d(state)/dt`` for each state, in the state, parameter, derived and input symbols.
    initial
        Initial value of each state, in parameter and derived symbols.
    observables
        Named outputs (blood B cells, CAR-T cells, drug concentration, ...).
    """

    name: str
    modules: tuple[Module, ...]
    parameter_set: ParameterSet
    states: tuple[State, ...]
    parameters: tuple[Parameter, ...]
    derived: tuple[Symbolic, ...]
    routes: tuple[DoseRoute, ...]
    route_scales: tuple[sp.Expr, ...]
    rhs: tuple[sp.Expr, ...]
    initial: tuple[sp.Expr, ...]
    observables: tuple[Symbolic, ...]

    # -- names and symbols -------------------------------------------------------------
    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def derived_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.derived)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(f"input_{r.name}" for r in self.routes)

    @property
    def route_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.routes)

    @property
    def observable_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.observables)

    @property
    def data_names(self) -> tuple[str, ...]:
        """Names of the per-patient data vector: parameters, derived, inputs."""
        return self.parameter_names + self.derived_names + self.input_names

    @property
    def state_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(symbol(n) for n in self.state_names)

    @property
    def data_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(symbol(n) for n in self.data_names)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def unit_of(self, name: str) -> str:
        """The unit of any named state, parameter, derived parameter or observable."""
        items: tuple[State | Parameter | Symbolic, ...] = (*self.states, *self.parameters, *self.derived, *self.observables)
        for item in items:
            if item.name == name:
                return item.unit
        raise KeyError(name)

    # -- generated views -----------------------------------------------------------------
    @cached_property
    def jacobian(self) -> sp.Matrix:
        """Analytic Jacobian ``d rhs / d state`` (SymPy matrix)."""
        return sp.Matrix(self.rhs).jacobian(sp.Matrix(self.state_symbols))

    @cached_property
    def hash(self) -> str:
        """A digest of the model's structure (not its parameter values): the compile-cache key."""
        parts = [CODEGEN_VERSION, self.name]
        parts += [f"{s.name}:{s.unit}" for s in self.states]
        parts += list(self.data_names)
        parts += [sp.srepr(e) for e in self.rhs]
        parts += [sp.srepr(e) for e in self.initial]
        parts += [f"{d.name}={sp.srepr(d.expr)}" for d in self.derived]
        parts += [f"{r.name}->{r.state}*{sp.srepr(s)}" for r, s in zip(self.routes, self.route_scales)]
        parts += [f"{o.name}={sp.srepr(o.expr)}" for o in self.observables]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def route(self, name: str) -> DoseRoute:
        for r in self.routes:
            if r.name == name:
                return r
        raise KeyError(name)

    def __repr__(self) -> str:
        return (
            f"Model({self.name!r}, {len(self.states)} states, {len(self.parameters)} parameters, "
            f"routes={list(self.route_names)}, hash={self.hash})"
        )
