"""Virtual-trial scenario files (TOML): arms, endpoints and outputs, checked before anything runs.

A scenario names a population, the virtual patients per arm, a horizon and a seed, then one
``[[arm]]`` table per arm whose ``regimen`` lists entries exactly as in ``TARGETS.md`` (read
by :func:`cartsim.protocol.parse_regimen`). A sequence such as ocrelizumab for two years,
a washout, then lymphodepletion and CAR-T is simply a regimen with later days. Optional
``[[endpoint]]`` tables and ``outputs`` have defaults. Every problem is an
:class:`~cartsim.errors.InputError` naming the field, the value and what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from cartsim.endpoints import endpoint_spec
from cartsim.checks import text, whole
from cartsim.errors import InputError
from cartsim.population import POPULATION_NAMES
from cartsim.protocol import Treatment, default_therapies, parse_regimen
from cartsim.validation.statistics import Statistic, parse_statistic

__all__ = ["Arm", "EndpointRequest", "Scenario", "load_scenario", "parse_scenario"]

MAX_PATIENTS = 1_000_000
MAX_HORIZON_DAYS = 36_500
MAX_ARMS = 20
MAX_REPLICATES = 10_000
DEFAULT_REPLICATES = 200
DEFAULT_CHUNK = 2000
_TOP = ("title", "question", "population", "patients", "horizon_days", "seed", "replicates", "chunk_size", "arm", "endpoint", "outputs")
_REQUIRED = ("population", "patients", "horizon_days", "arm")
_DEFAULT_OUTPUTS = ("bcells_blood", "cart_blood", "igg_total", "autoantibody")


@dataclass(frozen=True)
class Arm:
    """One arm: its ``name``, the parsed ``treatment`` and the regimen entries as written."""

    name: str
    treatment: Treatment
    entries: tuple[Mapping[str, Any], ...]


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

    ``raw`` is the normalised table (defaults filled in) that :attr:`hash` is computed from,
    and that is written back as ``scenario.toml`` in a result folder.
    """

    population: str
    patients: int
    horizon_days: float
    seed: int
    replicates: int
    chunk_size: int
    arms: tuple[Arm, ...]
    endpoints: tuple[EndpointRequest, ...]
    outputs: tuple[str, ...]
    raw: Mapping[str, Any]

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


def _whole(table: Mapping[str, Any], key: str, low: int, high: int, default: int | None = None) -> int:
    return whole(table.get(key, default), key, low, high)


def _default_endpoints(horizon: float) -> list[dict[str, Any]]:
    """Endpoints every trial reports unless the file lists its own."""
    return [
        {"name": "bcell_depletion_day", "endpoint": "bcell_depletion_day", "options": {}, "statistic": "median"},
        {"name": "bcell_recovery_day", "endpoint": "bcell_recovery_day", "options": {}, "statistic": "median"},
        {"name": "crs_max_grade", "endpoint": "crs_max_grade", "options": {}, "statistic": "mean"},
        {"name": "total_igg_change_pct", "endpoint": "total_igg_change_pct", "options": {"day": horizon}, "statistic": "median"},
        {"name": "annualized_relapse_rate", "endpoint": "annualized_relapse_rate", "options": {"to_day": horizon}, "statistic": "mean"},
    ]


def _endpoint(table: Any, i: int, horizon: float, arms: tuple[Arm, ...]) -> EndpointRequest:
    where = f"endpoint[{i}]"
    if not isinstance(table, Mapping):
        raise InputError(where, table, "a table with name, endpoint, options and statistic")
    for key in table:
        if key not in ("name", "endpoint", "options", "statistic"):
            raise InputError(f"{where}.{key}", table[key], "the fields name, endpoint, options, statistic")
    spec = endpoint_spec(table.get("endpoint"), f"{where}.endpoint")
    label = table.get("name", spec.name)
    text(label, f"{where}.name", "a non-empty label")
    options = spec.validate(table.get("options"), f"{where}.options")
    statistic = parse_statistic(table.get("statistic", "fraction" if spec.kind == "boolean" else "median"), f"{where}.statistic")
    if statistic.name == "ratio_to":
        raise InputError(f"{where}.statistic", statistic.text, "a statistic of one arm (compare arms in the summary table)")
    fitting = [a for a in arms if spec.applies_to(a.treatment)]
    if not fitting:
        raise InputError(f"{where}.endpoint", spec.name, spec.requirement(default_therapies().values()) + " in some arm")
    for arm in fitting:
        spec.check_fits(options, arm.treatment, horizon, f"{where}.options")
    return EndpointRequest(label, spec.name, options, statistic)


def parse_scenario(table: Mapping[str, Any], *, patients: int | None = None) -> Scenario:
    """Check a scenario table (as read from TOML) and return a :class:`Scenario`.

    Parameters
    ----------
    table
        Top level ``population``, ``patients``, ``horizon_days``, ``seed`` and optional
        ``replicates``, ``chunk_size``, ``title``, ``question``; ``arm`` (a list of tables with
        ``name`` and ``regimen``); optional ``endpoint`` (a list of tables) and ``outputs``.
    patients
        Patients per arm, overriding the table's (quick runs from the command line).

    Raises
    ------
    InputError
        For an unknown key, population, therapy, endpoint or observable, a wrong type, or a
        size out of range (patients, horizon, arms, replicates, chunk size).
    """
    if not isinstance(table, Mapping):
        raise InputError("scenario", table, "a table (the top level of a TOML file)")
    for key in table:
        if key not in _TOP:
            raise InputError(key, table[key], "one of the scenario keys " + ", ".join(_TOP))
    for key in _REQUIRED:
        if key not in table:
            raise InputError(key, None, "a value (required)")
    population = table["population"]
    if population not in POPULATION_NAMES:
        raise InputError("population", population, "one of " + ", ".join(POPULATION_NAMES))
    n = _whole({"patients": patients if patients is not None else table["patients"]}, "patients", 1, MAX_PATIENTS)
    horizon = table["horizon_days"]
    if isinstance(horizon, bool) or not isinstance(horizon, (int, float)) or not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise InputError("horizon_days", horizon, f"a number of days from 1 to {MAX_HORIZON_DAYS:,}")
    horizon = float(horizon)
    seed = _whole(table, "seed", 0, 2**63 - 1, 1)
    replicates = _whole(table, "replicates", 1, MAX_REPLICATES, DEFAULT_REPLICATES)
    chunk = _whole(table, "chunk_size", 1, 100_000, DEFAULT_CHUNK)
    for key in ("title", "question"):
        if key in table:
            text(table[key], key, "a non-empty string")

    arm_tables = table["arm"]
    if not isinstance(arm_tables, list) or not 1 <= len(arm_tables) <= MAX_ARMS:
        raise InputError("arm", arm_tables, f"1 to {MAX_ARMS} [[arm]] tables")
    arms: list[Arm] = []
    for i, arm in enumerate(arm_tables):
        where = f"arm[{i}]"
        if not isinstance(arm, Mapping):
            raise InputError(where, arm, "a table with name and regimen")
        for key in arm:
            if key not in ("name", "regimen"):
                raise InputError(f"{where}.{key}", arm[key], "the fields name, regimen")
        name = text(arm.get("name"), f"{where}.name", "a non-empty arm name")
        if name in [a.name for a in arms]:
            raise InputError(f"{where}.name", name, "a name no other arm has")
        if "regimen" not in arm:
            raise InputError(f"{where}.regimen", None, "a list of regimen entries (required)")
        treatment = parse_regimen(arm["regimen"], f"{where}.regimen")
        late = [d for d in treatment.dose_days if d > horizon]
        if late:
            raise InputError(f"{where}.regimen", f"a dose on day {late[0]:g}", f"doses within the horizon (<= {horizon:g})")
        arms.append(Arm(name, treatment, tuple(dict(e) for e in arm["regimen"])))

    endpoint_tables = table.get("endpoint", _default_endpoints(horizon))
    if not isinstance(endpoint_tables, list) or not 1 <= len(endpoint_tables) <= 100:
        raise InputError("endpoint", endpoint_tables, "1 to 100 [[endpoint]] tables")
    endpoints = tuple(_endpoint(t, i, horizon, tuple(arms)) for i, t in enumerate(endpoint_tables))
    labels = [e.label for e in endpoints]
    if len(set(labels)) != len(labels):
        raise InputError("endpoint.name", labels, "a different name for each endpoint")

    outputs = _outputs(table.get("outputs"), tuple(arms))
    raw = {key: table[key] for key in ("title", "question") if key in table}
    raw |= {
        "population": population, "patients": n, "horizon_days": horizon, "seed": seed, "replicates": replicates, "chunk_size": chunk,
        "outputs": list(outputs),
        "arm": [{"name": a.name, "regimen": [dict(e) for e in a.entries]} for a in arms],
        "endpoint": [{"name": e.label, "endpoint": e.endpoint, "options": {k: v for k, v in e.options.items() if v is not None},
                      "statistic": e.statistic.text} for e in endpoints],
    }
    return Scenario(population, n, horizon, seed, replicates, chunk, tuple(arms), endpoints, outputs, MappingProxyType(raw))


def _outputs(given: Any, arms: tuple[Arm, ...]) -> tuple[str, ...]:
    """The observables whose bands are kept: as given, else the defaults plus each antibody's concentration."""
    from cartsim import full_model

    names = [o.name for o in full_model().observables]
    if given is None:
        antibodies = sorted({a.treatment.antibody for a in arms if a.treatment.antibody})
        return (*_DEFAULT_OUTPUTS, *(f"{ab}_concentration" for ab in antibodies))
    if not isinstance(given, list) or not 1 <= len(given) <= len(names):
        raise InputError("outputs", given, "a list of observable names: " + ", ".join(names))
    for i, name in enumerate(given):
        if name not in names:
            raise InputError(f"outputs[{i}]", name, "one of " + ", ".join(names))
    return tuple(dict.fromkeys(given))


def load_scenario(path: str | Path, *, patients: int | None = None) -> Scenario:
    """Read and check a scenario TOML file (see :func:`parse_scenario`).

    Raises
    ------
    InputError
        For a missing or unreadable file, invalid TOML (with its line), or any scenario problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("scenario file", str(path), f"a readable UTF-8 TOML file ({exc.__class__.__name__})") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("scenario file", str(path), f"valid TOML ({exc})") from None
    return parse_scenario(table, patients=patients)
