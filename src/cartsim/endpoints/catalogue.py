"""The endpoint catalogue: every endpoint of ``TARGETS.md``, its options and its kind of value.

An endpoint is computed per virtual patient (:func:`cartsim.endpoints.compute_endpoint`).
Its *kind* says what the value is: a number of ``"days"`` (an event time, censored at the
horizon when the event does not happen), a ``"number"``, or ``"boolean"`` (true/false as
1.0/0.0). Options are checked here, before anything is simulated; quantities with units
(``threshold = "10 cells/uL"``) are kept as given and converted when computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

import pint

from cartsim.errors import InputError, UnitError
from cartsim.units import parse_quantity, parse_unit

__all__ = ["ENDPOINTS", "EndpointSpec", "Option", "default_horizon", "endpoint_spec", "validate_options"]

#: Kinds of endpoint value.
KINDS = ("days", "number", "boolean")


@dataclass(frozen=True)
class Option:
    """One endpoint option.

    ``kind`` is ``"day"`` (a number of days >= 0), ``"quantity"`` (a string with a unit
    convertible to ``unit``), ``"choice"`` (one of ``choices``) or ``"index"`` (a whole
    number >= 0). ``default`` None with ``required`` False means "decided when computed"
    (the last dose, for ``dose_index``).
    """

    name: str
    kind: str
    description: str
    default: Any = None
    required: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndpointSpec:
    """What an endpoint computes, its options and the observables it reads.

    ``observables`` may contain ``"{antibody}_concentration"``, filled in with the antibody of
    the regimen; ``needs`` is ``"antibody"`` or ``"car"`` when the regimen must contain one.
    """

    name: str
    description: str
    kind: str
    unit: str
    observables: tuple[str, ...]
    options: tuple[Option, ...] = ()
    needs: str = ""

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)


def _threshold(default: str) -> Option:
    return Option("threshold", "quantity", "B-cell level that counts as depleted", default, unit="cells/uL")


_DAY = Option("day", "day", "day of the measurement (from day 0)", required=True)
_FROM = Option("from", "choice", "count days from day 0 or from the last dose of the regimen", "day0", choices=("day0", "last_dose"))
_DOSE_INDEX = Option("dose_index", "index", "which dose of the antibody (from 0, in time order; default the last)")


def _change(name: str, observable: str, what: str) -> EndpointSpec:
    return EndpointSpec(name, f"change of {what} from day 0, in percent", "number", "%", (observable,), (_DAY,))


_SPECS = (
    EndpointSpec("bcell_depletion_day", "first day blood CD19+ B cells are below the threshold", "days", "day", ("bcells_blood",), (_threshold("10 cells/uL"),)),
    EndpointSpec(
        "bcell_recovery_day", "first day, after depletion, that blood B cells are at or above the threshold", "days", "day",
        ("bcells_blood",), (_threshold("10 cells/uL"), _FROM),
    ),
    EndpointSpec("bcell_naive_fraction", "naive share of blood B cells", "number", "1", ("bcells_blood", "bcells_naive_blood"), (_DAY,)),
    EndpointSpec("cart_peak_day", "day of the blood CAR-T peak", "days", "day", ("cart_blood",), needs="car"),
    EndpointSpec("cart_peak_cells_per_uL", "height of the blood CAR-T peak", "number", "cells/uL", ("cart_blood",), needs="car"),
    EndpointSpec(
        "cart_detectable", "blood CAR-T at or above the limit of detection", "boolean", "1", ("cart_blood",),
        (_DAY, Option("lod", "quantity", "limit of detection", "0.1 cells/uL", unit="cells/uL")), needs="car",
    ),
    EndpointSpec("crs_max_grade", "highest ASTCT cytokine release syndrome grade (0-5)", "number", "grade", ("crs_grade",)),
    EndpointSpec("icans_max_grade", "highest ASTCT ICANS grade (0-5)", "number", "grade", ("icans_grade",)),
    _change("total_igg_change_pct", "igg_total", "total IgG"),
    _change("protective_igg_change_pct", "igg_protective", "protective (vaccine/pathogen) IgG"),
    _change("autoantibody_change_pct", "autoantibody", "the autoantibody titre"),
    EndpointSpec("igg_below_lln", "total IgG below 7 g/L", "boolean", "1", ("igg_total",), (_DAY,)),
    EndpointSpec(
        "drug_cmax_ug_per_mL", "highest antibody concentration in one dosing interval", "number", "ug/mL",
        ("{antibody}_concentration",), (_DOSE_INDEX,), needs="antibody",
    ),
    EndpointSpec(
        "drug_auc_tau_ug_day_per_mL", "area under the antibody concentration over one dosing interval", "number", "ug*day/mL",
        ("{antibody}_concentration",), (_DOSE_INDEX,), needs="antibody",
    ),
    EndpointSpec(
        "drug_terminal_half_life_days", "half-life of the terminal log-linear phase after the last dose", "number", "day",
        ("{antibody}_concentration",), needs="antibody",
    ),
    EndpointSpec(
        "annualized_relapse_rate", "relapses per year between from_day and to_day", "number", "1/year",
        ("relapse_cumulative_hazard",),
        (Option("from_day", "day", "start of the counting window", 0.0), Option("to_day", "day", "end of the counting window", required=True)),
    ),
    EndpointSpec(
        "cdp12", "12-week confirmed disability progression by by_day", "boolean", "1", ("progression_cumulative_hazard",),
        (Option("by_day", "day", "day by which progression must be confirmed", required=True),),
    ),
)

#: Every endpoint, by name (read-only).
ENDPOINTS: Mapping[str, EndpointSpec] = MappingProxyType({s.name: s for s in _SPECS})


def endpoint_spec(name: Any, field: str = "endpoint") -> EndpointSpec:
    """The spec of endpoint ``name``; an unknown name is an :class:`InputError` listing them all."""
    if not isinstance(name, str) or name not in ENDPOINTS:
        raise InputError(field, name, "one of " + ", ".join(ENDPOINTS))
    return ENDPOINTS[name]


def _check(option: Option, value: Any, field: str) -> Any:
    if option.kind == "day":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise InputError(field, value, "a number of days >= 0")
        return float(value)
    if option.kind == "index":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(field, value, "a whole number >= 0 (doses counted from 0 in time order)")
        return value
    if option.kind == "choice":
        if value not in option.choices:
            raise InputError(field, value, "one of " + ", ".join(repr(c) for c in option.choices))
        return value
    example = f"'{option.default}'"
    quantity = parse_quantity(value, field, example)
    try:
        quantity.to(parse_unit(option.unit))
    except pint.DimensionalityError:
        raise UnitError(field, value, f"a quantity convertible to {option.unit}, e.g. {example}") from None
    return value


def validate_options(name: str, options: Mapping[str, Any] | None, field: str = "endpoint_options") -> Mapping[str, Any]:
    """Check an endpoint's options and fill in the defaults.

    Parameters
    ----------
    name
        Endpoint name (a key of :data:`ENDPOINTS`).
    options
        The options as given (``{"threshold": "1 cells/uL", "from": "day0"}``), or None.
    field
        Name of the options in error messages.

    Returns
    -------
    Mapping
        Every option of the endpoint, as given or by default (read-only). Days become floats;
        quantities stay strings with units. ``dose_index`` is None for "the last dose".

    Raises
    ------
    InputError
        Unknown endpoint or option, missing required option, wrong type, unit that does not convert.
    """
    spec = endpoint_spec(name)
    given = {} if options is None else options
    if not isinstance(given, Mapping):
        raise InputError(field, given, "a table of options such as { threshold = '10 cells/uL' }")
    names = [o.name for o in spec.options]
    for key in given:
        if key not in names:
            allowed = ("the options of " + name + ": " + ", ".join(names)) if names else f"none ({name} takes no options)"
            raise InputError(f"{field}.{key}", given[key], allowed)
    out: dict[str, Any] = {}
    for option in spec.options:
        if option.name in given:
            out[option.name] = _check(option, given[option.name], f"{field}.{option.name}")
        elif option.required:
            raise InputError(f"{field}.{option.name}", None, f"{option.description} (required for {name})")
        else:
            out[option.name] = option.default
    if name == "annualized_relapse_rate" and out["to_day"] <= out["from_day"]:
        raise InputError(f"{field}.to_day", out["to_day"], f"a day after from_day ({out['from_day']:g})")
    if name == "cdp12" and out["by_day"] < 84:
        raise InputError(f"{field}.by_day", out["by_day"], "a day >= 84 (progression must be confirmed 12 weeks later)")
    return MappingProxyType(out)


def default_horizon(name: str, options: Mapping[str, Any], last_dose_day: float = 0.0) -> float:
    """A horizon (days) long enough for the endpoint, when a target does not give one.

    Day-based endpoints end on their day; event times get room for the event to happen
    (two years for B-cell recovery after the last dose, 24 weeks after the last antibody dose).
    """
    for key in ("day", "by_day", "to_day"):
        if options.get(key) is not None:
            return float(options[key])
    last = max(last_dose_day, 0.0)
    if name == "bcell_recovery_day":
        return last + 730.0
    if name.startswith("drug_"):
        return last + 168.0
    if name.startswith("cart_"):
        return 90.0
    if name in ("crs_max_grade", "icans_max_grade"):
        return 60.0
    return 365.0
