"""Parsing rate-law strings into SymPy and checking their units.

Only the functions listed in :data:`FUNCTIONS` may appear; every other name must be a
symbol the module declared. Unit inference walks the expression tree with pint: sums must
add terms of one unit (same dimension *and* same scale: cartsim does not convert inside
rate laws), arguments of ``exp``/``log`` must be dimensionless, powers with a symbolic
exponent need a dimensionless base.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

import pint
import sympy as sp
from sympy.parsing.sympy_parser import auto_number, auto_symbol, factorial_notation, parse_expr

from cartsim.units import parse_unit, ureg

__all__ = ["FUNCTIONS", "parse", "infer_unit", "same_unit", "symbol", "UnitMismatch"]

FUNCTIONS: dict[str, Callable[..., sp.Expr]] = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "Max": sp.Max,
    "Min": sp.Min,
    "Abs": sp.Abs,
    "Heaviside": lambda x: sp.Heaviside(x, 1),  # a step that counts the threshold as reached
}

_GLOBALS: dict[str, object] = {
    "Integer": sp.Integer,
    "Float": sp.Float,
    "Rational": sp.Rational,
    "Symbol": sp.Symbol,
    **FUNCTIONS,
}
_TRANSFORMS = (auto_symbol, auto_number, factorial_notation)


def symbol(name: str) -> sp.Symbol:
    """The one way cartsim makes a SymPy symbol for a model name."""
    return sp.Symbol(name, real=True)


class UnitMismatch(Exception):
    """Raised by :func:`infer_unit`; the composer turns it into a ModelDefinitionError."""


def parse(text: str, symbols: Mapping[str, sp.Symbol]) -> tuple[sp.Expr, set[str]]:
    """Parse ``text``; return the expression and the names it uses that are not in ``symbols``."""
    try:
        expr = parse_expr(text, local_dict=dict(symbols), global_dict=dict(_GLOBALS), transformations=_TRANSFORMS)
    except Exception as exc:  # SymPy raises many kinds for bad syntax
        raise SyntaxError(f"cannot parse {text!r}: {exc}") from None
    if not isinstance(expr, sp.Expr):
        raise SyntaxError(f"{text!r} is not an arithmetic expression")
    # Equality, not identity: SymPy's cache may hand out a new but equal symbol for a name.
    unknown = {s.name for s in expr.free_symbols if s.name not in symbols or symbols[s.name] != s}
    unknown |= {
        type(f).__name__
        for f in expr.atoms(sp.Function)
        if type(f).__name__ not in FUNCTIONS and isinstance(f, sp.core.function.AppliedUndef)
    }
    return expr, unknown


def _is_one(unit: pint.Unit) -> bool:
    try:
        return abs(ureg.Quantity(1.0, unit).to(ureg.dimensionless).magnitude - 1.0) < 1e-12
    except pint.DimensionalityError:
        return False


def same_unit(a: pint.Unit, b: pint.Unit) -> bool:
    """True when ``a`` and ``b`` are the same unit (same dimension and scale)."""
    try:
        return abs(ureg.Quantity(1.0, a).to(b).magnitude - 1.0) < 1e-12
    except pint.DimensionalityError:
        return False


def infer_unit(expr: sp.Expr, units: Mapping[str, str]) -> pint.Unit | None:
    """The unit of ``expr`` given the units of its symbols; raises :class:`UnitMismatch`.

    ``None`` means "any unit": a literal zero (as in ``Max(0, x)``) fits every unit.
    """
    if expr.is_zero and expr.is_Number:
        return None
    if isinstance(expr, sp.Symbol):
        return parse_unit(units[expr.name])
    if expr.is_Number or isinstance(expr, (sp.core.numbers.Pi, sp.core.numbers.Exp1)):
        return ureg.dimensionless
    if isinstance(expr, sp.Mul):
        unit = ureg.dimensionless
        for arg in expr.args:
            factor = infer_unit(arg, units)
            if factor is None:
                return None
            unit = unit * factor
        return unit
    if isinstance(expr, (sp.Add, sp.Max, sp.Min)):
        first, first_arg = None, None
        for arg in expr.args:
            other = infer_unit(arg, units)
            if other is None:
                continue
            if first is None:
                first, first_arg = other, arg
            elif not same_unit(first, other):
                raise UnitMismatch(f"'{first_arg}' is in {first:~} but '{arg}' is in {other:~}")
        return first
    if isinstance(expr, sp.Abs):
        return infer_unit(expr.args[0], units)
    if isinstance(expr, sp.Heaviside):
        infer_unit(expr.args[0], units)  # any unit: only the sign matters
        return ureg.dimensionless
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        base_unit = infer_unit(base, units)
        if base_unit is None:
            return None
        if exponent.is_Number:
            return cast(pint.Unit, base_unit ** (int(exponent) if exponent.is_Integer else float(exponent)))
        exponent_unit = infer_unit(exponent, units)
        if exponent_unit is not None and not _is_one(exponent_unit):
            raise UnitMismatch(f"exponent '{exponent}' must be dimensionless")
        if not _is_one(base_unit):
            raise UnitMismatch(f"'{base}' ({base_unit:~}) is raised to a symbolic power; make the base dimensionless")
        return ureg.dimensionless
    if isinstance(expr, (sp.exp, sp.log)):
        inner = infer_unit(expr.args[0], units)
        if inner is not None and not _is_one(inner):
            raise UnitMismatch(f"the argument of {type(expr).__name__}, '{expr.args[0]}', is in {inner:~}, not dimensionless")
        return ureg.dimensionless
    raise UnitMismatch(f"cannot infer the unit of '{expr}' ({type(expr).__name__} is not supported)")
