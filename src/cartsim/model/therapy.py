"""What a therapy is: how a regimen entry turns into doses and model switches.

A :class:`Therapy` is declared next to the biology module that represents it (a module's
``therapies``): the dose route and the units of its amount, a default infusion time, the
parameters it switches, the choices an entry makes (a CAR's co-stimulatory domain), named
product presets, and the observable of its serum concentration (for exposure endpoints).
:func:`cartsim.protocol.parse_regimen` reads regimen entries with these declarations, so
adding a drug means its module (with its therapy), its parameter file and its references.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Administration", "Choice", "Course", "KINDS", "PLACEBO", "Therapy"]

#: Kinds of therapy (endpoints and reports speak of them by kind, not by name).
KINDS = ("antibody", "cell therapy", "lymphodepletion", "immunomodulator", "placebo")


@dataclass(frozen=True)
class Administration:
    """One amount per administration, from the entry's ``dose`` field, on ``route``.

    ``units`` are the units the amount may be given in (``"mg"``; ``"cells"`` or
    ``"cells/kg"``); ``infusion_hours`` gives the default infusion time by amount as
    ``((below, hours), ...)`` in ``infusion_unit`` (the first row whose ``below`` exceeds the
    amount applies); empty: a bolus (injection, cell infusion).
    """

    route: str
    units: tuple[str, ...]
    example: str
    infusion_hours: tuple[tuple[float, float], ...] = ()
    infusion_unit: str = "mg"
    most: tuple[tuple[float, str], ...] = ()

    def default_hours(self, amount: float) -> float:
        """The default infusion time (hours) for ``amount`` in ``infusion_unit``."""
        return next(hours for below, hours in self.infusion_hours if amount < below)


@dataclass(frozen=True)
class Course:
    """A daily course of ``drug`` dosed per body surface: fields ``<drug>_mg_per_m2`` (at most
    ``most_mg_per_m2`` a day) and ``<drug>_days`` (at most ``max_days``)."""

    drug: str
    route: str
    max_days: int = 14
    most_mg_per_m2: float = 5000.0

    @property
    def fields(self) -> tuple[str, str]:
        return f"{self.drug}_mg_per_m2", f"{self.drug}_days"


@dataclass(frozen=True)
class Choice:
    """An entry field with named options, each setting model parameters (``costim = "cd28"``)."""

    field: str
    description: str
    options: Mapping[str, Mapping[str, float]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.options.items()}))


@dataclass(frozen=True)
class Therapy:
    """A therapy that regimen entries name (``{ therapy = "ocrelizumab", day = 0, dose = "600 mg" }``).

    Parameters
    ----------
    name
        The name entries use (``"ocrelizumab"``).
    description
        What it is, in plain words (reports, the web explorer).
    kind
        One of :data:`KINDS`.
    administration
        How the entry's ``dose`` is given, or None (no dose field).
    courses
        Daily per-m**2 courses (lymphodepletion), if any.
    switches
        Model parameters the therapy sets while given (for the whole simulation).
    choices
        Fields with named options that set parameters; each must be given (directly or by a preset).
    presets
        Named products (field ``product``): preset name -> the entry fields it fills (choices,
        and defaults such as ``dose`` that the entry may override).
    concentration
        The observable of its serum concentration (exposure endpoints); empty when none.
    exclusive
        At most one therapy of this group per regimen (e.g. one anti-CD20 antibody).
    from_day_zero
        A continuous therapy modelled from day 0 (its entry's day must be 0; no doses).
    expects
        ``(kind, why)``: a therapy of this kind is expected on or before this one's day
        (lymphodepletion before a CAR-T); without it a regimen is valid but warned about.
    """

    name: str
    description: str
    kind: str
    administration: Administration | None = None
    courses: tuple[Course, ...] = ()
    switches: Mapping[str, float] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    concentration: str = ""
    exclusive: str = ""
    from_day_zero: bool = False
    expects: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"therapy {self.name!r}: kind {self.kind!r} is not one of {KINDS}")
        object.__setattr__(self, "switches", MappingProxyType(dict(self.switches)))
        object.__setattr__(self, "presets", MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.presets.items()}))
        object.__setattr__(self, "courses", tuple(self.courses))
        object.__setattr__(self, "choices", tuple(self.choices))
        required, optional = self.fields
        for preset, made in self.presets.items():
            for key, option in made.items():
                choice = next((c for c in self.choices if c.field == key), None)
                if choice is not None and option not in choice.options:
                    raise ValueError(f"therapy {self.name!r}: preset {preset!r} sets {key}={option!r}, not one of its choices")
                if choice is None and key not in (*required, *optional):
                    raise ValueError(f"therapy {self.name!r}: preset {preset!r} sets {key!r}, not one of its fields")

    @property
    def fields(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, optional) entry fields besides ``therapy`` and ``day``."""
        required: list[str] = []
        optional = ["every_days", "count"]
        if self.administration is not None:
            required.append("dose")
            if self.administration.infusion_hours:
                optional.append("infusion_hours")
        for course in self.courses:
            required += course.fields
        optional += [c.field for c in self.choices]
        if self.presets:
            optional.append("product")
        return tuple(required), tuple(optional)

    @property
    def route_names(self) -> tuple[str, ...]:
        routes = [c.route for c in self.courses] + ([self.administration.route] if self.administration else [])
        return tuple(routes)


#: Placebo: no doses, no switches (needs no module).
PLACEBO = Therapy("placebo", "placebo (no active treatment)", "placebo")
