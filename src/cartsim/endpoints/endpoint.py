"""What an endpoint is: one object with its options, checks, horizon rule, computation and words.

An :class:`Endpoint` is computed per virtual patient from a simulation's observables. Its
*kind* says what the value is: a number of ``"days"`` (an event time, censored at the
horizon when the event does not happen), a ``"number"``, or ``"boolean"`` (true/false as
1.0/0.0). Options are checked before anything is simulated (:meth:`Endpoint.validate`,
:meth:`Endpoint.check_fits`); quantities with units (``threshold = "10 cells/uL"``) are kept
as given and converted when computed. Adding an endpoint means writing one of these.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from cartsim.endpoints.values import EndpointContext, EndpointValues, Window, observation_window
from cartsim.errors import InputError, UnitError
from cartsim.units import parse_quantity, parse_unit

if TYPE_CHECKING:
    from cartsim.endpoints.wording import ArmWords
    from cartsim.model import Therapy
    from cartsim.protocol import Treatment

__all__ = ["KINDS", "Endpoint", "Option"]

#: Kinds of endpoint value.
KINDS = ("days", "number", "boolean")

Compute = Callable[[Window, Mapping[str, Any], EndpointContext], "tuple[np.ndarray, np.ndarray]"]
Sentence = Callable[[Mapping[str, Any], "ArmWords"], "str | None"]


@dataclass(frozen=True)
class Option:
    """One endpoint option.

    ``kind`` is ``"day"`` (a number of days >= 0), ``"number"`` (a finite number; the
    endpoint's rule says which), ``"quantity"`` (a string with a unit convertible to
    ``unit``), ``"choice"`` (one of ``choices``) or ``"index"`` (a whole number >= 0). ``default`` None with ``required`` False means "decided when computed"
    (the last dose, for ``dose_index``).
    """

    name: str
    kind: str
    description: str
    default: Any = None
    required: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()

    def check(self, value: Any, field: str) -> Any:
        """The value, checked (days become floats; quantities stay strings with units)."""
        if value is None and not self.required:
            return None
        if self.kind == "day":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise InputError(field, value, "a number of days >= 0")
            return float(value)
        if self.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(field, value, "a finite number")
            return float(value)
        if self.kind == "index":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(field, value, "a whole number >= 0 (doses counted from 0 in time order)")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise InputError(field, value, "one of " + ", ".join(repr(c) for c in self.choices))
            return value
        example = f"'{self.default}'"
        quantity = parse_quantity(value, field, example)
        try:
            quantity.to(parse_unit(self.unit))
        except pint.DimensionalityError:
            raise UnitError(field, value, f"a quantity convertible to {self.unit}, e.g. {example}") from None
        return value


def _no_rule(options: Mapping[str, Any], field: str) -> None:
    return None


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the catalogue.

    Parameters
    ----------
    name, description
        Its name (used in targets and scenario files) and what it measures.
    kind, unit
        ``"days"``, ``"number"`` or ``"boolean"``, and the unit of the value.
    observables
        What it reads (``"drug concentration"`` stands for the regimen's drug's observable).
    compute
        ``compute(window, options, context) -> (values, censored)`` per patient.
    options
        Its options.
    needs
        A therapy kind the regimen must contain (``"antibody"``, ``"cell therapy"``), or ``""``.
    horizon_after_last_dose
        Default horizon when a target gives none: this many days after the last dose, unless
        a day option ends it (days).
    rule
        Checks between options (``to_day`` after ``from_day``), raising InputError.
    words
        What it is in words a patient would use ("when B cells came back").
    sentence
        One plain-language sentence about an arm's summary row, or None.
    statistic
        The statistic a trial reports by default (empty: ``fraction`` for true/false, else ``median``).
    """

    name: str
    description: str
    kind: str
    unit: str
    observables: tuple[str, ...]
    compute: Compute
    options: tuple[Option, ...] = ()
    needs: str = ""
    horizon_after_last_dose: float = 365.0
    rule: Callable[[Mapping[str, Any], str], None] = _no_rule
    words: str = ""
    sentence: Sentence | None = None
    statistic: str = ""

    @property
    def default_statistic(self) -> str:
        return self.statistic or ("fraction" if self.kind == "boolean" else "median")

    def default_options(self, horizon: float) -> dict[str, Any]:
        """Options for a trial that names only the endpoint: every required day is the horizon."""
        return {o.name: horizon for o in self.options if o.required and o.kind == "day"}

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def validate(self, options: Mapping[str, Any] | None, field: str = "endpoint_options") -> Mapping[str, Any]:
        """Check the options as given and fill in the defaults (read-only mapping).

        Raises
        ------
        InputError
            Unknown option, missing required option, wrong type, unit that does not convert.
        """
        given = {} if options is None else options
        if not isinstance(given, Mapping):
            raise InputError(field, given, "a table of options such as { threshold = '10 cells/uL' }")
        names = [o.name for o in self.options]
        for key in given:
            if key not in names:
                allowed = (f"the options of {self.name}: " + ", ".join(names)) if names else f"none ({self.name} takes no options)"
                raise InputError(f"{field}.{key}", given[key], allowed)
        out: dict[str, Any] = {}
        for option in self.options:
            if option.name in given:
                out[option.name] = option.check(given[option.name], f"{field}.{option.name}")
            elif option.required:
                raise InputError(f"{field}.{option.name}", None, f"{option.description} (required for {self.name})")
            else:
                out[option.name] = option.default
        self.rule(out, field)
        return MappingProxyType(out)

    def fits(self, therapy: Therapy) -> bool:
        """Whether ``therapy`` is what this endpoint needs (exposure endpoints: a drug with a serum concentration)."""
        return bool(therapy.concentration) if self.needs == "antibody" else therapy.kind == self.needs

    def applies_to(self, treatment: Treatment) -> bool:
        """Whether the regimen allows this endpoint (exposure endpoints need a drug, CAR-T ones a CAR-T)."""
        return not self.needs or any(self.fits(t) for t in treatment.therapies)

    def requirement(self, therapies: Iterable[Therapy]) -> str:
        """What a regimen needs for this endpoint, naming the therapies that qualify."""
        names = [t.name for t in therapies if self.fits(t)]
        return f"an endpoint the regimen allows: {self.name} needs " + (" or ".join(names) if names else f"a {self.needs} therapy")

    def default_horizon(self, options: Mapping[str, Any], treatment: Treatment) -> float:
        """A horizon (days) long enough for the endpoint: its day option, else after the last dose."""
        for key in ("day", "by_day", "to_day"):
            if options.get(key) is not None:
                return float(options[key])
        days = treatment.antibody_dose_days if self.needs == "antibody" else treatment.dose_days
        last = max([0.0, *days])
        if self.needs == "antibody" and len(days) > 1:
            return last + max(days[-1] - days[-2], 1.0)  # the last dosing interval
        return last + self.horizon_after_last_dose

    def check_fits(self, options: Mapping[str, Any], treatment: Treatment, horizon: float, field: str) -> None:
        """Options that depend on the regimen or the horizon (``field`` names the options' table).

        Raises
        ------
        InputError
            A day beyond the horizon, a regimen without what the endpoint needs, a dose index
            beyond the regimen's doses or a dosing interval that ends after the horizon.
        """
        for key in ("day", "by_day", "to_day", "from_day"):
            if options.get(key) is not None and options[key] > horizon:
                raise InputError(f"{field}.{key}", options[key], f"a day within the horizon (0 to {horizon:g})")
        if options.get("from") == "last_dose" and not treatment.dose_days:
            raise InputError(f"{field}.from", "last_dose", "'day0' (the regimen has no doses)")
        if self.needs == "antibody" and treatment.drug is not None:
            days = treatment.antibody_dose_days
            index = options.get("dose_index")
            if index is not None and index >= len(days):
                raise InputError(f"{field}.dose_index", index, f"a dose of {treatment.antibody}: 0 to {len(days) - 1} (in time order)")
            start, end = dosing_interval(days, index, horizon)
            if start >= horizon:
                raise InputError("horizon_days", horizon, f"a horizon after the {treatment.antibody} dose of day {start:g}")
            if end > horizon:
                raise InputError("horizon_days", horizon, f"a horizon of at least day {end:g}, the end of that dosing interval")

    def evaluate(
        self, result: Any, options: Mapping[str, Any] | None = None, context: EndpointContext = EndpointContext()
    ) -> EndpointValues:
        """The endpoint for every patient of a simulation (``Simulation``, ``CohortResult`` or Dataset)."""
        checked = self.validate(options)
        data = observation_window(result, context.horizon_days)
        values, censored = self.compute(data, checked, context)
        return EndpointValues(np.where(data.ok, values, np.nan), censored & data.ok)


def dosing_interval(days: tuple[float, ...], index: int | None, horizon: float) -> tuple[float, float]:
    """Start and end of the dosing interval of dose ``index`` (None: the last).

    It ends at the next dose; the last dose's interval is as long as the one before it, and a
    single dose's runs to the horizon (there is no interval to repeat).
    """
    k = len(days) - 1 if index is None else index
    if k + 1 < len(days):
        return days[k], days[k + 1]
    if k > 0:
        return days[k], days[k] + days[k] - days[k - 1]
    return days[k], horizon
