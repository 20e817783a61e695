"""What a biology module declares: states, parameters, quantities, rates, doses.

A :class:`Module` is a small immutable value. It names the quantities it *reads* and the ones
it *provides* (exactly one module provides a quantity) or *contributes* to (a quantity that is
the sum of every module's contribution, zero when no module contributes: the CD20 killing
rate of several antibodies, the CD19 antigen of B cells, plasmablasts and tumour). The
composer (:func:`cartsim.model.compose`) wires modules by these names, so no module imports
another.

Expressions are strings in SymPy syntax over the module's own names (``"k_kill * cart * B"``).
They are parsed, checked for unknown symbols and for unit consistency when the model is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cartsim.model.therapy import Therapy

__all__ = ["State", "Quantity", "Expression", "DoseRoute", "Module"]


@dataclass(frozen=True)
class Quantity:
    """A named symbol with a unit: a parameter a module uses, or a quantity it reads.

    A read marked ``optional`` is zero when no module provides or contributes to it (a
    killing rate from a drug that the model does not include); any other read without a
    source is a model-definition error.
    """

    name: str
    unit: str
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Expression:
    """A named expression with its unit: a derived parameter, a provided quantity or an observable."""

    name: str
    expr: str
    unit: str
    description: str = ""


@dataclass(frozen=True)
class State:
    """A state variable. ``initial`` is an expression in parameters (usually the steady state).

    ``nonnegative``: an amount that cannot fall below zero (cells, drug, a fraction). The
    engines report such a state's solver round-off below zero as 0 and a patient whose value
    falls further than :data:`cartsim.engine.result.NEGATIVE_FLOOR` atol below zero as failed.
    """

    name: str
    unit: str
    initial: str
    description: str = ""
    nonnegative: bool = True


@dataclass(frozen=True)
class DoseRoute:
    """How an administered amount enters a state.

    A bolus of ``amount`` (in ``unit``) adds ``amount * scale`` to ``state``; a zero-order
    infusion adds ``amount * scale / duration`` per day while it runs. ``scale`` is an
    expression in parameters with unit ``state unit / unit``.

    ``conserved``, when given, is the amount of what the route delivered that is still in the
    body or has left it (its compartments plus an accumulator of everything cleared), in the
    state's unit. The model then has an observable :attr:`accounted` with it, and every solve
    checks it against the doses given so far: a patient whose doses are not accounted for (a
    dose lost, or drug created, by the solver or by the model) fails with
    :attr:`~cartsim.engine.Status.CONSERVATION`.
    """

    name: str
    state: str
    unit: str
    scale: str = "1"
    description: str = ""
    conserved: str = ""

    @property
    def accounted(self) -> str:
        """Name of the observable holding :attr:`conserved` (when the route has one)."""
        return f"{self.name}_accounted"


def _pairs(value: Mapping[str, str] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), str(v)) for k, v in items)


@dataclass(frozen=True)
class Module:
    """One biological process: its states, parameters and rate laws.

    Parameters
    ----------
    name
        Short identifier (``"cart_kinetics"``).
    description
        One line on what the module represents.
    states, parameters, derived, reads, provides, contributes, observables, doses
        See :class:`State`, :class:`Quantity`, :class:`Expression`, :class:`DoseRoute`.
        A read quantity must be provided by one module or be a sum of contributions.
    rates
        Mapping ``state name -> d(state)/dt`` expression, one entry for each state.
    therapies
        The therapies this module represents (:class:`~cartsim.model.therapy.Therapy`): how
        regimen entries naming them become doses on its routes and parameter switches.
    references
        Citation keys for the module's structure (its parameters cite their own sources).
    """

    name: str
    description: str
    states: tuple[State, ...] = ()
    parameters: tuple[Quantity, ...] = ()
    derived: tuple[Expression, ...] = ()
    reads: tuple[Quantity, ...] = ()
    provides: tuple[Expression, ...] = ()
    contributes: tuple[Expression, ...] = ()
    rates: Mapping[str, str] | tuple[tuple[str, str], ...] = field(default=())
    observables: tuple[Expression, ...] = ()
    doses: tuple[DoseRoute, ...] = ()
    therapies: tuple[Therapy, ...] = ()
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rates", _pairs(self.rates))
        for name in (
            "states",
            "parameters",
            "derived",
            "reads",
            "provides",
            "contributes",
            "observables",
            "doses",
            "therapies",
            "references",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def rate_items(self) -> tuple[tuple[str, str], ...]:
        """The rate laws as ``(state, expression)`` pairs, in the order given."""
        return _pairs(self.rates)

    @property
    def rate_map(self) -> dict[str, str]:
        """The rate laws as a dictionary (a fresh copy)."""
        return dict(self.rate_items)
