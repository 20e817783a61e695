"""Virtual-trial scenario files (TOML): the model, patients, arms, hypotheses, endpoints and outputs.

A scenario names a population (built-in, a population file or an inline table), the virtual
patients per arm, a horizon and a seed, then one ``[[arm]]`` table per arm whose ``regimen``
lists entries exactly as in the targets format (read with the model's own therapies). A
sequence such as ocrelizumab for two years, a washout, then lymphodepletion and CAR-T is
simply a regimen with later days. Optional sections open the model (``[model]``,
``[solver]``, ``[parameters]``, an arm's ``parameters``), name the hypotheses every arm runs
under (``hypotheses``), and choose endpoints and outputs. Every problem is an
:class:`~cartsim.errors.InputError` naming the field, the value and what is allowed
(``cartsim formats scenario`` prints the whole format).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from cartsim.checks import horizon_days, read_toml, text, whole
from cartsim.endpoints import endpoint_spec
from cartsim.engine import SolverOptions
from cartsim.errors import InputError
from cartsim.model import Change, Hypothesis, Model
from cartsim.population import AS_GIVEN, Cohort, Population
from cartsim.population.settings import (
    hypothesis_table,
    population_table,
    read_changes,
    read_hypotheses,
    read_modules,
    read_population,
    read_solver,
)
from cartsim.protocol import Treatment, parse_regimen, therapy_catalogue
from cartsim.validation.statistics import Statistic, parse_statistic

__all__ = ["Arm", "EndpointRequest", "Scenario", "load_scenario", "parse_scenario"]

MAX_PATIENTS = 1_000_000
MAX_ARMS = 20
MAX_REPLICATES = 10_000
MAX_NAME = 80
DEFAULT_REPLICATES = 200
DEFAULT_CHUNK = 2000
_TOP = (
    "title",
    "question",
    "population",
    "patients",
    "horizon_days",
    "seed",
    "replicates",
    "chunk_size",
    "model",
    "solver",
    "parameters",
    "hypotheses",
    "arm",
    "endpoint",
    "outputs",
)
_REQUIRED = ("population", "patients", "horizon_days", "arm")
_DEFAULT_OUTPUTS = ("bcells_blood", "cart_blood", "igg_total", "autoreactive_memory_relative", "autoantibody")
#: Columns of the per-patient table that endpoint labels may not take.
RESERVED_LABELS = ("hypothesis", "arm", "patient", "status")


@dataclass(frozen=True)
class Arm:
    """One arm: its ``name``, the parsed ``treatment``, the regimen entries as written and its own parameter changes."""

    name: str
    treatment: Treatment
    entries: tuple[Mapping[str, Any], ...]
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class EndpointRequest:
    """One endpoint wanted: ``label`` (column name), catalogue ``endpoint``, checked ``options``, ``statistic``."""

    label: str
    endpoint: str
    options: Mapping[str, Any]
    statistic: Statistic


@dataclass(frozen=True)
class Scenario:
    """A checked scenario; build it with :func:`parse_scenario` or :func:`load_scenario`.

    ``raw`` is the normalised table (defaults filled in, the population and hypotheses
    written out in full) that :attr:`hash` is computed from and that is written back as
    ``scenario.toml`` in a result folder (:attr:`text`).

    Attributes
    ----------
    population, patients, horizon_days, seed
        Who, how many per arm, for how long, and the seed of their random streams.
    arms, endpoints
        The arms and the endpoints wanted.
    outputs
        Observables whose median and 90% band over time are kept.
    patient_outputs
        How many patients per arm keep their full trajectories of ``outputs`` (0: none).
    modules
        The modules of the model (None: every module).
    solver, backend
        How to solve.
    changes
        Parameter changes for every arm (each arm may add its own).
    hypotheses
        The hypotheses every arm runs under (empty: the model as given).
    """

    population: Population
    patients: int
    horizon_days: float
    seed: int
    replicates: int
    chunk_size: int
    arms: tuple[Arm, ...]
    endpoints: tuple[EndpointRequest, ...]
    outputs: tuple[str, ...]
    raw: Mapping[str, Any]
    patient_outputs: int = 0
    modules: tuple[str, ...] | None = None
    solver: SolverOptions = SolverOptions()
    backend: str = "cpu"
    changes: tuple[Change, ...] = ()
    hypotheses: tuple[Hypothesis, ...] = ()

    @property
    def times(self) -> np.ndarray:
        """Daily output times from the earliest dose (or day 0, whichever is earlier) to the horizon."""
        days = [d for arm in self.arms for d in arm.treatment.dose_days]
        start = math.floor(min([0.0, *days]))
        return np.arange(start, self.horizon_days + 0.5, dtype=float)

    @property
    def hash(self) -> str:
        """SHA-256 (16 hex digits) of the normalised scenario: a resumed run must match it."""
        text = json.dumps(self.raw, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def text(self) -> str:
        """The normalised scenario as TOML (what ran, defaults included)."""
        from cartsim.trial.files import toml_text

        return toml_text(self.raw)

    @property
    def runs(self) -> tuple[Hypothesis | None, ...]:
        """The hypotheses arms run under (``(None,)``: the model as given)."""
        return self.hypotheses or (None,)

    @property
    def hypothesis_names(self) -> tuple[str, ...]:
        return tuple(AS_GIVEN if h is None else h.name for h in self.runs)

    def cited_keys(self, model: Model, models: Sequence[Model] | None = None) -> dict[str, tuple[str, ...]]:
        """Bibliography key -> what cites it, over every model this scenario runs on ``model``
        (each hypothesis and arm: population, hypothesis and parameter changes applied; ``models``
        when they were built already by :meth:`cohort_models`)."""
        from cartsim.parameters.citations import cited_keys

        ran = self.cohort_models(model) if models is None else models
        return cited_keys(*ran, extra=[(f"hypothesis {h.name}", h.source) for h in self.hypotheses])

    def cohort_models(self, model: Model) -> list[Model]:
        """The models this scenario runs on ``model``: one per hypothesis and arm (population, hypothesis and changes applied)."""
        from cartsim.population import cohort_model

        return [cohort_model(model, self.cohort(h, a, 0, 1)) for h in range(len(self.runs)) for a in range(len(self.arms))]

    def model(self) -> Model:
        """The model of the scenario's modules with the default parameters (cached)."""
        from cartsim.models import build_model

        return build_model(self.modules)

    def cohort(self, run: int, arm: int, start: int, stop: int) -> Cohort:
        """Patients ``start .. stop - 1`` of arm ``arm`` under hypothesis ``run``.

        Patient ``i`` of arm ``a`` (of ``A`` arms) has the global id ``i * A + a``, the same
        under every hypothesis (a paired comparison).
        """
        k = len(self.arms)
        return Cohort(
            self.population,
            self.arms[arm].treatment,
            self.times,
            seed=self.seed,
            patients=range(start * k + arm, stop * k + arm, k),
            changes=self.changes + self.arms[arm].changes,
            hypothesis=self.runs[run],
            horizon_days=self.horizon_days,
        )


def _whole(table: Mapping[str, Any], key: str, low: int, high: int, default: int | None = None) -> int:
    return whole(table.get(key, default), key, low, high)


def _missing_observables(spec: Any, observables: tuple[str, ...]) -> list[str]:
    """What endpoint ``spec`` reads that the scenario's modules do not provide (drug concentrations come with the drug)."""
    return [o for o in spec.observables if o != "drug concentration" and o not in observables]


def _default_endpoints(population: Population, horizon: float, arms: tuple[Arm, ...], observables: tuple[str, ...]) -> list[dict[str, Any]]:
    """What a trial reports unless the file lists its own: the endpoints that matter for the population
    (those the scenario's modules compute, its arms' regimens allow and its horizon can hold), on the
    horizon, with each endpoint's statistic."""
    from cartsim.endpoints import ENDPOINTS
    from cartsim.errors import CartsimError

    tables = []
    for name in population.endpoints or ("bcell_depletion_day", "bcell_recovery_day", "crs_max_grade", "total_igg_change_pct"):
        spec = ENDPOINTS[name]
        if _missing_observables(spec, observables):
            continue  # e.g. infections in a model without the infection module
        options = spec.default_options(horizon)
        try:
            checked = spec.validate(options)
            fitting = [a for a in arms if spec.applies_to(a.treatment)]
            for arm in fitting:
                spec.check_fits(checked, arm.treatment, horizon, "options")
        except CartsimError:
            continue  # e.g. 24-week confirmed progression over a 90-day horizon
        if fitting:
            tables.append({"name": name, "endpoint": name, "options": options, "statistic": spec.default_statistic})
    return tables


def _endpoint(table: Any, i: int, horizon: float, arms: tuple[Arm, ...], observables: tuple[str, ...]) -> EndpointRequest:
    where = f"endpoint[{i}]"
    if not isinstance(table, Mapping):
        raise InputError(where, table, "a table with name, endpoint, options and statistic")
    for key in table:
        if key not in ("name", "endpoint", "options", "statistic"):
            raise InputError(f"{where}.{key}", table[key], "the fields name, endpoint, options, statistic")
    spec = endpoint_spec(table.get("endpoint"), f"{where}.endpoint")
    if missing := _missing_observables(spec, observables):
        raise InputError(f"{where}.endpoint", spec.name, f"an endpoint of the scenario's modules ({spec.name} reads {', '.join(missing)})")
    label = table.get("name", spec.name)
    text(label, f"{where}.name", "a non-empty label")
    if label in RESERVED_LABELS or label.endswith("_censored") or len(label) > MAX_NAME:
        raise InputError(
            f"{where}.name",
            label,
            f"a label of at most {MAX_NAME} characters other than " + ", ".join(RESERVED_LABELS) + " and not ending in _censored",
        )
    options = spec.validate(table.get("options"), f"{where}.options")
    statistic = parse_statistic(table.get("statistic", spec.default_statistic), f"{where}.statistic")
    if statistic.name == "ratio_to":
        raise InputError(f"{where}.statistic", statistic.text, "a statistic of one arm (compare arms in the summary table)")
    fitting = [a for a in arms if spec.applies_to(a.treatment)]
    if not fitting:
        from cartsim.protocol import default_therapies

        raise InputError(f"{where}.endpoint", spec.name, spec.requirement(default_therapies().values()) + " in some arm")
    for arm in fitting:
        spec.check_fits(options, arm.treatment, horizon, f"{where}.options")
    return EndpointRequest(label, spec.name, options, statistic)


def _outputs(given: Any, observables: tuple[str, ...], arms: tuple[Arm, ...], patients: int) -> tuple[tuple[str, ...], int]:
    """(observables whose bands are kept, patients per arm who keep their trajectories)."""
    if given is None:
        drugs = sorted({a.treatment.drug.concentration for a in arms if a.treatment.drug})
        return tuple(o for o in (*_DEFAULT_OUTPUTS, *drugs) if o in observables), 0
    if not isinstance(given, Mapping):
        raise InputError("outputs", given, "a table: [outputs] observables = ['bcells_blood', ...], patients = 10 or 'all'")
    for key in given:
        if key not in ("observables", "patients"):
            raise InputError(f"outputs.{key}", given[key], "observables, patients")
    names = given.get("observables", list(_outputs(None, observables, arms, patients)[0]))
    if not isinstance(names, list) or not 1 <= len(names) <= len(observables):
        raise InputError("outputs.observables", names, "a list of observable names: " + ", ".join(observables))
    for i, name in enumerate(names):
        if name not in observables:
            raise InputError(f"outputs.observables[{i}]", name, "one of " + ", ".join(observables))
    kept = given.get("patients", 0)
    kept = patients if kept == "all" else whole(kept, "outputs.patients", 0, patients) if not isinstance(kept, str) else kept
    if isinstance(kept, str):
        raise InputError("outputs.patients", kept, f"a whole number from 0 to {patients:,} or 'all'")
    return tuple(dict.fromkeys(names)), kept


def _arm(raw: Any, i: int, horizon: float, catalogue: Mapping[str, Any], taken: list[str]) -> Arm:
    where = f"arm[{i}]"
    if not isinstance(raw, Mapping):
        raise InputError(where, raw, "a table with name and regimen")
    for key in raw:
        if key not in ("name", "regimen", "parameters"):
            raise InputError(f"{where}.{key}", raw[key], "the fields name, regimen, parameters")
    name = text(raw.get("name"), f"{where}.name", "a non-empty arm name")
    if len(name) > MAX_NAME:
        raise InputError(f"{where}.name", name, f"an arm name of at most {MAX_NAME} characters")
    if name in taken:
        raise InputError(f"{where}.name", name, "a name no other arm has")
    if "regimen" not in raw:
        raise InputError(f"{where}.regimen", None, "a list of regimen entries (required)")
    treatment = parse_regimen(raw["regimen"], f"{where}.regimen", catalogue)
    late = [d for d in treatment.dose_days if d > horizon]
    if late:
        raise InputError(f"{where}.regimen", f"a dose on day {late[0]:g}", f"doses within the horizon (<= {horizon:g})")
    return Arm(name, treatment, tuple(dict(e) for e in raw["regimen"]), read_changes(raw.get("parameters"), f"{where}.parameters"))


def parse_scenario(table: Mapping[str, Any], *, patients: int | None = None, folder: Path | None = None) -> Scenario:
    """Check a scenario table (as read from TOML) and return a :class:`Scenario`.

    Parameters
    ----------
    table
        Top level ``population``, ``patients``, ``horizon_days``, ``seed`` and optional
        ``replicates``, ``chunk_size``, ``title``, ``question``, ``[model]``, ``[solver]``,
        ``[parameters]``, ``hypotheses``; ``arm`` (a list of tables with ``name``,
        ``regimen`` and optional ``parameters``); optional ``endpoint`` (a list of tables)
        and ``[outputs]``.
    patients
        Patients per arm, overriding the table's (quick runs from the command line).
    folder
        Where relative file names in the table (a population file) are found.

    Raises
    ------
    InputError
        For an unknown key, population, module, therapy, endpoint, hypothesis or observable,
        a wrong type, or a size out of range (patients, horizon, arms, replicates, chunk size).

    Examples
    --------
    >>> scenario = parse_scenario({"population": "rrms", "patients": 10, "horizon_days": 60,
    ...     "parameters": {"cart_doubling_time": "1.2 day"}, "hypotheses": ["cns-cart-entry", "no-cns-cart"],
    ...     "arm": [{"name": "ocrelizumab", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}]}]})
    >>> scenario.hypothesis_names, scenario.changes[0].value, scenario.changes[0].unit
    (('cns-cart-entry', 'no-cns-cart'), 1.2, 'day')
    """
    from cartsim.models import MODULES

    if not isinstance(table, Mapping):
        raise InputError("scenario", table, "a table (the top level of a TOML file)")
    for key in table:
        if key not in _TOP:
            raise InputError(key, table[key], "one of the scenario keys " + ", ".join(_TOP))
    for key in _REQUIRED:
        if key not in table:
            raise InputError(key, None, "a value (required)")
    population = read_population(table["population"], "population", folder)
    n = _whole({"patients": patients if patients is not None else table["patients"]}, "patients", 1, MAX_PATIENTS)
    horizon = horizon_days(table["horizon_days"], "horizon_days")
    seed = _whole(table, "seed", 0, 2**63 - 1, 1)
    replicates = _whole(table, "replicates", 1, MAX_REPLICATES, DEFAULT_REPLICATES)
    chunk = _whole(table, "chunk_size", 1, 100_000, DEFAULT_CHUNK)
    for key, longest in (("title", 200), ("question", 1000)):
        if key in table and len(text(table[key], key, "a non-empty string")) > longest:
            raise InputError(key, table[key], f"at most {longest} characters")
    modules = read_modules(table.get("model"))
    chosen = [MODULES[m] for m in (modules or MODULES)]
    solver, backend = read_solver(table.get("solver"))
    changes = read_changes(table.get("parameters"))
    hypotheses = read_hypotheses(table.get("hypotheses"))

    arm_tables = table["arm"]
    if not isinstance(arm_tables, list) or not 1 <= len(arm_tables) <= MAX_ARMS:
        raise InputError("arm", arm_tables, f"1 to {MAX_ARMS} [[arm]] tables")
    catalogue = therapy_catalogue(chosen)
    arms: list[Arm] = []
    for i, raw_arm in enumerate(arm_tables):
        arms.append(_arm(raw_arm, i, horizon, catalogue, [a.name for a in arms]))

    observables = tuple(o.name for m in chosen for o in m.observables)
    endpoint_tables = table["endpoint"] if "endpoint" in table else _default_endpoints(population, horizon, tuple(arms), observables)
    if not isinstance(endpoint_tables, list) or not 1 <= len(endpoint_tables) <= 100:
        raise InputError("endpoint", endpoint_tables, "1 to 100 [[endpoint]] tables")
    endpoints = tuple(_endpoint(t, i, horizon, tuple(arms), observables) for i, t in enumerate(endpoint_tables))
    labels = [e.label for e in endpoints]
    if len(set(labels)) != len(labels):
        raise InputError("endpoint.name", labels, "a different name for each endpoint")

    outputs, kept = _outputs(table.get("outputs"), observables, tuple(arms), n)
    raw: dict[str, Any] = {key: table[key] for key in ("title", "question") if key in table}
    raw |= {
        "population": population_table(population),
        "patients": n,
        "horizon_days": horizon,
        "seed": seed,
        "replicates": replicates,
        "chunk_size": chunk,
    }
    if modules is not None:
        raw["model"] = {"modules": list(modules)}
    if "solver" in table:
        raw["solver"] = dict(table["solver"])
    if changes:
        raw["parameters"] = dict(table["parameters"])
    if hypotheses:
        raw["hypotheses"] = [hypothesis_table(h) for h in hypotheses]
    raw["outputs"] = {"observables": list(outputs), "patients": kept}
    raw["arm"] = [
        {"name": a.name, "regimen": [dict(e) for e in a.entries]} | ({"parameters": dict(arm_tables[i]["parameters"])} if a.changes else {})
        for i, a in enumerate(arms)
    ]
    raw["endpoint"] = [
        {
            "name": e.label,
            "endpoint": e.endpoint,
            "options": {k: v for k, v in e.options.items() if v is not None},
            "statistic": e.statistic.text,
        }
        for e in endpoints
    ]
    return Scenario(
        population,
        n,
        horizon,
        seed,
        replicates,
        chunk,
        tuple(arms),
        endpoints,
        outputs,
        MappingProxyType(raw),
        kept,
        modules,
        solver,
        backend,
        changes,
        hypotheses,
    )


def load_scenario(path: str | Path, *, patients: int | None = None) -> Scenario:
    """Read and check a scenario TOML file (see :func:`parse_scenario`).

    Raises
    ------
    InputError
        For a missing or unreadable file, invalid TOML (with its line), or any scenario problem.
    """
    path = Path(path)
    table = read_toml(path, "scenario file", "scenario file")
    return parse_scenario(table, patients=patients, folder=path.parent)
