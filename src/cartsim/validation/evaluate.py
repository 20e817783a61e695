"""Simulate one target's scenario and compute its endpoint: the evaluator behind ``cartsim validate``.

Population -> virtual patients (counter-based streams keyed by the target's seed), plus the
model switches its therapies set -> :func:`cartsim.simulate` on the full model with daily
output from the first dose (or day 0) to the horizon -> the endpoint per patient.
"""

from __future__ import annotations

import numpy as np

from cartsim.endpoints import EndpointContext, EndpointValues, compute_endpoint
from cartsim.engine import Simulation, simulate
from cartsim.errors import InputError
from cartsim.population import sample_population
from cartsim.validation.targets import Target

__all__ = ["evaluate", "simulate_target", "target_parameters", "target_times"]


def target_times(target: Target) -> np.ndarray:
    """Daily output from the first dose (or day 0, whichever is earlier) to the horizon."""
    start = min([0.0, *target.treatment.dose_days])
    return np.arange(np.floor(start), target.horizon_days + 0.5)


def target_parameters(target: Target, model) -> dict[str, np.ndarray]:
    """The target's virtual patients with the switches its therapies set."""
    from cartsim.parameters import POPULATION_CHANGES

    n = target.patients
    parameters = sample_population(model, target.population, n, seed=target.seed, extra=POPULATION_CHANGES)
    for name, value in target.treatment.parameters.items():
        if name not in model.parameter_names:
            raise InputError(f"target {target.id!r} regimen", name, "a therapy the model represents")
        parameters[name] = np.full(n, float(value))
    return parameters


def simulate_target(target: Target) -> tuple[Simulation, EndpointValues]:
    """Simulate ``target``'s scenario: the trajectories and the endpoint of every virtual patient."""
    from cartsim import full_model

    model = full_model()
    result = simulate(model, target.treatment.regimen, target_parameters(target, model), times=target_times(target), seed=target.seed)
    context = EndpointContext.from_treatment(
        target.treatment, seed=target.seed, patient_ids=np.arange(target.patients), horizon_days=target.horizon_days
    )
    return result, compute_endpoint(target.endpoint, target.endpoint_options, result.dataset, context)


def evaluate(target: Target) -> EndpointValues:
    """Simulate ``target``'s scenario and return its endpoint for every virtual patient."""
    return simulate_target(target)[1]
