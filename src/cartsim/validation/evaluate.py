"""Simulate one target's scenario and compute its endpoint: the evaluator behind ``cartsim validate``.

A target is a cohort (:class:`cartsim.population.Cohort`: its population, regimen, patients
and seed, daily output from the first dose or day 0 to the horizon) simulated by
:func:`cartsim.population.simulate_cohort` on the model passed in, then its endpoint per
patient.
"""

from __future__ import annotations

from cartsim.endpoints import EndpointContext, EndpointValues, compute_endpoint
from cartsim.engine import SolverOptions
from cartsim.model import Model
from cartsim.population import Cohort, CohortResult, simulate_cohort
from cartsim.validation.targets import Target

__all__ = ["evaluate", "simulate_target", "target_cohort"]


def target_cohort(target: Target) -> Cohort:
    """The target's virtual patients (ids 0 .. n-1 of its seed) on its regimen, daily to its horizon."""
    return Cohort.daily(
        target.population,
        target.treatment,
        target.horizon_days,
        patients=target.patients,
        seed=target.seed,
        changes=target.changes,
        hypothesis=target.hypothesis,
    )


def simulate_target(
    target: Target, model: Model, *, solver: SolverOptions = SolverOptions(), backend: str = "cpu"
) -> tuple[CohortResult, EndpointValues]:
    """Simulate ``target``'s scenario on ``model``: the trajectories and the endpoint of every virtual patient."""
    cohort = target_cohort(target)
    result = simulate_cohort(model, cohort, solver=solver, backend=backend)
    return result, compute_endpoint(target.endpoint, target.endpoint_options, result.dataset, EndpointContext.of(cohort))


def evaluate(target: Target, model: Model, *, solver: SolverOptions = SolverOptions(), backend: str = "cpu") -> EndpointValues:
    """Simulate ``target``'s scenario on ``model`` and return its endpoint for every virtual patient."""
    return simulate_target(target, model, solver=solver, backend=backend)[1]
