"""Therapies named in scenario and target files, turned into doses and model switches.

A regimen entry is a small table such as ``{ therapy = "ocrelizumab", day = 0, dose = "300 mg" }``
(the format of ``TARGETS.md``). :func:`parse_regimen` checks every entry and returns a
:class:`Treatment`: the :class:`~cartsim.protocol.Regimen` of doses on the model's dose
routes, the parameter values that switch therapy-specific biology on (which antigen the
CAR targets, its co-stimulatory domain, interferon), the therapy names, and the anti-CD20
antibody given (the drug endpoints read ``<antibody>_concentration``).

Route and parameter names are a contract with the biology modules:

- ``flu-cy``: one dose a day on ``fludarabine_iv`` and ``cyclophosphamide_iv``, amounts per
  m**2 of body surface area (the engine multiplies by the patient's body surface area);
- ``cd19-cart``, ``bcma-cart``: ``cart_infusion``; parameters ``cart_targets_cd19``,
  ``cart_targets_bcma`` (1 or 0) and ``cart_costim_cd28`` (1 for CD28, 0 for 4-1BB);
- ``mrna-bcma-cart``: ``mrna_cart_infusion``;
- ``ocrelizumab``: ``ocrelizumab_iv`` (label infusion times: 2.5 h below 600 mg, else 3.5 h);
  ``rituximab``: ``rituximab_iv`` (4 h); ``ofatumumab``: ``ofatumumab_sc``;
- ``interferon-beta-1a``: parameter ``interferon_on`` = 1 (continuous from day 0);
- ``placebo``: nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pint

from cartsim.checks import number, whole
from cartsim.errors import InputError, UnitError
from cartsim.protocol.regimen import Dose, Regimen
from cartsim.units import parse_quantity, ureg

__all__ = ["CAR_PRODUCTS", "THERAPIES", "Treatment", "parse_regimen"]

#: Named CAR-T products: target antigen and co-stimulatory domain.
CAR_PRODUCTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "tisa-cel": ("cd19", "4-1bb"),
        "axi-cel": ("cd19", "cd28"),
        "brexu-cel": ("cd19", "cd28"),
        "liso-cel": ("cd19", "4-1bb"),
        "obe-cel": ("cd19", "4-1bb"),
        "kyv-101": ("cd19", "cd28"),
        "ide-cel": ("bcma", "4-1bb"),
        "cilta-cel": ("bcma", "4-1bb"),
        "ct103a": ("bcma", "4-1bb"),
    }
)
_COSTIMS = ("4-1bb", "cd28")
_ANTIBODY_ROUTES = {"ocrelizumab": "ocrelizumab_iv", "rituximab": "rituximab_iv", "ofatumumab": "ofatumumab_sc"}
_REPEAT = ("every_days", "count")
_FLU_CY = ("fludarabine_mg_per_m2", "fludarabine_days", "cyclophosphamide_mg_per_m2", "cyclophosphamide_days")

#: Every therapy: (required fields, optional fields), besides ``therapy`` and ``day``.
THERAPIES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "flu-cy": (_FLU_CY, _REPEAT),
        "cd19-cart": (("dose",), ("costim", "product", *_REPEAT)),
        "bcma-cart": (("dose",), ("costim", "product", *_REPEAT)),
        "mrna-bcma-cart": (("dose",), _REPEAT),
        "ocrelizumab": (("dose",), (*_REPEAT, "infusion_hours")),
        "rituximab": (("dose",), (*_REPEAT, "infusion_hours")),
        "ofatumumab": (("dose",), _REPEAT),
        "interferon-beta-1a": ((), _REPEAT),
        "placebo": ((), _REPEAT),
    }
)


@dataclass(frozen=True)
class Treatment:
    """A parsed regimen: doses, model switches, therapy names and the antibody given.

    Attributes
    ----------
    regimen
        The doses, on the model's dose routes.
    parameters
        Parameter values the therapies set (``cart_targets_cd19``, ``interferon_on``, ...).
    therapies
        The therapy of each entry, in file order.
    antibody
        ``"ocrelizumab"``, ``"rituximab"`` or ``"ofatumumab"`` when the regimen has one, else None.
    """

    regimen: Regimen
    parameters: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    therapies: tuple[str, ...] = ()
    antibody: str | None = None

    @property
    def dose_days(self) -> tuple[float, ...]:
        """Every administration day of the regimen (repeats expanded), sorted, without duplicates."""
        return tuple(float(t) for t in np.unique(np.concatenate([d.times for d in self.regimen.doses] or [np.empty(0)])))

    @property
    def antibody_dose_days(self) -> tuple[float, ...]:
        """Administration days of the antibody (empty without one), sorted."""
        route = _ANTIBODY_ROUTES.get(self.antibody or "")
        days = [d.times for d in self.regimen.doses if d.route == route]
        return tuple(float(t) for t in np.unique(np.concatenate(days or [np.empty(0)])))


# -- field readers: each names the field and what is allowed -------------------------------
def _number(entry: Mapping[str, Any], key: str, where: str, allowed: str, low: float, default: float | None = None) -> float:
    value = entry.get(key, default)
    if value is None:
        raise InputError(f"{where}.{key}", None, f"{allowed} (required)")
    return number(value, f"{where}.{key}", allowed, low)


def _whole(entry: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    return whole(entry[key], f"{where}.{key}", low, high)


def _choice(entry: Mapping[str, Any], key: str, where: str, choices: Sequence[str]) -> str | None:
    value = entry.get(key)
    if value is not None and value not in choices:
        raise InputError(f"{where}.{key}", value, "one of " + ", ".join(repr(c) for c in choices))
    return value


def _amount(entry: Mapping[str, Any], where: str, units: Sequence[str], example: str) -> str:
    """The ``dose`` string, checked to convert to one of ``units``."""
    text = entry["dose"]
    quantity = parse_quantity(text, f"{where}.dose", example)
    for unit in units:
        try:
            quantity.to(ureg.parse_units(unit))
            return text
        except pint.DimensionalityError:
            continue
    raise UnitError(f"{where}.dose", text, f"an amount in {' or '.join(units)}, e.g. {example}")


def _repeat(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``every_days`` and ``count`` as Dose keywords (both or neither make sense together)."""
    out: dict[str, Any] = {}
    if "every_days" in entry:
        out["every_days"] = _number(entry, "every_days", where, "a number of days > 0", 0.0)
        if out["every_days"] == 0:
            raise InputError(f"{where}.every_days", entry["every_days"], "a number of days > 0")
    if "count" in entry:
        out["count"] = _whole(entry, "count", where, 1, 10_000)
        if out["count"] > 1 and "every_days" not in out:
            raise InputError(f"{where}.every_days", None, "a number of days > 0 when count > 1")
    return out


# -- one builder per kind of therapy ------------------------------------------------------
_Built = tuple[list[Dose], dict[str, float]]


def _flu_cy(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    repeat = _repeat(entry, where)
    doses = []
    course = 0
    for drug in ("fludarabine", "cyclophosphamide"):
        per_m2 = _number(entry, f"{drug}_mg_per_m2", where, "a number of mg per m**2 of body surface >= 0", 0.0)
        days = _whole(entry, f"{drug}_days", where, 0, 14)
        course = max(course, days)
        doses += [Dose(f"{drug}_iv", f"{per_m2!r} mg/m**2", day=day + i, **repeat) for i in range(days)]
    if course == 0:
        raise InputError(f"{where}.fludarabine_days", 0, "at least one day of fludarabine or cyclophosphamide")
    if repeat.get("count", 1) > 1 and repeat["every_days"] < course:
        raise InputError(f"{where}.every_days", repeat["every_days"], f"at least the course length ({course} days)")
    return doses, {}


def _car(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    target = entry["therapy"].split("-")[0]
    product = _choice(entry, "product", where, tuple(CAR_PRODUCTS))
    costim = _choice(entry, "costim", where, _COSTIMS)
    if product is not None:
        product_target, product_costim = CAR_PRODUCTS[product]
        if product_target != target:
            raise InputError(f"{where}.product", product, f"a {target.upper()} product (it is a {product_target.upper()} CAR)")
        if costim is not None and costim != product_costim:
            raise InputError(f"{where}.costim", costim, f"{product_costim!r}, the co-stimulatory domain of {product}")
        costim = product_costim
    if costim is None:
        raise InputError(f"{where}.costim", None, "'4-1bb' or 'cd28' (required unless a product is named)")
    dose = Dose("cart_infusion", _amount(entry, where, ("cells", "cells/kg"), "'1e6 cells/kg' or '1e8 cells'"), day=day, **_repeat(entry, where))
    parameters = {
        "cart_targets_cd19": float(target == "cd19"),
        "cart_targets_bcma": float(target == "bcma"),
        "cart_costim_cd28": float(costim == "cd28"),
    }
    return [dose], parameters


def _mrna_car(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    amount = _amount(entry, where, ("cells", "cells/kg"), "'1.5e7 cells/kg'")
    return [Dose("mrna_cart_infusion", amount, day=day, **_repeat(entry, where))], {}


def _antibody(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    name = entry["therapy"]
    amount = _amount(entry, where, ("mg",), "'600 mg'")
    repeat = _repeat(entry, where)
    if name == "ofatumumab":
        return [Dose("ofatumumab_sc", amount, day=day, **repeat)], {}
    if name == "ocrelizumab":
        # The label's infusion times: 2.5 h for the 300 mg initial doses, 3.5 h for 600 mg.
        default = 2.5 if parse_quantity(amount, f"{where}.dose", "'600 mg'").to("mg").magnitude < 600 else 3.5
    else:
        default = 4.0
    hours = _number(entry, "infusion_hours", where, "a number of hours > 0", 0.0, default)
    if hours == 0:
        raise InputError(f"{where}.infusion_hours", entry["infusion_hours"], "a number of hours > 0")
    return [Dose(_ANTIBODY_ROUTES[name], amount, day=day, duration=f"{hours!r} h", **repeat)], {}


def _interferon(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    _repeat(entry, where)  # checked, then unused: the effect is modelled as continuous
    if day != 0:
        raise InputError(f"{where}.day", entry["day"], "0 (interferon beta-1a is modelled as a continuous therapy from day 0)")
    return [], {"interferon_on": 1.0}


def _placebo(entry: Mapping[str, Any], where: str, day: float) -> _Built:
    _repeat(entry, where)
    return [], {}


_BUILDERS: Mapping[str, Callable[[Mapping[str, Any], str, float], _Built]] = {
    "flu-cy": _flu_cy,
    "cd19-cart": _car,
    "bcma-cart": _car,
    "mrna-bcma-cart": _mrna_car,
    "ocrelizumab": _antibody,
    "rituximab": _antibody,
    "ofatumumab": _antibody,
    "interferon-beta-1a": _interferon,
    "placebo": _placebo,
}


def _check_fields(entry: Any, where: str) -> str:
    """The entry's therapy, after checking that its fields are exactly the allowed ones."""
    if not isinstance(entry, Mapping):
        raise InputError(where, entry, "a table such as { therapy = 'ocrelizumab', day = 0, dose = '300 mg' }")
    therapy = entry.get("therapy")
    if not isinstance(therapy, str) or therapy not in THERAPIES:
        raise InputError(f"{where}.therapy", therapy, "one of " + ", ".join(THERAPIES))
    required, optional = THERAPIES[therapy]
    allowed = ("therapy", "day", *required, *optional)
    for key in entry:
        if key not in allowed:
            raise InputError(f"{where}.{key}", entry[key], f"the fields of {therapy}: " + ", ".join(allowed))
    for key in ("day", *required):
        if key not in entry:
            raise InputError(f"{where}.{key}", None, f"a value (required for {therapy})")
    return therapy


def parse_regimen(entries: Sequence[Mapping[str, Any]], field: str = "regimen") -> Treatment:
    """Check regimen entries and turn them into a :class:`Treatment`.

    Parameters
    ----------
    entries
        One table per therapy, as in ``TARGETS.md``: ``therapy`` and ``day`` (relative to day
        0) always, then the therapy's own fields (:data:`THERAPIES`).
    field
        Name of the entries in error messages (``"regimen"`` gives ``"regimen[1].dose"``;
        entries are counted from 0).

    Returns
    -------
    Treatment
        Doses, parameter switches, therapy names and the antibody.

    Raises
    ------
    InputError
        For an unknown therapy or field, a missing or ill-typed field, a negative dose, a unit
        that does not convert, more than one CAR-T product or more than one anti-CD20 antibody.
    """
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Sequence):
        raise InputError(field, entries, "a list of tables such as [{ therapy = 'placebo', day = 0 }]")
    doses: list[Dose] = []
    parameters: dict[str, float] = {}
    therapies: list[str] = []
    car_at: int | None = None
    antibody: str | None = None
    for i, entry in enumerate(entries):
        where = f"{field}[{i}]"
        therapy = _check_fields(entry, where)
        day = _number(entry, "day", where, "a finite number of days (relative to day 0)", -math.inf)
        if therapy in ("cd19-cart", "bcma-cart"):
            if car_at is not None:
                raise InputError(f"{where}.therapy", therapy, f"one CAR-T product per regimen ({field}[{car_at}] is one; repeat it with every_days and count)")
            car_at = i
        if therapy in _ANTIBODY_ROUTES:
            if antibody not in (None, therapy):
                raise InputError(f"{where}.therapy", therapy, f"one anti-CD20 antibody per regimen (this one has {antibody})")
            antibody = therapy
        new_doses, new_parameters = _BUILDERS[therapy](entry, where, day)
        doses += new_doses
        parameters.update(new_parameters)
        therapies.append(therapy)
    return Treatment(Regimen(tuple(doses)), MappingProxyType(parameters), tuple(therapies), antibody)
