"""Built-in virtual populations.

A :class:`Population` changes the typical value (and optionally the between-patient spread)
of some model parameters; every change names its source or says why it is an assumption.
:func:`sample_population` draws virtual patients from it with the same counter-based random
streams as :func:`cartsim.population.sample_parameters`: patient ``i`` of seed ``s`` is the
same whatever the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from cartsim.errors import InputError
from cartsim.model import LogNormal, Model
from cartsim.population.sampling import patient_normals
from cartsim.units import conversion_factor

__all__ = ["Change", "Population", "POPULATIONS", "POPULATION_NAMES", "sample_population"]


@dataclass(frozen=True)
class Change:
    """A population's typical value and log-normal spread for one parameter.

    ``unit`` is the unit of ``value`` (None: the unit the model declares for the parameter).
    """

    value: float
    source: str
    omega: float | None = None
    unit: str | None = None

    def value_in(self, unit: str) -> float:
        return self.value if self.unit is None else self.value * conversion_factor(self.unit, unit, "population value")


@dataclass(frozen=True)
class Population:
    name: str
    description: str
    changes: Mapping[str, Change] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))


_ADULT = {
    "body_weight": Change(70.0, "assumption: typical adult", 0.2),
    "height": Change(170.0, "assumption: typical adult", 0.05),
}
_WOMEN = {
    "body_weight": Change(65.0, "assumption: mostly women (lupus, MS)", 0.2),
    "height": Change(165.0, "assumption: mostly women", 0.05),
}
_SLE_B = Change(150.0, "assumption: B-lymphopenia of active lupus (about half the healthy count)", 0.6)
_LBCL = {
    **_ADULT,
    "body_weight": Change(78.0, "assumption: older adults with lymphoma", 0.2),
    "tumour_baseline": Change(1e5, "assumption: bulky relapsed lymphoma, ~5e11 cells (about 6x the body's B cells)", 1.0),
    "bcell_blood_baseline": Change(30.0, "assumption: few B cells after rituximab-containing chemotherapy", 1.0),
}

POPULATIONS: Mapping[str, Population] = MappingProxyType(
    {
        p.name: p
        for p in (
            Population("healthy", "healthy adults", _ADULT),
            Population("sle", "refractory systemic lupus erythematosus (Mackensen2022 cohort)", {**_WOMEN, "bcell_blood_baseline": _SLE_B}),
            Population("ssc", "systemic sclerosis", {**_WOMEN, "bcell_blood_baseline": Change(200.0, "assumption: mildly reduced B cells", 0.5)}),
            Population("iim", "idiopathic inflammatory myopathy", {**_WOMEN, "bcell_blood_baseline": Change(200.0, "assumption: mildly reduced B cells", 0.5)}),
            Population("rrms", "relapsing-remitting multiple sclerosis", {**_WOMEN}),
            Population("ppms", "primary progressive multiple sclerosis", {**_ADULT}),
            Population("spms", "secondary progressive multiple sclerosis", {**_WOMEN}),
            Population("nmosd", "neuromyelitis optica spectrum disorder (AQP4-IgG positive)", {**_WOMEN}),
            Population("lbcl", "relapsed/refractory large B-cell lymphoma (oncology contrast)", _LBCL),
        )
    }
)

#: Names accepted wherever a population is named (targets files, scenarios).
POPULATION_NAMES: tuple[str, ...] = tuple(POPULATIONS)


def sample_population(model: Model, name: str, n_patients: int, seed: int = 1, first_patient: int = 0,
                      extra: Mapping[str, Mapping[str, Change]] | None = None) -> dict[str, np.ndarray]:
    """Virtual patients of a built-in population, as parameter arrays for :func:`cartsim.simulate`.

    Every parameter with a spread (the population's, else the model's own log-normal
    variability) is drawn; parameters the population changes without a spread are set to its
    value; the others keep the model's typical value. ``extra`` adds changes per population
    name (how disease modules contribute their population-specific values). Parameters the
    model does not have are ignored, so one population serves any module combination.
    """
    if name not in POPULATIONS:
        raise InputError("population", name, f"one of {', '.join(POPULATION_NAMES)}")
    for label, value, low in (("n_patients", n_patients, 1), ("seed", seed, 0), ("first_patient", first_patient, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise InputError(label, value, f"a whole number >= {low}")
    changes = {**POPULATIONS[name].changes, **((extra or {}).get(name, {}))}
    drawn = []
    for p in model.parameters:
        change = changes.get(p.name)
        typical = change.value_in(p.unit) if change is not None else p.value
        omega = change.omega if change is not None and change.omega is not None else (
            p.variability.omega if isinstance(p.variability, LogNormal) and (change is None or change.omega is None) else None
        )
        if change is not None and change.omega is None and not isinstance(p.variability, LogNormal):
            omega = None
        drawn.append((p, typical, omega))
    varied = [(p, typical, omega) for p, typical, omega in drawn if omega]
    ids = np.arange(first_patient, first_patient + n_patients)
    z = patient_normals(seed, ids, len(varied))
    values: dict[str, np.ndarray] = {}
    for j, (p, typical, omega) in enumerate(varied):
        values[p.name] = np.clip(typical * np.exp(omega * z[:, j]), p.bounds[0], p.bounds[1])
    for p, typical, omega in drawn:
        if not omega and p.name in changes:
            values[p.name] = np.full(n_patients, float(np.clip(typical, p.bounds[0], p.bounds[1])))
    return values
