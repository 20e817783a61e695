"""Parameters as data: value, unit, bounds, between-patient variability and source.

Parameter values live in parameter sets, one per publication (``cartsim.parameters``),
never in rate laws. A :class:`ParameterSet` is an immutable collection; combine sets with
:meth:`ParameterSet.union` and change values with :meth:`ParameterSet.replace`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cartsim.errors import InputError, ModelDefinitionError

__all__ = ["Change", "LogNormal", "Parameter", "ParameterSet"]


@dataclass(frozen=True)
class LogNormal:
    """Log-normal between-patient variability: ``value_i = value * exp(omega * z_i)``, z ~ N(0, 1).

    ``omega`` is the standard deviation of log(value) (for NONMEM-style ``omega^2`` give
    ``omega = sqrt(omega^2)``).
    """

    omega: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.omega) and self.omega >= 0):
            raise InputError("variability.omega", self.omega, "a finite number >= 0")


@dataclass(frozen=True)
class Parameter:
    """One parameter value with everything needed to trace it.

    Parameters
    ----------
    name
        The symbol used in the modules' rate laws.
    value
        Typical (population) value, in ``unit``.
    unit
        A pint unit string (``"1/day"``, ``"cells/uL"``, ``"L"``).
    source
        A bibliography key (``"Stein2019"``) or ``"assumption: <one-line reason>"``.
    bounds
        Allowed range of the value (inclusive), in ``unit``.
    variability
        Between-patient variability, or ``None`` for a fixed parameter.
    """

    name: str
    value: float
    unit: str
    source: str
    bounds: tuple[float, float] = (0.0, math.inf)
    variability: LogNormal | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.source or not self.source.strip():
            raise ModelDefinitionError(f"parameter {self.name!r}", "has no source (give a citation key or 'assumption: why')")
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"parameter {self.name!r}.value", value, "a finite number")
        low, high = self.bounds
        if not low <= value <= high:
            raise InputError(f"parameter {self.name!r}.value", value, f"a number in [{low}, {high}] {self.unit}")
        object.__setattr__(self, "value", float(value))

    @property
    def is_assumption(self) -> bool:
        return self.source.strip().lower().startswith("assumption")


@dataclass(frozen=True)
class Change:
    """A change to one parameter: its typical value, its between-patient spread, or both, with a source.

    Populations, hypotheses and scenario files are made of changes; :meth:`cartsim.Model.with_changes`
    applies them.

    Parameters
    ----------
    name
        The parameter.
    value
        New typical value in ``unit`` (None: keep the model's value).
    source
        A bibliography key or ``"assumption: <why>"`` (required: every value in cartsim is traceable).
    omega
        New log-normal spread (standard deviation of log value; 0: the same value for every
        patient; None: keep the model's spread).
    unit
        Unit of ``value`` (None: the unit the model declares for the parameter).
    """

    name: str
    value: float | None = None
    source: str = ""
    omega: float | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise InputError("change.name", self.name, "a parameter name")
        where = f"parameters.{self.name}"
        if not isinstance(self.source, str) or not self.source.strip():
            raise ModelDefinitionError(where, "has no source (give a citation key or 'assumption: why')")
        for label, number in (("value", self.value), ("omega", self.omega)):
            if number is not None and (isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number)):
                raise InputError(f"{where}.{label}", number, "a finite number")
        if self.omega is not None and self.omega < 0:
            raise InputError(f"{where}.omega", self.omega, "a log-normal spread >= 0 (0: no spread)")
        if self.value is None and self.omega is None:
            raise InputError(where, "no value and no omega", "a new value, a new spread (omega), or both")


@dataclass(frozen=True)
class ParameterSet:
    """A named, immutable collection of parameters (names are unique)."""

    name: str
    parameters: tuple[Parameter, ...] = field(default=())

    def __post_init__(self) -> None:
        params = tuple(self.parameters)
        seen: set[str] = set()
        for p in params:
            if p.name in seen:
                raise ModelDefinitionError(f"parameter set {self.name!r}", f"parameter {p.name!r} is given twice")
            seen.add(p.name)
        object.__setattr__(self, "parameters", params)

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self.parameters)

    def __getitem__(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def __len__(self) -> int:
        return len(self.parameters)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def union(self, *others: ParameterSet, name: str | None = None) -> ParameterSet:
        """Combine sets; a parameter given by two sets is an error (use :meth:`replace`)."""
        combined = list(self.parameters)
        for other in others:
            clash = set(other.names) & {p.name for p in combined}
            if clash:
                raise ModelDefinitionError(
                    f"parameter sets {self.name!r} and {other.name!r}", f"both give {sorted(clash)}; use replace() to override"
                )
            combined.extend(other.parameters)
        label = name or "+".join([self.name, *(o.name for o in others)])
        return ParameterSet(label, tuple(combined))

    def replace(self, overrides: Iterable[Parameter] | Mapping[str, float], name: str | None = None) -> ParameterSet:
        """A new set with some parameters replaced (whole :class:`Parameter` values or new numbers)."""
        if isinstance(overrides, Mapping):
            for key in overrides:
                if key not in self:
                    raise InputError("parameter", key, f"one of the set's parameters: {', '.join(sorted(self.names))}")
            params = tuple(replace(p, value=overrides[p.name]) if p.name in overrides else p for p in self.parameters)
        else:
            new = {p.name: p for p in overrides}
            params = tuple(new.pop(p.name, p) for p in self.parameters) + tuple(new.values())
        return ParameterSet(name or self.name, params)
