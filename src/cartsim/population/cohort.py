"""The cohort: one group of virtual patients on one regimen, and the one way to simulate it.

A :class:`Cohort` says *who* (a population, the patients' ids and the seed of their random
streams), *what is assumed* (parameter changes and a hypothesis) and *when* (the regimen
and the output times). :func:`simulate_cohort` joins it with *what* (the model, passed in)
and *how* (solver settings, backend): trials, validation, the demo and everything built on
them simulate groups of patients through it.

The model a cohort runs is built in this order, each step on top of the last:

1. the hypothesis's module variants;
2. the population's changes;
3. the hypothesis's parameter changes;
4. the cohort's own changes (a scenario's ``[parameters]``, the arm's ``parameters``);
5. the switches its therapies set (which antigen a CAR targets, ...).

A parameter changed in step 4 may not be one a hypothesis or a therapy sets: such a clash
is an error, not a silent override.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cartsim.engine import BACKENDS, Simulation, SolverOptions, simulate
from cartsim.errors import InputError
from cartsim.model import Change, Hypothesis, Model
from cartsim.population.populations import Population
from cartsim.population.sampling import patient_ids, sample_parameters
from cartsim.protocol import Treatment

__all__ = ["AS_GIVEN", "Cohort", "CohortResult", "cohort_model", "simulate_cohort"]

#: Name of the "no hypothesis" case: the model as it was given.
AS_GIVEN = "as-given"


@dataclass(frozen=True)
class Cohort:
    """One group of virtual patients on one regimen (immutable).

    Parameters
    ----------
    population
        Who the patients are.
    treatment
        The parsed regimen (:func:`cartsim.protocol.parse_regimen`): doses and switches.
    times
        Output times in days (strictly increasing).
    seed
        Seed of the patients' random streams.
    patients
        The patients' ids (a count ``n`` means ids ``0 .. n-1``); a patient's parameters and
        random events depend only on ``(seed, id)``.
    changes
        Parameter changes on top of the population and hypothesis.
    hypothesis
        The hypothesis the cohort runs under (None: the model as given).
    horizon_days
        End of the observation window of the endpoints (default: the last output time).
    """

    population: Population
    treatment: Treatment
    times: np.ndarray = field(repr=False)
    seed: int = 1
    patients: np.ndarray | range | int = field(default=1, repr=False)
    changes: tuple[Change, ...] = ()
    hypothesis: Hypothesis | None = None
    horizon_days: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.population, Population):
            raise InputError("cohort.population", self.population, "a cartsim.population.Population")
        if not isinstance(self.treatment, Treatment):
            raise InputError("cohort.treatment", self.treatment, "a Treatment from cartsim.protocol.parse_regimen")
        from cartsim.engine import time_grid

        times = time_grid(self.times, None)
        times.flags.writeable = False
        ids = patient_ids(self.patients, "cohort.patients")
        ids.flags.writeable = False
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "patients", ids)
        object.__setattr__(self, "changes", tuple(self.changes))
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed < 2**63:
            raise InputError("cohort.seed", self.seed, "a whole number from 0 to 2**63 - 1")
        if self.hypothesis is not None and not isinstance(self.hypothesis, Hypothesis):
            raise InputError("cohort.hypothesis", self.hypothesis, "a cartsim.model.Hypothesis or None")
        horizon = float(times[-1]) if self.horizon_days is None else self.horizon_days
        if isinstance(horizon, bool) or not isinstance(horizon, (int, float)) or not 0 <= horizon <= times[-1] + 1e-9:
            raise InputError("cohort.horizon_days", self.horizon_days, f"a day from 0 to the last output time ({times[-1]:g})")
        object.__setattr__(self, "horizon_days", float(horizon))
        if times[0] > min([0.0, *self.treatment.dose_days]):
            raise InputError("cohort.times", f"from day {times[0]:g}", "output times from the first dose (or day 0) on")

    @property
    def ids(self) -> np.ndarray:
        """The patients' ids (read-only array)."""
        assert isinstance(self.patients, np.ndarray)  # normalised in __post_init__
        return self.patients

    @property
    def size(self) -> int:
        return int(self.ids.size)

    @property
    def hypothesis_name(self) -> str:
        return AS_GIVEN if self.hypothesis is None else self.hypothesis.name

    @classmethod
    def daily(cls, population: Population, treatment: Treatment, horizon_days: float, **kwargs: Any) -> Cohort:
        """A cohort with daily output from the first dose (or day 0, whichever is earlier) to ``horizon_days``."""
        start = math.floor(min([0.0, *treatment.dose_days]))
        return cls(population, treatment, np.arange(start, horizon_days + 0.5), horizon_days=horizon_days, **kwargs)


def _check_clashes(cohort: Cohort) -> None:
    """The cohort's own changes may not touch what the hypothesis or a therapy sets."""
    taken = {name: f"hypothesis {cohort.hypothesis.name!r}" for name in cohort.hypothesis.parameter_names} if cohort.hypothesis else {}
    taken |= {name: "the regimen's therapies" for name in cohort.treatment.parameters}
    for change in cohort.changes:
        if change.name in taken:
            raise InputError(f"parameters.{change.name}", change.value, f"a parameter not set by {taken[change.name]}")


def cohort_model(model: Model, cohort: Cohort) -> Model:
    """The model ``cohort`` runs: ``model`` with its hypothesis, population and changes applied (module docstring)."""
    _check_clashes(cohort)
    hypothesis = cohort.hypothesis
    varied = hypothesis.apply(model) if hypothesis is not None and hypothesis.modules else model
    varied = cohort.population.apply(varied)
    if hypothesis is not None:
        varied = varied.with_changes(hypothesis.changes, field=f"hypothesis {hypothesis.name!r}.parameters")
    return varied.with_changes(cohort.changes)


@dataclass(frozen=True)
class CohortResult:
    """A simulated cohort: the trajectories, the model that ran and what produced them.

    Attributes
    ----------
    cohort
        The cohort.
    model
        The model the cohort ran (population, hypothesis and changes applied).
    simulation
        Observables per patient and time, with per-patient status.
    provenance
        Model hash and modules, population, hypothesis, parameter changes, solver settings,
        backend, seed.
    """

    cohort: Cohort
    model: Model
    simulation: Simulation
    provenance: Mapping[str, Any]

    @property
    def dataset(self) -> Any:
        return self.simulation.dataset


def _change_record(change: Change) -> dict[str, Any]:
    return {
        key: value
        for key, value in (
            ("parameter", change.name),
            ("value", change.value),
            ("unit", change.unit),
            ("omega", change.omega),
            ("source", change.source),
        )
        if value is not None
    }


def simulate_cohort(
    model: Model, cohort: Cohort, *, solver: SolverOptions = SolverOptions(), backend: str = "cpu", include_states: bool = False
) -> CohortResult:
    """Simulate every patient of ``cohort`` on ``model``.

    Parameters
    ----------
    model
        The model (passed in, never fetched: ``cartsim.full_model()`` or any composed model).
    cohort
        Who, what is assumed, and when.
    solver, backend
        How to solve (:class:`~cartsim.SolverOptions`; ``"cpu"``, ``"jax"`` or ``"reference"``).
    include_states
        Also keep every state variable.

    Returns
    -------
    CohortResult
        The trajectories (a patient whose solve fails gets a status, the others go on), the
        model that ran and the provenance.

    Raises
    ------
    InputError
        A change of an unknown parameter or outside its bounds, a clash with the hypothesis
        or the therapies, a therapy the model does not represent.

    Examples
    --------
    >>> from cartsim import full_model
    >>> from cartsim.population import POPULATIONS
    >>> from cartsim.protocol import parse_regimen
    >>> treatment = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}])
    >>> cohort = Cohort.daily(POPULATIONS["rrms"], treatment, 28, patients=5, seed=1)
    >>> result = simulate_cohort(full_model(), cohort)
    >>> result.dataset["bcells_blood"].shape
    (5, 29)
    >>> result.provenance["backend"], result.provenance["population"]
    ('cpu', 'rrms')
    """
    if backend not in BACKENDS:
        raise InputError("backend", backend, "one of " + ", ".join(BACKENDS))
    varied = cohort_model(model, cohort)
    parameters = sample_parameters(varied, cohort.ids, cohort.seed, correlations=cohort.population.correlations)
    for name, value in cohort.treatment.parameters.items():
        if name not in varied.parameter_names:
            raise InputError("regimen", cohort.treatment.names, f"therapies the model represents (it has no {name!r})")
        parameters[name] = np.full(cohort.size, float(value))
    simulation = simulate(
        varied,
        cohort.treatment.regimen,
        parameters,
        times=cohort.times,
        solver=solver,
        backend=backend,
        include_states=include_states,
        seed=cohort.seed,
    )
    provenance = {
        "model_name": varied.name,
        "model_hash": varied.hash,
        "modules": [m.name for m in varied.modules],
        "population": cohort.population.name,
        "hypothesis": cohort.hypothesis_name,
        "parameter_changes": [_change_record(c) for c in cohort.changes],
        "hypothesis_changes": [_change_record(c) for c in cohort.hypothesis.changes] if cohort.hypothesis else [],
        "solver": solver.record(backend),
        "backend": backend,
        "seed": cohort.seed,
        "patients": cohort.size,
    }
    return CohortResult(cohort, varied, simulation, provenance)
