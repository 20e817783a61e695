"""Regimen entries read with the therapies' own declarations, turned into doses and model switches.

A regimen entry is a small table such as ``{ therapy = "ocrelizumab", day = 0, dose = "300 mg" }``
(the targets format). Which therapies exist, and what their entries hold, is declared by the
biology modules (:class:`cartsim.model.Therapy`, in each module's ``therapies``): the catalogue
of a model is :func:`therapy_catalogue` of its modules, plus placebo. :func:`parse_regimen`
checks every entry against its therapy and returns a :class:`Treatment`: the
:class:`~cartsim.protocol.Regimen` of doses on the model's dose routes, the parameter values
that switch therapy-specific biology on, and the therapies given.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pint

from cartsim.checks import MAX_DAYS, number, whole
from cartsim.errors import CartsimWarning, InputError, UnitError
from cartsim.model import PLACEBO, Module, Therapy
from cartsim.model.therapy import Administration
from cartsim.protocol.regimen import MAX_DOSES, Dose, Regimen
from cartsim.units import parse_quantity, ureg

__all__ = ["Treatment", "default_therapies", "parse_regimen", "therapy_catalogue"]


@dataclass(frozen=True)
class Treatment:
    """A parsed regimen: doses, model switches and the therapies given.

    Attributes
    ----------
    regimen
        The doses, on the model's dose routes.
    parameters
        Parameter values the therapies set (``cart_targets_cd19``, ``interferon_on``, ...).
    therapies
        The therapy of each entry, in file order.
    """

    regimen: Regimen
    parameters: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    therapies: tuple[Therapy, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The therapy names of the entries, in file order."""
        return tuple(t.name for t in self.therapies)

    def has(self, kind: str) -> bool:
        """Whether some entry is a therapy of this kind (``"cell therapy"``, ``"antibody"``, ...)."""
        return any(t.kind == kind for t in self.therapies)

    @property
    def drug(self) -> Therapy | None:
        """The therapy whose serum concentration the exposure endpoints read (one per regimen), if any."""
        return next((t for t in self.therapies if t.concentration), None)

    @property
    def antibody(self) -> str | None:
        """The name of :attr:`drug`, or None."""
        return None if self.drug is None else self.drug.name

    @property
    def dose_days(self) -> tuple[float, ...]:
        """Every administration day of the regimen (repeats expanded), sorted, without duplicates."""
        return _days(self.regimen.doses)

    @property
    def antibody_dose_days(self) -> tuple[float, ...]:
        """Administration days of :attr:`drug` (empty without one), sorted."""
        routes = self.drug.route_names if self.drug else ()
        return _days([d for d in self.regimen.doses if d.route in routes])


def _days(doses: Sequence[Dose]) -> tuple[float, ...]:
    return tuple(float(t) for t in np.unique(np.concatenate([d.times for d in doses] or [np.empty(0)])))


def therapy_catalogue(modules: Iterable[Module]) -> Mapping[str, Therapy]:
    """Every therapy the modules declare, plus placebo, by name (read-only)."""
    catalogue = {PLACEBO.name: PLACEBO}
    for module in modules:
        for therapy in module.therapies:
            if therapy.name in catalogue:
                raise ValueError(f"therapy {therapy.name!r} is declared twice (module {module.name!r})")
            catalogue[therapy.name] = therapy
    return MappingProxyType(catalogue)


def default_therapies() -> Mapping[str, Therapy]:
    """The therapies of the full model's modules."""
    from cartsim.biology import FULL_MODEL_MODULES

    return therapy_catalogue(FULL_MODEL_MODULES)


#: The longest infusion accepted (hours): anti-CD20 infusions take 2-6 hours.
MAX_INFUSION_HOURS = 48.0


# -- field readers: each names the field and what is allowed -------------------------------
def _number(entry: Mapping[str, Any], key: str, where: str, allowed: str, low: float) -> float:
    return number(entry[key], f"{where}.{key}", allowed, low)


def _amount(entry: Mapping[str, Any], where: str, administration: Administration) -> tuple[str, pint.Quantity]:
    """The ``dose`` string, checked to convert to one of the administration's units."""
    text = entry["dose"]
    quantity = parse_quantity(text, f"{where}.dose", administration.example)
    for unit in administration.units:
        try:
            amount = float(quantity.to(ureg.parse_units(unit)).magnitude)
        except pint.DimensionalityError:
            continue
        most = {u: m for m, u in administration.most}.get(unit, math.inf)
        if not 0 <= amount <= most:
            allowed = f"an amount from 0 to {most:g} {unit} per administration" if math.isfinite(most) else f"an amount >= 0 {unit}"
            raise InputError(f"{where}.dose", text, allowed)
        return text, quantity
    raise UnitError(f"{where}.dose", text, f"an amount in {' or '.join(administration.units)}, e.g. {administration.example}")


def _repeat(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``every_days`` and ``count`` as Dose keywords."""
    out: dict[str, Any] = {}
    if "every_days" in entry:
        out["every_days"] = _number(entry, "every_days", where, "a number of days > 0", 0.0)
        if out["every_days"] == 0:
            raise InputError(f"{where}.every_days", entry["every_days"], "a number of days > 0")
    if "count" in entry:
        out["count"] = whole(entry["count"], f"{where}.count", 1, MAX_DOSES)
        if out["count"] > 1 and "every_days" not in out:
            raise InputError(f"{where}.every_days", None, "a number of days > 0 when count > 1")
    return out


def _preset(therapy: Therapy, entry: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """The fields the entry's named product fills (empty without ``product``)."""
    if "product" not in entry:
        return {}
    product = entry["product"]
    if product not in therapy.presets:
        raise InputError(f"{where}.product", product, f"a {therapy.name} product: " + ", ".join(therapy.presets))
    return therapy.presets[product]


def _choices(therapy: Therapy, entry: Mapping[str, Any], where: str, preset: Mapping[str, Any]) -> dict[str, float]:
    """The switches made by the entry's choices, given directly or through its product's ``preset``."""
    made = {c.field: preset[c.field] for c in therapy.choices if c.field in preset}
    switches: dict[str, float] = {}
    for choice in therapy.choices:
        given = entry.get(choice.field)
        if given is not None and given not in choice.options:
            raise InputError(f"{where}.{choice.field}", given, "one of " + ", ".join(repr(c) for c in choice.options))
        if given is not None and choice.field in made and given != made[choice.field]:
            raise InputError(f"{where}.{choice.field}", given, f"{made[choice.field]!r}, the {choice.description} of {entry['product']}")
        option = given if given is not None else made.get(choice.field)
        if option is None:
            allowed = " or ".join(repr(c) for c in choice.options)
            raise InputError(f"{where}.{choice.field}", None, f"{allowed} (required unless a product is named)")
        switches.update(choice.options[option])
    return switches


def _doses(therapy: Therapy, entry: Mapping[str, Any], where: str, day: float) -> list[Dose]:
    repeat = _repeat(entry, where)
    if therapy.from_day_zero and day != 0:
        raise InputError(f"{where}.day", entry["day"], f"0 ({therapy.name} is modelled as a continuous therapy from day 0)")
    doses: list[Dose] = []
    course = 0
    for c in therapy.courses:
        amount_field, days_field = c.fields
        per_m2 = number(
            entry[amount_field],
            f"{where}.{amount_field}",
            f"mg per m**2 of body surface from 0 to {c.most_mg_per_m2:g} a day",
            0.0,
            c.most_mg_per_m2,
        )
        days = whole(entry[days_field], f"{where}.{days_field}", 0, c.max_days)
        course = max(course, days)
        doses += [Dose(c.route, f"{per_m2!r} mg/m**2", day=day + i, **repeat) for i in range(days)]
    if therapy.courses:
        if course == 0:
            raise InputError(f"{where}.{therapy.courses[0].fields[1]}", 0, "at least one day of the course")
        if repeat.get("count", 1) > 1 and repeat["every_days"] < course:
            raise InputError(f"{where}.every_days", repeat["every_days"], f"at least the course length ({course} days)")
    administration = therapy.administration
    if administration is not None:
        text, quantity = _amount(entry, where, administration)
        duration: str | float = 0.0
        if administration.infusion_hours:
            default = administration.default_hours(float(quantity.to(administration.infusion_unit).magnitude))
            allowed = f"a number of hours > 0 and at most {MAX_INFUSION_HOURS:g}"
            given = entry.get("infusion_hours")
            hours = default if given is None else number(given, f"{where}.infusion_hours", allowed, 0.0, MAX_INFUSION_HOURS)
            if hours == 0:
                raise InputError(f"{where}.infusion_hours", entry["infusion_hours"], allowed)
            duration = f"{hours!r} h"
        doses.append(Dose(administration.route, text, day=day, duration=duration, **repeat))
    return doses


def _therapy(entry: Any, where: str, catalogue: Mapping[str, Therapy]) -> Therapy:
    """The entry's therapy, after checking that its fields are exactly the allowed ones."""
    if not isinstance(entry, Mapping):
        raise InputError(where, entry, "a table such as { therapy = 'ocrelizumab', day = 0, dose = '300 mg' }")
    name = entry.get("therapy")
    if not isinstance(name, str) or name not in catalogue:
        raise InputError(f"{where}.therapy", name, "one of " + ", ".join(catalogue))
    therapy = catalogue[name]
    required, optional = therapy.fields
    allowed = ("therapy", "day", *required, *optional)
    for key in entry:
        if key not in allowed:
            raise InputError(f"{where}.{key}", entry[key], f"the fields of {name}: " + ", ".join(allowed))
    return therapy


def _filled(therapy: Therapy, entry: Mapping[str, Any], where: str, preset: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with the fields its product's ``preset`` fills (the entry's own win), all required ones present."""
    choices = {c.field for c in therapy.choices}
    filled = {**{k: v for k, v in preset.items() if k not in choices}, **entry}
    for key in ("day", *therapy.fields[0]):
        if key not in filled:
            raise InputError(f"{where}.{key}", None, f"a value (required for {therapy.name})")
    return filled


def parse_regimen(
    entries: Sequence[Mapping[str, Any]], field: str = "regimen", therapies: Mapping[str, Therapy] | None = None
) -> Treatment:
    """Check regimen entries and turn them into a :class:`Treatment`.

    Parameters
    ----------
    entries
        One table per therapy, as in the targets format: ``therapy`` and ``day`` (relative
        to day 0) always, then the therapy's own fields (:attr:`cartsim.model.Therapy.fields`).
    field
        Name of the entries in error messages (``"regimen"`` gives ``"regimen[1].dose"``;
        entries are counted from 0).
    therapies
        The therapies that may be named (default: those of the full model,
        :func:`default_therapies`; a model's own: ``therapy_catalogue(model.modules)``).

    Returns
    -------
    Treatment
        Doses, parameter switches and the therapies given.

    Raises
    ------
    InputError
        For an unknown therapy or field, a missing or ill-typed field, a negative dose, a unit
        that does not convert, two therapies of one exclusive group (two anti-CD20
        antibodies), or two entries that set a parameter to different values (a CD19 and a
        BCMA CAR-T).

    Examples
    --------
    >>> treatment = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"},
    ...                            {"therapy": "ocrelizumab", "day": 14, "dose": "300 mg"}])
    >>> treatment.dose_days, treatment.antibody, treatment.regimen.doses[0].duration
    ((0.0, 14.0), 'ocrelizumab', '2.5 h')
    """
    catalogue = default_therapies() if therapies is None else therapies
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Sequence):
        raise InputError(field, entries, "a list of tables such as [{ therapy = 'placebo', day = 0 }]")
    doses: list[Dose] = []
    parameters: dict[str, float] = {}
    setters: dict[str, int] = {}
    groups: dict[str, tuple[str, int]] = {}
    given: list[Therapy] = []
    for i, entry in enumerate(entries):
        where = f"{field}[{i}]"
        therapy = _therapy(entry, where, catalogue)
        preset = _preset(therapy, entry, where)
        entry = _filled(therapy, entry, where, preset)
        day = number(
            entry["day"],
            f"{where}.day",
            f"a number of days from {-MAX_DAYS:,.0f} to {MAX_DAYS:,.0f} (relative to day 0)",
            -MAX_DAYS,
            MAX_DAYS,
        )
        if therapy.exclusive:
            first, at = groups.setdefault(therapy.exclusive, (therapy.name, i))
            if first != therapy.name:
                raise InputError(f"{where}.therapy", therapy.name, f"one {therapy.exclusive} per regimen ({field}[{at}] is {first})")
        switches = {**therapy.switches, **_choices(therapy, entry, where, preset)}
        for name, value in switches.items():
            if name in parameters and parameters[name] != value:
                raise InputError(
                    f"{where}.therapy",
                    therapy.name,
                    f"a therapy compatible with {field}[{setters[name]}] (both set {name}, to {parameters[name]:g} and {value:g})",
                )
            parameters[name] = value
            setters.setdefault(name, i)
        doses += _doses(therapy, entry, where, day)
        given.append(therapy)
    _warn_about_missing(entries, given, field)
    return Treatment(Regimen(tuple(doses)), MappingProxyType(parameters), tuple(given))


def _warn_about_missing(entries: Sequence[Mapping[str, Any]], given: list[Therapy], field: str) -> None:
    """Warn where a therapy expects another kind before it (its ``expects``) and the regimen has none."""
    for i, (entry, therapy) in enumerate(zip(entries, given, strict=True)):
        if therapy.expects is None:
            continue
        kind, why = therapy.expects
        if not any(t.kind == kind and e["day"] <= entry["day"] for e, t in zip(entries, given, strict=True)):
            warnings.warn(
                f"{field}[{i}]: {therapy.name} on day {entry['day']:g} with no {kind} on or before that day: {why}",
                CartsimWarning,
                stacklevel=3,
            )
