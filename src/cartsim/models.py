"""The shipped models: every biology module with the default parameters, or a chosen subset.

Scenario and targets files choose modules by name (``[model] modules = [...]``);
:func:`build_model` composes them. Composing is slow (seconds), so models are cached by
their module names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

from cartsim.biology import FIRST_MODEL_MODULES, FULL_MODEL_MODULES
from cartsim.errors import InputError, ModelDefinitionError
from cartsim.model import Model, Module, compose
from cartsim.parameters import DEFAULT_PARAMETERS

__all__ = ["MODULES", "build_model", "first_model", "full_model"]

#: Every module of the full model, by name (read-only).
MODULES: Mapping[str, Module] = MappingProxyType({m.name: m for m in FULL_MODEL_MODULES})


def build_model(modules: Sequence[str] | None = None, field: str = "model.modules") -> Model:
    """The model of the named modules (default: all of them) with the default parameters.

    Parameters
    ----------
    modules
        Module names (:data:`MODULES`), in any order; the full model's order is kept.
    field
        Where the names come from, for error messages.

    Raises
    ------
    InputError
        An unknown module, or modules that do not fit together (one reads a quantity no
        other provides); the message says what is missing.

    Examples
    --------
    >>> build_model(["physiology", "lymphodepletion", "cart_kinetics", "bcell_lineage"]).state_names[:3]
    ('fludarabine', 'cyclophosphamide', 'host_t_cells')
    """
    if modules is None:
        return full_model()
    if isinstance(modules, (str, bytes)) or not all(isinstance(m, str) for m in modules) or not modules:
        raise InputError(field, modules, "a non-empty list of module names: " + ", ".join(MODULES))
    for name in modules:
        if name not in MODULES:
            raise InputError(field, name, "one of the modules " + ", ".join(MODULES))
    return _compose(tuple(m for m in MODULES if m in set(modules)), field)


@lru_cache(maxsize=8)
def _compose(names: tuple[str, ...], field: str) -> Model:
    if names == tuple(MODULES):
        return full_model()
    try:
        return compose([MODULES[n] for n in names], DEFAULT_PARAMETERS, name="cartsim-" + "+".join(names))
    except ModelDefinitionError as exc:
        raise InputError(field, list(names), f"modules that fit together ({exc})") from None


@lru_cache(maxsize=1)
def full_model() -> Model:
    """Every biology module with the default parameters: the model behind validation and trials."""
    return compose(FULL_MODEL_MODULES, DEFAULT_PARAMETERS, name="cartsim-full")


@lru_cache(maxsize=1)
def first_model() -> Model:
    """The foundation model: CAR T cells, the B-cell lineage and ocrelizumab, default parameters."""
    return compose(FIRST_MODEL_MODULES, DEFAULT_PARAMETERS, name="cartsim-foundation")
