"""The references a model actually uses: its parameters' sources and its modules' references.

``cartsim cite`` prints these, so a result can be traced to the publications behind it
(and only those). An assumption cites no publication, unless its reason names a
bibliography key (``"assumption: ... (Saldivar2023)"``): then that reference is cited too.
"""

from __future__ import annotations

import re
from typing import Iterable

from cartsim.model import Model
from cartsim.parameters.bibliography import BIBLIOGRAPHY, Reference, references_for

__all__ = ["cited_keys", "cited_references"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _keys_in(text: str) -> Iterable[str]:
    return (word for word in _WORD.findall(text) if word in BIBLIOGRAPHY)


def cited_keys(model: Model) -> dict[str, tuple[str, ...]]:
    """Bibliography key -> what in ``model`` cites it (parameter names, ``module <name>``), sorted by key."""
    users: dict[str, list[str]] = {}
    for parameter in model.parameters:
        source = parameter.source.strip()
        keys = list(_keys_in(source)) if parameter.is_assumption else [source]
        for key in keys:
            users.setdefault(key, []).append(parameter.name)
    for module in model.modules:
        for key in module.references:
            users.setdefault(key, []).append(f"module {module.name}")
    return {key: tuple(users[key]) for key in sorted(users)}


def cited_references(model: Model) -> tuple[Reference, ...]:
    """The references behind ``model``: its parameters' sources and its modules' references.

    Parameters
    ----------
    model
        A composed model (:func:`cartsim.first_model`); only the parameters it uses count.

    Returns
    -------
    tuple of Reference
        Sorted by key; sources that are not in the bibliography are left out.
    """
    return references_for(cited_keys(model))
