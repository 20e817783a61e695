"""Values and context of endpoints, and the observation window they are computed on.

The observation window of a simulation is ``0 <= t <= horizon``: a lead-in before day 0
(lymphodepletion) is simulated but not observed. Observables are read in the units the
endpoints use, converted from each variable's ``units`` attribute, and set to NaN for
patients whose solve failed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from cartsim.errors import InputError
from cartsim.population import Cohort
from cartsim.protocol.therapies import Treatment
from cartsim.units import conversion_factor

__all__ = ["EndpointContext", "EndpointValues", "Window", "event_times", "observation_window", "patient_draws"]

#: Output times closer than this (days) count as the same time.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class EndpointValues:
    """One endpoint for every patient: ``values`` (NaN where unavailable) and ``censored``.

    Booleans are 1.0/0.0; a censored event time holds the horizon (from its origin).
    """

    values: np.ndarray
    censored: np.ndarray

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float).reshape(-1)
        censored = np.asarray(self.censored, dtype=bool).reshape(-1)
        if values.shape != censored.shape:
            raise InputError("censored", f"shape {censored.shape}", f"one flag per patient, shape {values.shape}")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "censored", censored)

    @property
    def n_censored(self) -> int:
        return int(np.count_nonzero(self.censored))


@dataclass(frozen=True)
class EndpointContext:
    """What an endpoint needs besides the observables.

    Attributes
    ----------
    seed
        Seed of the patients' random streams (relapses, progression).
    patient_ids
        Id of each patient (default: the dataset's ``patient`` coordinate).
    dose_days
        Every administration day of the regimen (``from = "last_dose"`` uses the last).
    concentration, drug_dose_days
        The observable of the regimen's drug concentration and the drug's administration
        days (exposure endpoints); empty without a drug.
    horizon_days
        End of the observation window (default: the last output time).
    """

    seed: int = 1
    patient_ids: Sequence[int] | np.ndarray | None = None
    dose_days: tuple[float, ...] = ()
    concentration: str = ""
    drug_dose_days: tuple[float, ...] = ()
    horizon_days: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**63:
            raise InputError("seed", self.seed, "a whole number from 0 to 2**63 - 1")
        object.__setattr__(self, "dose_days", tuple(sorted(float(d) for d in self.dose_days)))
        object.__setattr__(self, "drug_dose_days", tuple(sorted(float(d) for d in self.drug_dose_days)))

    @classmethod
    def from_treatment(
        cls,
        treatment: Treatment,
        *,
        seed: int = 1,
        patient_ids: Sequence[int] | np.ndarray | None = None,
        horizon_days: float | None = None,
    ) -> EndpointContext:
        """The context of a parsed regimen (:func:`cartsim.protocol.parse_regimen`)."""
        concentration = treatment.drug.concentration if treatment.drug else ""
        return cls(seed, patient_ids, treatment.dose_days, concentration, treatment.antibody_dose_days, horizon_days)

    @classmethod
    def of(cls, cohort: Cohort) -> EndpointContext:
        """The context of a cohort: its seed, patient ids, regimen and horizon."""
        return cls.from_treatment(cohort.treatment, seed=cohort.seed, patient_ids=cohort.ids, horizon_days=cohort.horizon_days)


@dataclass(frozen=True)
class Window:
    """The observation window of one simulation, in the units endpoints use."""

    dataset: xr.Dataset
    times: np.ndarray
    window: np.ndarray = field(repr=False)
    horizon: float
    ok: np.ndarray = field(repr=False)

    def series(self, name: str, unit: str | None, full: bool = False) -> np.ndarray:
        if name not in self.dataset:
            have = [str(v) for v in self.dataset.data_vars if self.dataset[v].dims == ("patient", "time")]
            raise InputError("observable", name, "one the simulation provides: " + ", ".join(have))
        values = np.asarray(self.dataset[name].values, dtype=float)
        given = self.dataset[name].attrs.get("units")
        if unit is not None and given:
            values = values * conversion_factor(given, unit, f"units of {name}")
        values = np.where(self.ok[:, None], values, np.nan)
        return values if full else values[:, self.window]

    def at(self, values: np.ndarray, day: float, what: str = "day") -> np.ndarray:
        """Linear interpolation of full-grid ``values`` at ``day`` for every patient."""
        t = self.times
        if not t[0] - TOLERANCE <= day <= min(t[-1], self.horizon) + TOLERANCE:
            raise InputError(f"endpoint_options.{what}", day, f"a day within the simulated window [{t[0]:g}, {min(t[-1], self.horizon):g}]")
        if t.size == 1:
            return values[:, 0]
        j = int(np.clip(np.searchsorted(t, day, side="right") - 1, 0, t.size - 2))
        w = min(max((day - t[j]) / (t[j + 1] - t[j]), 0.0), 1.0)
        return values[:, j] * (1 - w) + values[:, j + 1] * w


def observation_window(result: Any, horizon_days: float | None) -> Window:
    """The window ``[0, horizon]`` of a Simulation or Dataset (horizon default: the last output time)."""
    # An xarray Dataset answers a missing attribute by searching its variables for a close name (slow): ask it first.
    dataset = result if isinstance(result, xr.Dataset) else getattr(result, "dataset", result)
    if not isinstance(dataset, xr.Dataset) or "time" not in dataset.coords:
        raise InputError("result", type(result).__name__, "a cartsim Simulation or an xarray Dataset with a 'time' coordinate")
    times = np.asarray(dataset["time"].values, dtype=float)
    horizon = float(times[-1]) if horizon_days is None else float(horizon_days)
    if horizon > times[-1] + TOLERANCE or horizon < 0:
        raise InputError("horizon_days", horizon_days, f"a day from 0 to the last simulated time ({times[-1]:g})")
    window = (times >= -TOLERANCE) & (times <= horizon + TOLERANCE)
    if not window.any():
        raise InputError("result.time", f"{times[0]:g} .. {times[-1]:g}", "output times between day 0 and the horizon")
    n = dataset.sizes["patient"]
    ok = np.asarray(dataset["status"].values) == 0 if "status" in dataset else np.ones(n, dtype=bool)
    return Window(dataset, times, window, horizon, ok)


def event_times(day: np.ndarray, origin: float, horizon: float, applicable: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Event times from ``origin``; a missing event is censored at the horizon (unless not applicable: NaN)."""
    censored = np.isnan(day) if applicable is None else np.isnan(day) & applicable
    values = np.where(censored, horizon - origin, day - origin)
    return values, censored


def patient_draws(seed: int, ids: np.ndarray, stream: int, draw: Callable[[np.random.Generator, int], float]) -> np.ndarray:
    """``draw(generator, row)`` for each patient, from the stream ``(seed, patient id)`` in counter block ``stream``."""
    out = np.empty(len(ids))
    counter = np.array([0, 0, 0, stream], dtype=np.uint64)
    for row, pid in enumerate(ids):
        generator = np.random.Generator(np.random.Philox(counter=counter, key=np.array([seed, int(pid)], dtype=np.uint64)))
        out[row] = draw(generator, row)
    return out
