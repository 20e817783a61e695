"""Wiring modules into one model, with every check that makes a model trustworthy.

:func:`compose` raises :class:`~cartsim.errors.ModelDefinitionError` for an unknown or
undeclared symbol, a quantity provided twice or never, a duplicate state, a state without a
rate law, inconsistent units in any expression, a parameter without a value or a source,
and circular definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import sympy as sp

from cartsim.errors import ModelDefinitionError, UnitError
from cartsim.model.declarations import DoseRoute, Module
from cartsim.model.expressions import UnitMismatch, infer_unit, parse, same_unit, symbol
from cartsim.model.model import Model, Symbolic
from cartsim.model.parameter import Parameter, ParameterSet
from cartsim.units import conversion_factor, parse_unit

__all__ = ["compose"]


@dataclass(frozen=True)
class _Owner:
    role: str
    module: str
    unit: str


def _register(table: dict[str, _Owner], name: str, owner: _Owner) -> None:
    previous = table.get(name)
    if previous is None:
        table[name] = owner
        return
    if owner.role == previous.role == "parameter":
        if not same_unit(parse_unit(owner.unit), parse_unit(previous.unit)):
            raise ModelDefinitionError(
                f"module {owner.module!r}, parameter {name!r}",
                f"declared in {owner.unit!r} but module {previous.module!r} declares it in {previous.unit!r}",
            )
        return
    if owner.role == previous.role == "state":
        problem = f"duplicate state: module {previous.module!r} already declares state {name!r}"
    elif owner.role == previous.role == "provided":
        problem = f"quantity {name!r} is provided twice (also by module {previous.module!r})"
    else:
        problem = f"{name!r} is declared as a {owner.role} here and as a {previous.role} by module {previous.module!r}"
    raise ModelDefinitionError(f"module {owner.module!r}", problem)


def _check_unit(where: str, expr: sp.Expr, units: dict[str, str], expected: str) -> None:
    try:
        unit = infer_unit(expr, units)
    except UnitMismatch as exc:
        raise ModelDefinitionError(where, f"inconsistent units: {exc}") from None
    if unit is not None and not same_unit(unit, parse_unit(expected)):
        raise ModelDefinitionError(where, f"inconsistent units: the expression is in {unit:~} but {expected!r} is required")


def _validate_names(modules: Sequence[Module]) -> dict[str, _Owner]:
    table: dict[str, _Owner] = {}
    for m in modules:
        for s in m.states:
            _register(table, s.name, _Owner("state", m.name, s.unit))
        for p in m.parameters:
            _register(table, p.name, _Owner("parameter", m.name, p.unit))
        for d in m.derived:
            _register(table, d.name, _Owner("derived parameter", m.name, d.unit))
        for q in m.provides:
            _register(table, q.name, _Owner("provided", m.name, q.unit))
        for q in m.contributes:
            previous = table.get(q.name)
            if previous is None:
                table[q.name] = _Owner("sum", m.name, q.unit)
            elif previous.role != "sum":
                raise ModelDefinitionError(
                    f"module {m.name!r}", f"contributes to {q.name!r}, which module {previous.module!r} declares as a {previous.role}"
                )
            elif not same_unit(parse_unit(q.unit), parse_unit(previous.unit)):
                raise ModelDefinitionError(
                    f"module {m.name!r}, contribution to {q.name!r}",
                    f"inconsistent units: {q.unit!r} but module {previous.module!r} contributes in {previous.unit!r}",
                )
        for r in m.doses:
            _register(table, f"input_{r.name}", _Owner("dose route", m.name, ""))
        rated = [name for name, _ in m.rate_items]
        for name in rated:
            if name not in {s.name for s in m.states}:
                raise ModelDefinitionError(f"module {m.name!r}", f"a rate law is given for {name!r}, which is not one of its states")
            if rated.count(name) > 1:
                raise ModelDefinitionError(f"module {m.name!r}", f"two rate laws for state {name!r}")
        for s in m.states:
            if s.name not in rated:
                raise ModelDefinitionError(f"module {m.name!r}, state {s.name!r}", "has no rate law")
    for m in modules:
        for read in m.reads:
            owner = table.get(read.name)
            if owner is None and read.optional:
                table[read.name] = owner = _Owner("sum", m.name, read.unit)  # a sum with no terms: zero
            if owner is None:
                raise ModelDefinitionError(f"module {m.name!r}", f"reads {read.name!r}, which no module provides")
            if owner.role not in ("provided", "sum"):
                raise ModelDefinitionError(f"module {m.name!r}", f"reads {read.name!r}, which no module provides")
            if not same_unit(parse_unit(read.unit), parse_unit(owner.unit)):
                raise ModelDefinitionError(
                    f"module {m.name!r}, read {read.name!r}",
                    f"inconsistent units: read in {read.unit!r} but module {owner.module!r} provides it in {owner.unit!r}",
                )
    return table


class _Scope:
    """Parses a module's expressions against the names it may use."""

    def __init__(self, module: Module, allowed: Iterable[str]) -> None:
        self.module = module
        self.symbols = {name: symbol(name) for name in allowed}

    def parse(self, what: str, text: str) -> sp.Expr:
        where = f"module {self.module.name!r}, {what}"
        try:
            expr, unknown = parse(text, self.symbols)
        except SyntaxError as exc:
            raise ModelDefinitionError(where, str(exc)) from None
        if unknown:
            raise ModelDefinitionError(
                where,
                f"unknown or undeclared symbol(s) {sorted(unknown)} in {text!r}; declare them as states, parameters, derived parameters or reads",
            )
        return expr


def _parameter_values(modules: Sequence[Module], table: dict[str, _Owner], parameters: ParameterSet) -> tuple[Parameter, ...]:
    values = []
    for name, owner in table.items():
        if owner.role != "parameter":
            continue
        if name not in parameters:
            raise ModelDefinitionError(f"module {owner.module!r}, parameter {name!r}", f"has no value in parameter set {parameters.name!r}")
        p = parameters[name]
        try:
            factor = conversion_factor(p.unit, owner.unit, field=f"parameter {name!r}.unit")
        except UnitError as exc:
            raise ModelDefinitionError(f"parameter set {parameters.name!r}, parameter {name!r}", f"inconsistent units: {exc}") from None
        values.append(replace(p, value=p.value * factor, unit=owner.unit, bounds=(p.bounds[0] * factor, p.bounds[1] * factor)))
    return tuple(values)


def _order_derived(derived: dict[str, sp.Expr], parameter_names: set[str]) -> list[str]:
    order: list[str] = []
    pending = dict(derived)
    while pending:
        ready = [n for n, e in pending.items() if {s.name for s in e.free_symbols} <= parameter_names | set(order)]
        if not ready:
            raise ModelDefinitionError("derived parameters", f"circular or state-dependent definitions among {sorted(pending)}")
        for n in sorted(ready):
            order.append(n)
            del pending[n]
    return order


def _check_balance(module: str, route: DoseRoute, amount: sp.Expr, rhs: Mapping[str, sp.Expr]) -> None:
    """The conserved amount of ``route`` changes only by the route's input: its rate laws lose nothing."""
    change = sum((sp.diff(amount, symbol(name)) * rate for name, rate in rhs.items() if symbol(name) in amount.free_symbols), sp.Integer(0))
    residual = sp.expand(change - symbol(f"input_{route.name}"))
    if residual != 0:  # the terms cancel once expanded in a sound module; simplify only what is left
        residual = sp.simplify(residual)
    if residual != 0:
        raise ModelDefinitionError(
            f"module {module!r}, conserved amount of dose route {route.name!r}",
            f"changes by more than the route's input (its rate laws lose or make {residual}); add what is cleared to it",
        )


def compose(modules: Sequence[Module], parameters: ParameterSet, name: str = "cartsim") -> Model:
    """Build one checked model from modules and a parameter set.

    Parameters
    ----------
    modules
        The biology modules; their read/provided quantities are wired by name.
    parameters
        Values for every parameter the modules declare (extra parameters are ignored).
    name
        A label for the model (part of its hash).

    Raises
    ------
    ModelDefinitionError
        With the module and item at fault, for any of the problems in this module's docstring.
    """
    modules = tuple(modules)
    if not modules:
        raise ModelDefinitionError("compose", "needs at least one module")
    table = _validate_names(modules)
    units = {n: o.unit for n, o in table.items()}

    provided: dict[str, sp.Expr] = {name: sp.Integer(0) for name, owner in table.items() if owner.role == "sum"}
    scopes: dict[str, _Scope] = {}
    for m in modules:
        own = [s.name for s in m.states] + [p.name for p in m.parameters] + [d.name for d in m.derived]
        shared = [q.name for q in m.provides] + [q.name for q in m.contributes] + [q.name for q in m.reads]
        scope = _Scope(m, own + list(dict.fromkeys(shared)))
        scopes[m.name] = scope
        for q in m.provides:
            provided[q.name] = scope.parse(f"provided quantity {q.name!r}", q.expr)
        for q in m.contributes:
            provided[q.name] = provided[q.name] + scope.parse(f"contribution to {q.name!r}", q.expr)

    def resolve(expr: sp.Expr, chain: tuple[str, ...] = ()) -> sp.Expr:
        subs = {}
        for s in expr.free_symbols:
            if s.name in provided:
                if s.name in chain:
                    raise ModelDefinitionError("provided quantities", f"circular definition through {' -> '.join(chain + (s.name,))}")
                subs[s] = resolve(provided[s.name], chain + (s.name,))
        return expr.xreplace(subs) if subs else expr

    rhs: dict[str, sp.Expr] = {}
    initial: dict[str, sp.Expr] = {}
    derived: dict[str, sp.Expr] = {}
    derived_meta = {}
    observables: list[Symbolic] = []
    routes, scales = [], []
    conserved: list[tuple[str, DoseRoute, sp.Expr]] = []
    for m in modules:
        scope = scopes[m.name]
        for q in m.provides:
            _check_unit(f"module {m.name!r}, provided quantity {q.name!r}", provided[q.name], units, q.unit)
        for q in m.contributes:
            _check_unit(f"module {m.name!r}, contribution to {q.name!r}", scope.parse(f"contribution to {q.name!r}", q.expr), units, q.unit)
        for d in m.derived:
            expr = scope.parse(f"derived parameter {d.name!r}", d.expr)
            _check_unit(f"module {m.name!r}, derived parameter {d.name!r}", expr, units, d.unit)
            derived[d.name] = resolve(expr)
            derived_meta[d.name] = d
        rates = m.rate_map
        for s in m.states:
            expr = scope.parse(f"rate of {s.name!r}", rates[s.name])
            _check_unit(f"module {m.name!r}, rate of {s.name!r}", expr, units, f"({s.unit})/day")
            rhs[s.name] = resolve(expr)
            init = scope.parse(f"initial value of {s.name!r}", s.initial)
            _check_unit(f"module {m.name!r}, initial value of {s.name!r}", init, units, s.unit)
            initial[s.name] = resolve(init)
        for o in m.observables:
            expr = scope.parse(f"observable {o.name!r}", o.expr)
            _check_unit(f"module {m.name!r}, observable {o.name!r}", expr, units, o.unit)
            observables.append(Symbolic(o.name, resolve(expr), o.unit, o.description))
        for r in m.doses:
            if r.state not in {s.name for s in m.states}:
                raise ModelDefinitionError(
                    f"module {m.name!r}, dose route {r.name!r}", f"targets {r.state!r}, which is not one of its states"
                )
            scale = scope.parse(f"scale of dose route {r.name!r}", r.scale)
            state_unit = units[r.state]
            _check_unit(f"module {m.name!r}, scale of dose route {r.name!r}", scale, units, f"({state_unit})/({r.unit})")
            routes.append(r)
            scales.append(resolve(scale))
            if r.conserved:
                expr = scope.parse(f"conserved amount of dose route {r.name!r}", r.conserved)
                _check_unit(f"module {m.name!r}, conserved amount of dose route {r.name!r}", expr, units, state_unit)
                description = f"amount given by {r.name} still in the body or cleared (equals the doses given: a conservation check)"
                observables.append(Symbolic(r.accounted, resolve(expr), state_unit, description))
                conserved.append((m.name, r, resolve(expr)))
            input_symbol = symbol(f"input_{r.name}")
            rhs[r.state] = rhs[r.state] + input_symbol

    for module_name, r, amount in conserved:
        _check_balance(module_name, r, amount, rhs)
    names = [o.name for o in observables]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ModelDefinitionError("observables", f"names given more than once: {duplicates}")

    values = _parameter_values(modules, table, parameters)
    parameter_names = {p.name for p in values}
    order = _order_derived(derived, parameter_names)
    state_names = [s.name for m in modules for s in m.states]
    known = parameter_names | set(order)
    for state_name in state_names:
        bad = {x.name for x in initial[state_name].free_symbols} - known
        if bad:
            raise ModelDefinitionError(f"initial value of {state_name!r}", f"may use parameters only, not {sorted(bad)}")
    return Model(
        name=name,
        modules=modules,
        parameter_set=parameters,
        states=tuple(s for m in modules for s in m.states),
        parameters=values,
        derived=tuple(Symbolic(n, derived[n], derived_meta[n].unit, derived_meta[n].description) for n in order),
        routes=tuple(routes),
        route_scales=tuple(scales),
        rhs=tuple(rhs[n] for n in state_names),
        initial=tuple(initial[s] for s in state_names),
        observables=tuple(observables),
    )
