"""Readers for what scenario and targets files say about the model, the patients and the solver.

Each reader checks one section of a file and returns library values, with an
:class:`~cartsim.errors.InputError` naming the field, the value and what is allowed:

- ``[model] modules = [...]``: :func:`read_modules` (default: every module);
- ``[solver]``: :func:`read_solver` (``rtol``, ``atol``, ``max_steps``, ``method``, ``threads``, ``backend``);
- ``[parameters]`` (and an arm's ``parameters``): :func:`read_changes`, each entry a value with its unit
  (``cart_doubling_time = "1.2 day"``) or a table ``{ value, omega, source }``;
- ``population``: :func:`read_population`, a built-in name, a population file or an inline table;
- ``hypotheses``: :func:`read_hypotheses`, built-in names or inline tables.

:func:`population_table` and :func:`hypothesis_table` write the values back as tables, so a
copied scenario is complete on its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cartsim.checks import read_toml, text, whole
from cartsim.engine import BACKENDS, SolverOptions
from cartsim.errors import InputError
from cartsim.model import Change, Hypothesis
from cartsim.population.populations import Correlation, Population, builtin_population
from cartsim.units import split_quantity

__all__ = [
    "DEFAULT_CHANGE_SOURCE",
    "hypothesis_table",
    "population_table",
    "read_changes",
    "read_hypotheses",
    "read_modules",
    "read_population",
    "read_solver",
]

#: Source recorded for a change a file gives without one.
DEFAULT_CHANGE_SOURCE = "assumption: set in the scenario file (no source given)"
_CHANGE_KEYS = ("value", "omega", "source")
_SOLVER_KEYS = ("rtol", "atol", "max_steps", "method", "threads", "backend")
MAX_CHANGES = 500


def _table(value: Any, field: str, example: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(field, value, f"a table, e.g. {example}")
    return value


def read_modules(table: Any, field: str = "model") -> tuple[str, ...] | None:
    """``[model] modules = [...]``: the module names, or None (every module)."""
    if table is None:
        return None
    table = _table(table, field, "[model] modules = ['physiology', 'cart_kinetics', ...]")
    for key in table:
        if key != "modules":
            raise InputError(f"{field}.{key}", table[key], "modules (the only key of [model])")
    from cartsim.models import MODULES

    modules = table.get("modules")
    if not isinstance(modules, list) or not modules or not all(isinstance(m, str) for m in modules):
        raise InputError(f"{field}.modules", modules, "a non-empty list of module names: " + ", ".join(MODULES))
    for i, name in enumerate(modules):
        if name not in MODULES:
            raise InputError(f"{field}.modules[{i}]", name, "one of " + ", ".join(MODULES))
    return tuple(m for m in MODULES if m in set(modules))


def read_solver(table: Any, field: str = "solver") -> tuple[SolverOptions, str]:
    """``[solver]``: the solver settings and the backend (defaults: cartsim's, CPU)."""
    if table is None:
        return SolverOptions(), "cpu"
    table = _table(table, field, "[solver] rtol = 1e-6, backend = 'cpu'")
    for key in table:
        if key not in _SOLVER_KEYS:
            raise InputError(f"{field}.{key}", table[key], "one of " + ", ".join(_SOLVER_KEYS))
    backend = table.get("backend", "cpu")
    if backend not in BACKENDS:
        raise InputError(f"{field}.backend", backend, "one of " + ", ".join(BACKENDS))
    settings = {k: v for k, v in table.items() if k != "backend"}
    if "max_steps" in settings:
        settings["max_steps"] = whole(settings["max_steps"], f"{field}.max_steps", 1, 10_000_000)
    if "threads" in settings:
        settings["threads"] = whole(settings["threads"], f"{field}.threads", 1, 4096)
    try:
        return SolverOptions(**settings), backend
    except InputError as exc:  # SolverOptions names its fields "solver.x": keep the file's own prefix
        raise InputError(exc.field.replace("solver", field, 1), exc.value, exc.allowed) from None


def _change(name: str, given: Any, field: str, default_source: str) -> Change:
    where = f"{field}.{name}"
    if not name.isidentifier():
        raise InputError(where, name, "a parameter name")
    entry = dict(given) if isinstance(given, Mapping) else {"value": given}
    for key in entry:
        if key not in _CHANGE_KEYS:
            raise InputError(f"{where}.{key}", entry[key], "one of " + ", ".join(_CHANGE_KEYS))
    value, unit = entry.get("value"), None
    if isinstance(value, str):
        value, unit = split_quantity(value, f"{where}.value" if isinstance(given, Mapping) else where, "'1.2 day'")
    elif value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)):
        raise InputError(
            where, value, "a value with its unit ('1.2 day'), a number in the model's unit, or a table { value, omega, source }"
        )
    omega = entry.get("omega")
    if omega is not None and (isinstance(omega, bool) or not isinstance(omega, (int, float)) or not math.isfinite(omega) or omega < 0):
        raise InputError(f"{where}.omega", omega, "a log-normal spread >= 0 (the SD of log value; 0: the same for every patient)")
    source = entry.get("source", default_source)
    text(source, f"{where}.source", "a citation key or 'assumption: why'")
    if value is None and omega is None:
        raise InputError(where, dict(entry), "a value, an omega, or both")
    return Change(name, None if value is None else float(value), source, None if omega is None else float(omega), unit)


def read_changes(table: Any, field: str = "parameters", default_source: str = DEFAULT_CHANGE_SOURCE) -> tuple[Change, ...]:
    """``[parameters]``: one change per entry (checked against the model when it runs); a change
    without a source gets ``default_source``."""
    if table is None:
        return ()
    table = _table(table, field, "[parameters] cart_doubling_time = '1.2 day'")
    if len(table) > MAX_CHANGES:
        raise InputError(field, f"{len(table)} parameters", f"at most {MAX_CHANGES}")
    return tuple(_change(str(name), given, field, default_source) for name, given in table.items())


def _correlations(value: Any, field: str) -> tuple[Correlation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(field, value, "a list of tables { parameters = ['a', 'b'], rho = 0.5, source = '...' }")
    out = []
    for i, entry in enumerate(value):
        where = f"{field}[{i}]"
        entry = _table(entry, where, "{ parameters = ['body_weight', 'height'], rho = 0.5, source = '...' }")
        for key in entry:
            if key not in ("parameters", "rho", "source"):
                raise InputError(f"{where}.{key}", entry[key], "parameters, rho, source")
        pair = entry.get("parameters")
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) for p in pair):
            raise InputError(f"{where}.parameters", pair, "two parameter names")
        out.append(
            Correlation(
                pair[0],
                pair[1],
                entry.get("rho", math.nan),
                text(entry.get("source"), f"{where}.source", "a citation key or 'assumption: why'"),
            )
        )
    return tuple(out)


_POPULATION_KEYS = ("name", "description", "base", "parameters", "correlation", "endpoints")


def _endpoint_names(value: Any, field: str) -> tuple[str, ...]:
    from cartsim.endpoints import endpoint_spec

    if not isinstance(value, list) or not value:
        raise InputError(field, value, "a list of endpoint names, e.g. ['annualized_relapse_rate', 'crs_max_grade']")
    names = tuple(endpoint_spec(name, f"{field}[{i}]").name for i, name in enumerate(value))
    if len(set(names)) != len(names):
        raise InputError(field, value, "each endpoint once")
    return names


def _population_from_table(table: Mapping[str, Any], field: str) -> Population:
    for key in table:
        if key not in _POPULATION_KEYS:
            raise InputError(f"{field}.{key}", table[key], "one of " + ", ".join(_POPULATION_KEYS))
    base = builtin_population(table["base"], f"{field}.base") if "base" in table else None
    own = read_changes(table.get("parameters"), f"{field}.parameters")
    names = {c.name for c in own}
    inherited = tuple(c for c in base.changes if c.name not in names) if base else ()
    name = text(table.get("name"), f"{field}.name", "a name for the population")
    description = text(table.get("description"), f"{field}.description", "who the virtual patients are, in words")
    endpoints = _endpoint_names(table["endpoints"], f"{field}.endpoints") if "endpoints" in table else (base.endpoints if base else ())
    try:
        return Population(
            name,
            description,
            inherited + own,
            (base.correlations if base else ()) + _correlations(table.get("correlation"), f"{field}.correlation"),
            endpoints,
        )
    except InputError as exc:
        raise InputError(exc.field.replace("population", field, 1), exc.value, exc.allowed) from None


def read_population(value: Any, field: str = "population", folder: Path | None = None) -> Population:
    """A built-in population's name, a population file (TOML, relative to ``folder``) or an inline table."""
    if isinstance(value, Mapping):
        return _population_from_table(value, field)
    if isinstance(value, str) and value.endswith(".toml"):
        path = Path(value) if folder is None or Path(value).is_absolute() else folder / value
        table = read_toml(path, field, "population file")
        return _population_from_table(table, f"{field} ({value})")
    return builtin_population(value, field)


def read_hypotheses(value: Any, field: str = "hypotheses") -> tuple[Hypothesis, ...]:
    """``hypotheses = ["name", { name, description, source, parameters }, ...]`` (empty: none)."""
    from cartsim.parameters.hypotheses import HYPOTHESES

    if value is None:
        return ()
    if not isinstance(value, list) or not 1 <= len(value) <= 20:
        raise InputError(field, value, "a list of 1 to 20 hypotheses: built-in names (" + ", ".join(HYPOTHESES) + ") or tables")
    out: list[Hypothesis] = []
    for i, entry in enumerate(value):
        where = f"{field}[{i}]"
        if isinstance(entry, str):
            if entry not in HYPOTHESES:
                raise InputError(
                    where,
                    entry,
                    "a built-in hypothesis (" + ", ".join(HYPOTHESES) + ") or a table { name, description, source, parameters }",
                )
            out.append(HYPOTHESES[entry])
            continue
        entry = _table(entry, where, "{ name = 'fast', description = '...', source = '...', parameters = { ... } }")
        for key in entry:
            if key not in ("name", "description", "source", "parameters"):
                raise InputError(f"{where}.{key}", entry[key], "name, description, source, parameters")
        source = entry.get("source", "")
        changes = read_changes(
            entry.get("parameters"), f"{where}.parameters", source if isinstance(source, str) and source.strip() else DEFAULT_CHANGE_SOURCE
        )
        if not changes:
            raise InputError(f"{where}.parameters", entry.get("parameters"), "at least one parameter change")
        try:
            out.append(Hypothesis(entry.get("name", ""), entry.get("description", ""), entry.get("source", ""), changes))
        except InputError as exc:
            raise InputError(f"{where}.{exc.field.rsplit('.', 1)[-1]}", exc.value, exc.allowed) from None
    names = [h.name for h in out]
    if len(set(names)) != len(names):
        raise InputError(field, names, "hypotheses with different names")
    return tuple(out)


def _change_entry(change: Change) -> dict[str, Any]:
    value: Any = (
        None if change.value is None else (f"{change.value!r} {change.unit}" if change.unit and change.unit != "1" else change.value)
    )
    entry = {k: v for k, v in (("value", value), ("omega", change.omega), ("source", change.source)) if v is not None}
    return entry


def population_table(population: Population) -> dict[str, Any] | str:
    """A built-in population's name, or the population as an inline table (every change with its source)."""
    from cartsim.population.populations import POPULATIONS

    if POPULATIONS.get(population.name) is population:
        return population.name
    table: dict[str, Any] = {
        "name": population.name,
        "description": population.description,
        "parameters": {c.name: _change_entry(c) for c in population.changes},
    }
    if population.correlations:
        table["correlation"] = [{"parameters": [c.first, c.second], "rho": c.rho, "source": c.source} for c in population.correlations]
    if population.endpoints:
        table["endpoints"] = list(population.endpoints)
    return table


def hypothesis_table(hypothesis: Hypothesis) -> dict[str, Any] | str:
    """A built-in hypothesis's name, or the hypothesis as an inline table."""
    from cartsim.parameters.hypotheses import HYPOTHESES

    if HYPOTHESES.get(hypothesis.name) is hypothesis:
        return hypothesis.name
    return {
        "name": hypothesis.name,
        "description": hypothesis.description,
        "source": hypothesis.source,
        "parameters": {c.name: _change_entry(c) for c in hypothesis.changes},
    }
