"""Validation targets: read and check a targets file (schema ``cartsim-targets/1``).

A target is one published observation the simulator must reproduce: a population, a
regimen, an endpoint with options, a statistic over the virtual patients, the published
value and an accept range (format: ``cartsim formats targets``). A file may also open the
model for all its targets (``[model]``, ``[solver]``, ``[parameters]``) and a target may
change parameters or run under a hypothesis of its own. Every field is checked here,
before anything is simulated; an unknown population, module, therapy, endpoint, statistic,
unit or field is an :class:`~cartsim.errors.InputError` naming it and what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, overload

import numpy as np

from cartsim.checks import horizon_days, number, read_toml, text, whole
from cartsim.endpoints import ENDPOINTS, EndpointContext, endpoint_spec
from cartsim.engine import SolverOptions
from cartsim.errors import InputError
from cartsim.model import Change, Hypothesis, Model
from cartsim.population import Population
from cartsim.population.settings import read_changes, read_hypotheses, read_modules, read_population, read_solver
from cartsim.protocol.therapies import Treatment, parse_regimen, therapy_catalogue
from cartsim.validation.statistics import Statistic, parse_statistic

__all__ = ["SCHEMA", "Target", "TargetsFile", "calibration_path", "calibration_paths", "load_calibration", "load_targets", "parse_targets"]

SCHEMA = "cartsim-targets/1"
MAX_PATIENTS = 100_000
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REQUIRED = ("id", "source", "population", "regimen", "endpoint", "statistic", "observed", "accept")
_OPTIONAL = ("note", "patients", "seed", "horizon_days", "endpoint_options", "parameters", "hypothesis")
_TOP = ("schema", "target", "model", "solver", "parameters")
#: Statistics that make sense for each kind of endpoint value.
_FITS = {"boolean": ("mean", "fraction"), "days": ("mean", "median", "sd", "quantile", "fraction_ge", "fraction_le")}
_FITS["number"] = _FITS["days"]


@dataclass(frozen=True)
class Target:
    """One checked target. ``regimen`` holds the entries as given; ``treatment`` their meaning;
    ``changes`` the file's and the target's own parameter changes; ``hypothesis`` the one it runs under (or None)."""

    id: str
    source: str
    population: Population
    regimen: tuple[Mapping[str, Any], ...]
    treatment: Treatment
    endpoint: str
    endpoint_options: Mapping[str, Any]
    statistic: Statistic
    observed: float
    accept: tuple[float, float]
    horizon_days: float
    patients: int = 500
    seed: int = 1
    note: str = ""
    changes: tuple[Change, ...] = ()
    hypothesis: Hypothesis | None = None

    @property
    def kind(self) -> str:
        """``"days"``, ``"number"`` or ``"boolean"``: the kind of the endpoint's values."""
        return ENDPOINTS[self.endpoint].kind

    def context(self, patient_ids: Sequence[int] | np.ndarray | None = None) -> EndpointContext:
        """The endpoint context of this target (seed, dose days, antibody, horizon)."""
        return EndpointContext.from_treatment(self.treatment, seed=self.seed, patient_ids=patient_ids, horizon_days=self.horizon_days)


@dataclass(frozen=True)
class TargetsFile:
    """A checked targets file: its targets (a sequence: iterate, index, ``len``) and the model they run on.

    Attributes
    ----------
    targets
        The targets, in file order.
    modules
        The modules of the model (``[model] modules``; None: every module).
    solver, backend
        How to solve (``[solver]``).
    """

    targets: tuple[Target, ...]
    modules: tuple[str, ...] | None = None
    solver: SolverOptions = SolverOptions()
    backend: str = "cpu"

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    @overload
    def __getitem__(self, index: int) -> Target: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Target, ...]: ...

    def __getitem__(self, index: int | slice) -> Target | tuple[Target, ...]:
        return self.targets[index]

    def model(self) -> Model:
        """The model of the file's modules with the default parameters."""
        from cartsim.models import build_model

        return build_model(self.modules)

    def cited_keys(self, model: Model) -> dict[str, tuple[str, ...]]:
        """Bibliography key -> what cites it, over every target's model (population, changes, hypothesis applied)."""
        from cartsim.parameters.citations import cited_keys
        from cartsim.population import cohort_model
        from cartsim.validation.evaluate import target_cohort

        hypotheses = {t.hypothesis.name: t.hypothesis for t in self.targets if t.hypothesis is not None}
        return cited_keys(
            *(cohort_model(model, target_cohort(t)) for t in self.targets),
            extra=[(f"hypothesis {h.name}", h.source) for h in hypotheses.values()],
        )


def calibration_path() -> Path:
    """The shared calibration targets, copied verbatim from the project's shared file."""
    return Path(str(files("cartsim.validation").joinpath("data/calibration.toml")))


def calibration_paths() -> tuple[Path, ...]:
    """Every file of the built-in calibration set: the shared targets, then cartsim's own."""
    return (calibration_path(), Path(str(files("cartsim.validation").joinpath("data/calibration-cartsim.toml"))))


def load_calibration() -> TargetsFile:
    """The built-in calibration set (``cartsim validate`` with no file): the targets of :func:`calibration_paths`, in order."""
    parts = [load_targets(p) for p in calibration_paths()]
    targets = tuple(t for part in parts for t in part)
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise InputError("target.id", sorted({i for i in ids if ids.count(i) > 1}), "ids that differ across the calibration files")
    return TargetsFile(targets)


def gaps_path() -> Path:
    """The known gaps: published observations the model does not yet reproduce (``cartsim validate --known-gaps``)."""
    return Path(str(files("cartsim.validation").joinpath("data/gaps.toml")))


def load_gaps() -> TargetsFile:
    """The known gaps as targets (:func:`gaps_path`); nothing was calibrated on them."""
    return load_targets(gaps_path())


def load_targets(path: str | Path) -> TargetsFile:
    """Read and check a targets file; see :func:`parse_targets`."""
    path = Path(path)
    document = read_toml(path, "file", "targets file")
    return parse_targets(document, folder=path.parent)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _target(raw: Any, i: int, folder: Path | None, catalogue: Mapping[str, Any], shared: tuple[Change, ...]) -> Target:
    if not isinstance(raw, Mapping):
        raise InputError(f"target[{i}]", raw, "a table ([[target]])")
    tid = raw.get("id")
    if not isinstance(tid, str) or not _ID.match(tid):
        raise InputError(f"target[{i}].id", tid, "a kebab-case identifier such as 'mackensen2022-bcell-return'")
    where = f"target {tid!r}"
    for key in raw:
        if key not in _REQUIRED + _OPTIONAL:
            raise InputError(f"{where}.{key}", raw[key], "the fields of a target: " + ", ".join(_REQUIRED + _OPTIONAL))
    for key in _REQUIRED:
        if key not in raw:
            raise InputError(f"{where}.{key}", None, "a value (required)")
    source = text(raw["source"], f"{where}.source", "the publication, as text")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise InputError(f"{where}.note", note, "free text")
    population = read_population(raw["population"], f"{where}.population", folder)
    patients = whole(raw.get("patients", 500), f"{where}.patients", 1, MAX_PATIENTS)
    seed = whole(raw.get("seed", 1), f"{where}.seed", 0, 2**63 - 1)
    treatment = parse_regimen(raw["regimen"], f"{where}.regimen", catalogue)
    spec = endpoint_spec(raw["endpoint"], f"{where}.endpoint")
    if not spec.applies_to(treatment):
        raise InputError(f"{where}.endpoint", spec.name, spec.requirement(catalogue.values()))
    options = spec.validate(raw.get("endpoint_options"), f"{where}.endpoint_options")
    if "horizon_days" in raw:
        horizon = horizon_days(raw["horizon_days"], f"{where}.horizon_days")
    else:
        horizon = spec.default_horizon(options, treatment)
    spec.check_fits(options, treatment, horizon, f"{where}.endpoint_options")
    statistic = parse_statistic(raw["statistic"], f"{where}.statistic")
    if statistic.name != "ratio_to" and statistic.name not in _FITS[spec.kind]:
        raise InputError(
            f"{where}.statistic",
            statistic.text,
            f"a statistic for a {spec.kind} endpoint: " + ", ".join(_FITS[spec.kind]) + ", ratio_to:ID",
        )
    observed = number(raw["observed"], f"{where}.observed", "the published value, a number")
    accept = raw["accept"]
    if not isinstance(accept, list) or len(accept) != 2:
        raise InputError(f"{where}.accept", accept, "[low, high], two numbers")
    low, high = (number(a, f"{where}.accept", "[low, high], two finite numbers") for a in accept)
    if low > high:
        raise InputError(f"{where}.accept", accept, "[low, high] with low <= high")
    changes = shared + read_changes(raw.get("parameters"), f"{where}.parameters")
    hypothesis = None
    if "hypothesis" in raw:
        hypothesis = read_hypotheses([raw["hypothesis"]], f"{where}.hypothesis")[0]
    return Target(
        tid,
        source,
        population,
        _frozen(raw["regimen"]),
        treatment,
        spec.name,
        options,
        statistic,
        observed,
        (low, high),
        horizon,
        patients,
        seed,
        note,
        changes,
        hypothesis,
    )


def _check_ratios(targets: Sequence[Target]) -> None:
    by_id = {t.id: t for t in targets}
    for t in targets:
        if t.statistic.name != "ratio_to":
            continue
        other = by_id.get(str(t.statistic.argument))
        field = f"target {t.id!r}.statistic"
        if other is None or other.id == t.id:
            raise InputError(
                field,
                t.statistic.text,
                "ratio_to:ID with the id of another target in this file: " + ", ".join(i for i in by_id if i != t.id),
            )
        if other.statistic.name == "ratio_to":
            raise InputError(
                field, t.statistic.text, f"ratio_to a target whose statistic is not itself a ratio ({other.id} is {other.statistic.text})"
            )
        if other.statistic.name not in _FITS[t.kind]:
            raise InputError(field, t.statistic.text, f"a target whose statistic ({other.statistic.text}) suits this {t.kind} endpoint")


def parse_targets(document: Mapping[str, Any], folder: Path | None = None) -> TargetsFile:
    """Check a parsed targets document and return its targets, in file order, and the model they run on.

    Parameters
    ----------
    document
        The TOML document as a mapping: ``schema = "cartsim-targets/1"``, ``[[target]]`` tables
        and optional ``[model]``, ``[solver]`` and ``[parameters]`` for every target.
    folder
        Where relative file names (a population file) are found.

    Returns
    -------
    TargetsFile
        Immutable, fully checked targets (defaults filled in: 500 patients, seed 1, a horizon
        long enough for the endpoint), the modules and the solver settings.

    Raises
    ------
    InputError
        The first problem found, naming the field (``target 'x'.regimen[1].dose``), the
        value and what is allowed.
    """
    for key in document:
        if key not in _TOP:
            raise InputError(key, document[key], "the top-level fields of a targets file: " + ", ".join(_TOP))
    if document.get("schema") != SCHEMA:
        raise InputError("schema", document.get("schema"), repr(SCHEMA))
    raw = document.get("target")
    if not isinstance(raw, list) or not raw:
        raise InputError("target", raw, "one or more [[target]] tables")
    from cartsim.models import MODULES

    modules = read_modules(document.get("model"))
    solver, backend = read_solver(document.get("solver"))
    shared = read_changes(document.get("parameters"))
    catalogue = therapy_catalogue(MODULES[m] for m in (modules or MODULES))
    targets = tuple(_target(entry, i, folder, catalogue, shared) for i, entry in enumerate(raw))
    seen: set[str] = set()
    for t in targets:
        if t.id in seen:
            raise InputError("target.id", t.id, "ids that are unique within the file")
        seen.add(t.id)
    _check_ratios(targets)
    return TargetsFile(targets, modules, solver, backend)
