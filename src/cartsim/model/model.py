"""The composed model: one symbolic ODE system from which everything else is generated."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from cartsim.errors import InputError
from cartsim.model.declarations import DoseRoute, Module, State
from cartsim.model.expressions import symbol
from cartsim.model.parameter import Change, LogNormal, Parameter, ParameterSet
from cartsim.units import conversion_factor

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


@dataclass(frozen=True, eq=False)
class Model:
    """An ODE model ``dx/dt = f(x, p, u)`` built by :func:`cartsim.model.compose`.

    Two models are the same object or different ones (identity, not field-by-field
    comparison); :attr:`hash` identifies the structure, which compiled code depends on.

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
        parts += [f"{r.name}->{r.state}*{sp.srepr(s)}" for r, s in zip(self.routes, self.route_scales, strict=False)]
        parts += [f"{o.name}={sp.srepr(o.expr)}" for o in self.observables]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def with_changes(self, changes: Iterable[Change], *, ignore_unknown: bool = False, field: str = "parameters") -> Model:
        """The same model with some parameters' typical values and spreads changed (structure unchanged).

        Parameters
        ----------
        changes
            The changes, applied in order (a later change of the same parameter wins).
        ignore_unknown
            Skip changes of parameters the model does not have (a population serves any
            module combination); otherwise they are an error.
        field
            Where the changes come from, for error messages (``"arm[1].parameters"``).

        Returns
        -------
        Model
            A new model sharing this one's structure (and compiled code); each changed
            parameter carries the change's source.

        Raises
        ------
        InputError
            An unknown parameter, a unit that does not convert, or a value outside the
            parameter's bounds.

        Examples
        --------
        >>> from cartsim import full_model
        >>> from cartsim.model import Change
        >>> faster = full_model().with_changes([Change("cart_doubling_time", 1.2, "assumption: faster expansion", unit="day")])
        >>> faster.parameter("cart_doubling_time").value
        1.2
        >>> faster.hash == full_model().hash
        True
        """
        parameters = {p.name: p for p in self.parameters}
        for change in changes:
            old = parameters.get(change.name)
            where = f"{field}.{change.name}"
            if old is None:
                if ignore_unknown:
                    continue
                raise InputError(where, change.name, "a parameter of the model (`cartsim models --parameters` lists them)")
            value = old.value
            if change.value is not None:
                factor = 1.0 if change.unit is None else conversion_factor(change.unit, old.unit, where)
                value = change.value * factor
            low, high = old.bounds
            if not low <= value <= high:
                given = value if change.unit is None else f"{change.value:g} {change.unit}"
                raise InputError(where, given, f"a value in [{low:g}, {high:g}] {old.unit}")
            variability = old.variability
            if change.omega is not None:
                variability = LogNormal(change.omega) if change.omega > 0 else None
            source = change.source if change.value is not None else f"{old.source}; spread: {change.source}"
            parameters[change.name] = dataclasses.replace(old, value=value, source=source, variability=variability)
        changed = tuple(parameters.values())
        new = dataclasses.replace(
            self,
            parameters=changed,
            parameter_set=self.parameter_set.replace([p for p, q in zip(changed, self.parameters, strict=False) if p is not q]),
        )
        for cached in ("hash", "jacobian"):  # the structure is the same: keep what was derived from it
            if cached in self.__dict__:
                new.__dict__[cached] = self.__dict__[cached]
        return new

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
