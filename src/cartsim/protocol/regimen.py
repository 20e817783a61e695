"""Doses and regimens as small immutable values.

A :class:`Dose` gives *what* enters the body (a dose route of the model and an amount with
units), *when* (``day``, relative to day 0), and *how* (a bolus when ``duration`` is zero,
else a zero-order infusion), optionally repeated ``count`` times every ``every_days``.
Amounts are checked when the dose is made; whether the model has the route and whether the
unit fits it is checked by :func:`cartsim.simulate`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pint

from cartsim.checks import number
from cartsim.errors import InputError
from cartsim.units import parse_quantity, ureg

__all__ = ["Dose", "Regimen", "MAX_DOSES"]

#: Upper limit on the number of doses in one regimen (guards against runaway repeats).
MAX_DOSES = 10_000


def _duration_days(value: str | float, field_name: str) -> float:
    if isinstance(value, str):
        quantity = parse_quantity(value, field_name, "'2.5 h' or '1 day'")
        try:
            return float(quantity.to(ureg.day).magnitude)
        except pint.DimensionalityError:
            raise InputError(field_name, value, "a duration such as '2.5 h' or '1 day'") from None
    return number(value, field_name, "a non-negative number of days or a string such as '2.5 h'", 0.0)


@dataclass(frozen=True)
class Dose:
    """One administration, possibly repeated.

    Parameters
    ----------
    route
        Name of a dose route of the model (``"ocrelizumab_iv"``, ``"cart_infusion"``).
    amount
        Amount with units: ``"600 mg"``, ``"1e8 cells"``, or per body weight ``"1e6 cells/kg"``.
    day
        Time of the (first) dose, in days.
    duration
        Infusion duration (``"3.5 h"`` or days as a number); 0 means an instantaneous bolus.
    every_days, count
        Repeat the dose ``count`` times, ``every_days`` apart.
    """

    route: str
    amount: str
    day: float = 0.0
    duration: str | float = 0.0
    every_days: float | None = None
    count: int = 1
    quantity: pint.Quantity = field(init=False, repr=False, compare=False)
    duration_days: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.route, str) or not self.route.isidentifier():
            raise InputError("dose.route", self.route, "the name of one of the model's dose routes")
        object.__setattr__(self, "quantity", parse_quantity(self.amount, "dose.amount", "'600 mg' or '1e6 cells/kg'"))
        object.__setattr__(self, "day", number(self.day, "dose.day", "a finite number of days"))
        object.__setattr__(self, "duration_days", _duration_days(self.duration, "dose.duration"))
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= MAX_DOSES:
            raise InputError("dose.count", self.count, f"a whole number from 1 to {MAX_DOSES}")
        if self.every_days is not None:
            object.__setattr__(self, "every_days", number(self.every_days, "dose.every_days", "a number of days > 0", 0.0))
            if self.every_days == 0:
                raise InputError("dose.every_days", self.every_days, "a number of days > 0")
        elif self.count > 1:
            raise InputError("dose.every_days", None, "a number of days > 0 when count > 1")

    @property
    def times(self) -> np.ndarray:
        """Days of every administration of this dose."""
        step = self.every_days or 0.0
        return self.day + step * np.arange(self.count, dtype=float)


@dataclass(frozen=True)
class Regimen:
    """An ordered collection of doses (may be empty: no therapy)."""

    doses: tuple[Dose, ...] = ()

    def __post_init__(self) -> None:
        doses = tuple(self.doses)
        for i, d in enumerate(doses):
            if not isinstance(d, Dose):
                raise InputError(f"regimen.doses[{i}]", d, "a cartsim.Dose")
        if sum(d.count for d in doses) > MAX_DOSES:
            raise InputError("regimen", f"{sum(d.count for d in doses)} doses", f"at most {MAX_DOSES} doses in total")
        object.__setattr__(self, "doses", doses)

    @classmethod
    def of(cls, *doses: Dose) -> Regimen:
        return cls(tuple(doses))

    def __add__(self, other: Regimen) -> Regimen:
        return Regimen(self.doses + other.doses)

    def __iter__(self) -> Iterable[Dose]:  # type: ignore[override]
        return iter(self.doses)

    def __len__(self) -> int:
        return len(self.doses)

    @property
    def routes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.route for d in self.doses))
