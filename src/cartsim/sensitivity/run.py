"""A sensitivity analysis of one endpoint of one arm of a scenario, under one hypothesis.

Every sample of the factors is one virtual patient: the arm's regimen, the population and
hypothesis applied, the factors set to the sample and every other parameter at its typical
value (no other between-patient spread: the factors *are* the variation studied). Samples are
solved in batches sized to a memory budget. Every sample shares patient 0's random draws
(relapses, progression: common random numbers), so an endpoint built on random events changes
only through the factors. Positive ranges are sampled uniformly on the log scale (a parameter
that spans a factor of 4 is as likely to be halved as doubled), others uniformly.

A one-at-a-time tornado comes with it: the endpoint at each factor's low and high end, the
others typical.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cartsim.endpoints import ENDPOINTS, EndpointContext, compute_endpoint
from cartsim.engine import SolverOptions, simulate
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.population import Cohort, cohort_model
from cartsim.sensitivity.factors import Factor, default_factors, factors_from_ranges
from cartsim.sensitivity.methods import METHODS, analyse, evaluations
from cartsim.trial.scenario import EndpointRequest, Scenario

__all__ = ["MEMORY_BYTES", "SensitivityResult", "sensitivity"]

#: Output memory one batch of samples may take (bytes); batches are sized from it.
MEMORY_BYTES = 2**28


@dataclass(frozen=True)
class SensitivityResult:
    """What drives ``endpoint`` of ``arm`` under ``hypothesis``: indices per factor and a tornado.

    ``indices``: ``factor, measure, value, conf`` (see :mod:`cartsim.sensitivity.methods`);
    ``tornado``: ``factor, low, high, at_low, at_high, swing`` (the endpoint at either end of
    the factor's range, the others typical; NaN where it has no value); ``typical``: the endpoint
    with every factor typical. ``failed``, ``missing`` and ``censored`` count the method's
    samples (``evaluations`` also counts the tornado's).
    """

    scenario: str
    arm: str
    hypothesis: str
    endpoint: str
    unit: str
    method: str
    samples: int
    factors: tuple[Factor, ...]
    indices: pd.DataFrame = field(repr=False)
    tornado: pd.DataFrame = field(repr=False)
    typical: float
    evaluations: int
    failed: int
    missing: int
    fill: float | None
    censored: int
    seconds: float
    seed: int
    solver: Mapping[str, object] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every sample had a value (else every index is NaN: SALib's estimators need them all)."""
        return self.failed == 0 and (self.missing == 0 or self.fill is not None)

    def ranking(self) -> pd.DataFrame:
        """One row per factor, its range and indices, the most influential first (by ST, or mu_star for Morris)."""
        wide = self.indices.pivot(index="factor", columns="measure", values="value")
        conf = self.indices.pivot(index="factor", columns="measure", values="conf").add_suffix("_conf")
        ranges = pd.DataFrame([{"factor": f.name, "low": f.low, "high": f.high, "unit": f.unit, "range": f.origin} for f in self.factors])
        table = ranges.merge(wide.join(conf), left_on="factor", right_index=True)
        key = "ST" if "ST" in table else "mu_star"
        return table.sort_values(key, ascending=False, na_position="last").reset_index(drop=True)


def _request(scenario: Scenario, endpoint: str) -> EndpointRequest:
    requests = {r.label: r for r in scenario.endpoints}
    if endpoint not in requests:
        raise InputError("endpoint", endpoint, "an endpoint of the scenario: " + ", ".join(requests))
    return requests[endpoint]


def _index(names: list[str], given: str | None, field: str) -> int:
    if given is None:
        return 0
    if given not in names:
        raise InputError(field, given, "one of " + ", ".join(names))
    return names.index(given)


def sensitivity(
    scenario: Scenario,
    endpoint: str,
    *,
    arm: str | None = None,
    hypothesis: str | None = None,
    method: str = "sobol",
    samples: int = 64,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    seed: int | None = None,
    fill: float | None = None,
    solver: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Which parameters drive ``endpoint`` of one arm of ``scenario`` (a checked :class:`~cartsim.trial.Scenario`).

    Parameters
    ----------
    endpoint
        The label of one of the scenario's endpoints (its statistic is not used: the index is
        over the per-patient value).
    arm, hypothesis
        Which arm and hypothesis (default: the first of each).
    method, samples
        ``"sobol"`` (``samples`` a power of 2), ``"morris"`` or ``"fast"``; evaluations:
        :func:`cartsim.sensitivity.methods.evaluations`.
    ranges
        Parameter -> (low, high) in its unit; default: every parameter with between-patient
        variability over its 5-95 % range (:func:`~cartsim.sensitivity.default_factors`).
    seed
        Seed of the sampling (default: the scenario's).
    fill
        The value of a sample whose endpoint has none (B cells that never fell have no day of
        return: ``fill=0`` counts them as back at once). Default: none, and then every index is
        NaN when a sample has no value; the result counts them (``missing``).
    solver
        Solver settings (default: the scenario's).
    progress
        Called with (samples solved, samples in all) after each batch.

    Raises
    ------
    InputError
        An unknown endpoint, arm, hypothesis, method or parameter; a bad range or sample count;
        an endpoint that does not apply to the arm.
    """
    request = _request(scenario, endpoint)
    arms = [a.name for a in scenario.arms]
    a = _index(arms, arm, "arm")
    r = _index(list(scenario.hypothesis_names), hypothesis, "hypothesis")
    catalogue = ENDPOINTS[request.endpoint]
    treatment = scenario.arms[a].treatment
    if not catalogue.applies_to(treatment):
        raise InputError("endpoint", endpoint, f"an endpoint that applies to arm {arms[a]!r} ({catalogue.name} needs {catalogue.needs})")
    if method not in METHODS:
        raise InputError("method", method, "one of " + ", ".join(METHODS))
    cohort = scenario.cohort(r, a, 0, 1)
    model = cohort_model(scenario.model(), cohort)
    fixed = {name: float(value) for name, value in treatment.parameters.items()}
    factors = factors_from_ranges(model, ranges) if ranges else tuple(f for f in default_factors(model) if f.name not in fixed)
    assumed = {c.name for c in cohort.hypothesis.changes} if cohort.hypothesis is not None else set()
    clash = [f.name for f in factors if f.name in fixed or f.name in assumed]
    if clash:
        said = ", ".join([*fixed, *sorted(assumed)])
        raise InputError("ranges", clash, f"parameters that the regimen and the hypothesis do not set (they set {said})")
    seed = int(scenario.seed if seed is None else seed)
    solver = scenario.solver if solver is None else solver
    total = evaluations(method, samples, len(factors)) + 2 * len(factors) + 1
    counts = {"done": 0, "failed": 0, "missing": 0, "censored": 0}  # over the method's samples, not the tornado
    done = [0]

    def run(values: np.ndarray, tally: dict[str, int]) -> np.ndarray:
        out = _evaluate(model, cohort, request, fixed, factors, values, solver, seed, fill, tally)
        done[0] += len(values)
        if progress is not None:
            progress(done[0], total)
        return out

    started = time.perf_counter()
    log = [f.low > 0 for f in factors]
    box = [(math.log(f.low), math.log(f.high)) if lg else (f.low, f.high) for f, lg in zip(factors, log, strict=True)]
    to_values = _to_values(log)
    indices = analyse([f.name for f in factors], box, lambda x: run(to_values(x), counts), method, samples, seed)
    tornado, typical = _tornado(factors, lambda x: run(x, {"failed": 0, "missing": 0, "censored": 0}))
    return SensitivityResult(
        scenario=str(scenario.raw.get("title", "")),
        arm=arms[a],
        hypothesis=scenario.hypothesis_names[r],
        endpoint=endpoint,
        unit=catalogue.unit,
        method=method,
        samples=samples,
        factors=factors,
        indices=indices,
        tornado=tornado,
        typical=typical,
        evaluations=done[0],
        failed=counts["failed"],
        missing=counts["missing"],
        fill=fill,
        censored=counts["censored"],
        seconds=time.perf_counter() - started,
        seed=seed,
        solver=solver.record("cpu"),
    )


def _to_values(log: list[bool]) -> Callable[[np.ndarray], np.ndarray]:
    mask = np.asarray(log)
    return lambda x: np.where(mask[None, :], np.exp(x), x)


def _tornado(factors: tuple[Factor, ...], run: Callable[[np.ndarray], np.ndarray]) -> tuple[pd.DataFrame, float]:
    """The endpoint at each factor's low and high end, the others typical (one batch of 2 D + 1)."""
    typical = np.array([f.typical for f in factors])
    rows = [typical]
    for j, f in enumerate(factors):
        for end in (f.low, f.high):
            row = typical.copy()
            row[j] = end
            rows.append(row)
    y = run(np.array(rows))
    table = pd.DataFrame(
        [{"factor": f.name, "low": f.low, "high": f.high, "at_low": y[1 + 2 * j], "at_high": y[2 + 2 * j]} for j, f in enumerate(factors)]
    )
    table["swing"] = (table["at_high"] - table["at_low"]).abs()
    return table.sort_values("swing", ascending=False).reset_index(drop=True), float(y[0])


def _evaluate(
    model: Model,
    cohort: Cohort,
    request: EndpointRequest,
    fixed: dict[str, float],
    factors: tuple[Factor, ...],
    values: np.ndarray,
    solver: SolverOptions,
    seed: int,
    fill: float | None,
    counts: dict[str, int],
) -> np.ndarray:
    """The endpoint of each row of ``values`` (one patient each), solved in batches within :data:`MEMORY_BYTES`.

    A failed solve is NaN; a solved sample without a value is NaN too, or ``fill``.
    """
    times = cohort.times
    per_patient = 2 * 8 * len(model.observables) * times.size
    batch = max(1, MEMORY_BYTES // per_patient)
    out = np.empty(len(values))
    for start in range(0, len(values), batch):
        part = values[start : start + batch]
        n = len(part)
        parameters = {f.name: part[:, j] for j, f in enumerate(factors)}
        parameters.update({name: np.full(n, value) for name, value in fixed.items()})
        simulation = simulate(model, cohort.treatment.regimen, parameters, times=times, solver=solver, seed=seed)
        context = EndpointContext.from_treatment(
            cohort.treatment,
            seed=seed,
            patient_ids=np.zeros(n, dtype=np.int64),
            horizon_days=cohort.horizon_days,
        )
        result = compute_endpoint(request.endpoint, request.options, simulation, context)
        ok = np.asarray(simulation.status) == 0
        values_here = np.asarray(result.values, dtype=float)
        missing = ok & ~np.isfinite(values_here)
        counts["failed"] += int((~ok).sum())
        counts["missing"] += int(missing.sum())
        counts["censored"] += int(np.asarray(result.censored).sum())
        if fill is not None:
            values_here = np.where(missing, fill, values_here)
        out[start : start + n] = np.where(ok, values_here, np.nan)
    return out
