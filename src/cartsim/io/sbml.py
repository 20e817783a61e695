"""Export a composed model (and optionally one dosing regimen) as SBML Level 3 Version 2.

The document is meant to be simulated by other tools (libroadrunner, COPASI) and to
reproduce :func:`cartsim.simulate` exactly, so it mirrors the model one to one:

* each state is a non-constant ``Parameter`` with a ``RateRule`` (states are not amounts
  in a volume, so species would only add a compartment-size convention to get wrong);
* primary parameters are constant ``Parameter`` s; derived parameters and initial states
  are ``InitialAssignment`` s, so changing e.g. ``body_weight`` in the tool and
  re-applying initial assignments gives a consistent second patient;
* each dose route has a non-constant input ``input_<route>`` (0 unless an infusion runs);
* observables are ``AssignmentRule`` s;
* doses are ``Event`` s whose assignments keep the route scale symbolic, so they follow
  the patient's parameters. Doses at one time are merged into one event: SBML evaluates
  every assignment with pre-event values, so two events adding to one state at the same
  instant would lose one dose.

Model time is in days; units are exported as SBML ``UnitDefinition`` s. Parameter values
and numbers in formulas are handed to libsbml at full double precision, but libsbml writes
them with 15 significant digits (a relative rounding below 1e-15; a dose at a time such as
day 1 + 2.5 h may fire about 1e-15 days late, so an output requested at exactly that time
can show the pre-dose value).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from xml.sax.saxutils import escape

import libsbml
import sympy as sp
from sympy.printing.precedence import precedence
from sympy.printing.str import StrPrinter

from cartsim.engine.schedule import JUMP, regimen_events
from cartsim.errors import InputError
from cartsim.model import Model, symbol
from cartsim.protocol import Regimen
from cartsim.units import parse_unit, ureg

__all__ = ["to_sbml", "l3_formula"]

# Words the L3 infix parser reads (in any case) as constants or csymbols, not as model ids.
_RESERVED = {"time", "avogadro", "pi", "e", "exponentiale", "true", "false", "inf", "infinity", "nan", "notanumber"}

# pint dimensionality -> candidate (SBML base unit, pint unit); the candidate with
# multiplier 1 is preferred (kg -> kilogram, not 1000 gram), else the first.
_BASE_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "[time]": (("second", "second"),),
    "[length] ** 3": (("litre", "liter"),),
    "[length]": (("metre", "meter"),),
    "[mass]": (("gram", "gram"), ("kilogram", "kilogram")),
    "[substance]": (("mole", "mole"),),
    "[cell_count]": (("item", "cell"),),
    "[transgene_copy]": (("item", "copy"),),
    "dimensionless": (("dimensionless", "dimensionless"),),
}
_XHTML = '<body xmlns="http://www.w3.org/1999/xhtml">{}</body>'


class _L3Printer(StrPrinter):
    """SymPy -> SBML L3 infix: ``^`` for powers, ``ln`` for the natural log, exact floats."""

    def _print_Float(self, expr: sp.Float) -> str:
        # repr round-trips a double; SymPy's str would drop the last digits.
        return repr(float(expr))

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp is sp.S.Half:
            return f"sqrt({self._print(expr.base)})"
        prec = precedence(expr)
        # strict parentheses on both sides: SBML's ^ and unary minus must not be left to precedence rules.
        return f"{self.parenthesize(expr.base, prec, strict=True)}^{self.parenthesize(expr.exp, prec, strict=True)}"

    def _print_log(self, expr: sp.log) -> str:
        # parseL3Formula reads a one-argument log() as log10 by default.
        return f"ln({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        return f"piecewise(1, geq({self._print(expr.args[0])}, 0), 0)"

    def _print_Max(self, expr: sp.Max) -> str:
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr: sp.Min) -> str:
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "exp(1)"

    def _print_Pi(self, expr: sp.Expr) -> str:
        return "pi"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        if expr.name.lower() in _RESERVED or not re.fullmatch(r"[A-Za-z_]\w*", expr.name):
            raise ValueError(f"{expr.name!r} cannot be an SBML identifier in an infix formula")
        return expr.name

    def _print_Function(self, expr: sp.Expr) -> str:
        if isinstance(expr, sp.exp):
            return f"exp({self._print(expr.args[0])})"
        raise ValueError(f"{type(expr).__name__} has no SBML export")

    def _print_Piecewise(self, expr: sp.Expr) -> str:
        raise ValueError("Piecewise has no SBML export")


def l3_formula(expr: sp.Expr) -> str:
    """Write a SymPy expression as an SBML Level 3 infix formula (for ``libsbml.parseL3Formula``).

    Parameters
    ----------
    expr
        An expression built from symbols, numbers, ``+ - * / **``, ``exp``, ``log`` (natural),
        ``sqrt``, ``Max``, ``Min`` and ``Abs``.

    Raises
    ------
    ValueError
        For a function SBML cannot express or a symbol name that is not a valid SBML id.
    """
    return _L3Printer().doprint(sp.sympify(expr))


def _math(expr: sp.Expr | str) -> libsbml.ASTNode:
    text = expr if isinstance(expr, str) else l3_formula(expr)
    node = libsbml.parseL3Formula(text)
    if node is None:
        raise ValueError(f"libsbml cannot parse {text!r}: {libsbml.getLastParseL3Error()}")
    return node


def _check(code: int, what: str) -> None:
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise RuntimeError(f"libsbml refused {what}: {libsbml.OperationReturnValue_toString(code)}")


class _Units:
    """Creates one ``UnitDefinition`` per distinct pint unit, on demand."""

    def __init__(self, sbml_model: libsbml.Model) -> None:
        self.model = sbml_model
        self.ids: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """The SBML units id for a pint unit string (``"dimensionless"`` for ``"1"``)."""
        if text in self.ids:
            return self.ids[text]
        unit = parse_unit(text)
        items = sorted(((name, float(e)) for name, e in ureg.Quantity(1.0, unit).unit_items()), key=lambda item: item[1] < 0)  # type: ignore[arg-type]
        if not items:
            return "dimensionless"
        parts = [(name, exponent, *self._base(name)) for name, exponent in items]
        if len(parts) == 1 and parts[0][1] == 1 and parts[0][3] == 1.0:
            return parts[0][2]  # a predefined SBML unit (kilogram, litre, item, ...) needs no definition
        uid = "_".join((name if e > 0 else f"per_{name}") + (f"_{abs(e):g}" if abs(e) != 1 else "") for name, e, _, _ in parts)
        uid = re.sub(r"\W", "_", uid)
        if not re.match(r"[A-Za-z]", uid) or libsbml.UnitKind_forName(uid) != libsbml.UNIT_KIND_INVALID:
            uid = f"u_{uid}"
        if uid not in self.ids.values():
            definition = self.model.createUnitDefinition()
            _check(definition.setId(uid), f"unit id {uid!r}")
            definition.setName(text)
            for _, exponent, kind, multiplier in parts:
                u = definition.createUnit()
                u.setKind(libsbml.UnitKind_forName(kind))
                u.setExponent(float(exponent))
                u.setScale(0)
                u.setMultiplier(multiplier)
        self.ids[text] = uid
        return uid

    @staticmethod
    def _base(name: str) -> tuple[str, float]:
        quantity = ureg.Quantity(1.0, name)
        candidates = _BASE_KINDS.get(str(quantity.dimensionality) or "dimensionless")
        if candidates is None:
            raise ValueError(f"unit {name!r} ({quantity.dimensionality}) has no SBML base unit in cartsim's table")
        scored = [(kind, float(quantity.to(reference).magnitude)) for kind, reference in candidates]
        return next((c for c in scored if math.isclose(c[1], 1.0, rel_tol=1e-12)), scored[0])


def _set_notes(element: libsbml.SBase, *paragraphs: str) -> None:
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    if text:
        _check(element.setNotes(_XHTML.format(text)), f"notes of {element.getId()!r}")


def _parameter(
    sbml_model: libsbml.Model, units: _Units, name: str, unit: str, constant: bool, value: float | None = None
) -> libsbml.Parameter:
    p = sbml_model.createParameter()
    _check(p.setId(name), f"parameter id {name!r}")
    p.setConstant(constant)
    if value is not None:
        p.setValue(float(value))
    p.setUnits(units(unit))
    return p


def _initial_assignment(sbml_model: libsbml.Model, name: str, expr: sp.Expr) -> None:
    assignment = sbml_model.createInitialAssignment()
    _check(assignment.setSymbol(name), f"initial assignment to {name!r}")
    _check(assignment.setMath(_math(expr)), f"initial assignment to {name!r}")


def _dose_events(model: Model, regimen: Regimen) -> dict[float, dict[str, sp.Expr]]:
    """Dose time -> {variable: increment}, from the engine's own dose rows."""
    events: dict[float, dict[str, sp.Expr]] = {}
    for t, kind, _, r, factor, per, mult in regimen_events(model, regimen, "regimen"):
        if t < 0:
            raise InputError("regimen", f"a dose at day {t:g}", "doses at or after day 0 (SBML model time starts at 0)")
        target = model.routes[r].state if kind == JUMP else model.input_names[r]
        increment = sp.Float(factor * mult) * model.route_scales[r] * (symbol(per) if per is not None else 1)
        at = events.setdefault(t, {})
        at[target] = at.get(target, sp.S.Zero) + increment
    return events


def _add_event(sbml_model: libsbml.Model, index: int, t: float, increments: dict[str, sp.Expr]) -> None:
    event = sbml_model.createEvent()
    _check(event.setId(f"dose_event_{index}"), "event id")
    event.setName(f"doses at day {t!r}")
    event.setUseValuesFromTriggerTime(True)
    trigger = event.createTrigger()
    # initialValue=false makes a dose at day 0 fire at the start of the simulation.
    trigger.setInitialValue(False)
    trigger.setPersistent(True)
    _check(trigger.setMath(_math(f"time >= {t!r}")), "event trigger")
    for target, increment in increments.items():
        assignment = event.createEventAssignment()
        assignment.setVariable(target)
        _check(assignment.setMath(_math(f"{target} + ({l3_formula(increment)})")), f"dose assignment to {target!r}")


def to_sbml(model: Model, regimen: Regimen | None = None, parameters: Mapping[str, float] | None = None) -> str:
    """Write ``model`` (and one regimen's doses) as an SBML Level 3 Version 2 document.

    Parameters
    ----------
    model
        A composed model (e.g. :func:`cartsim.first_model`).
    regimen
        Doses to include as SBML events (one regimen for the whole document); ``None`` for none.
    parameters
        Primary parameter values (in the model's units) that replace the typical values,
        e.g. one patient's; derived parameters and initial states follow them.

    Returns
    -------
    str
        The SBML document as XML.

    Raises
    ------
    InputError
        For an unknown or non-finite parameter override, or a regimen the model cannot take.
    ValueError
        For an expression SBML cannot express.
    """
    overrides = dict(parameters or {})
    for name, value in overrides.items():
        if name not in model.parameter_names:
            raise InputError("parameters", name, f"a parameter of the model ({', '.join(sorted(model.parameter_names))})")
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise InputError(f"parameters[{name!r}]", value, f"a finite number in {model.parameter(name).unit}")

    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    _check(m.setId(re.sub(r"\W", "_", model.name) if re.match(r"[A-Za-z_]", model.name) else f"m_{model.name}"), "model id")
    m.setName(model.name)
    units = _Units(m)
    m.setTimeUnits(units("day"))
    _set_notes(
        m,
        f"Exported by cartsim from model {model.name!r} (hash {model.hash}). Time is in days.",
        "States are parameters with rate rules; doses are events. A research tool, not medical advice.",
    )
    # SBML tools expect a compartment; every state is a parameter, so it holds nothing.
    compartment = m.createCompartment()
    compartment.setId("default_compartment")
    compartment.setSize(1.0)
    compartment.setSpatialDimensions(3)
    compartment.setUnits("litre")
    compartment.setConstant(True)

    for p in model.parameters:
        _set_notes(_parameter(m, units, p.name, p.unit, True, overrides.get(p.name, p.value)), f"source: {p.source}", p.description)
    for d in model.derived:
        _set_notes(_parameter(m, units, d.name, d.unit, True), d.description)
        _initial_assignment(m, d.name, d.expr)
    for state, rate, initial in zip(model.states, model.rhs, model.initial, strict=False):
        _set_notes(_parameter(m, units, state.name, state.unit, False), state.description)
        _initial_assignment(m, state.name, initial)
        rule = m.createRateRule()
        rule.setVariable(state.name)
        _check(rule.setMath(_math(rate)), f"rate of {state.name!r}")
    for route, name in zip(model.routes, model.input_names, strict=False):
        _set_notes(
            _parameter(m, units, name, f"({model.unit_of(route.state)})/day", False, 0.0),
            f"infusion rate into {route.state} ({route.description}); changed by dose events",
        )
    for o in model.observables:
        _set_notes(_parameter(m, units, o.name, o.unit, False), o.description)
        rule = m.createAssignmentRule()
        rule.setVariable(o.name)
        _check(rule.setMath(_math(o.expr)), f"observable {o.name!r}")

    if regimen is not None:
        for i, (t, increments) in enumerate(sorted(_dose_events(model, regimen).items())):
            _add_event(m, i, t, increments)
    return libsbml.writeSBMLToString(doc)
