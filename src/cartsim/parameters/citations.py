"""The references a run actually used: its models' parameter sources and module references.

``cartsim cite`` prints these, so a result can be traced to the publications behind it
(and only those). A source cites every bibliography key it names: a key on its own
(``"Stein2019"``), or keys inside an assumption's reason (``"assumption: ... (Saldivar2023)"``).
Several models (one per population, hypothesis and arm of a trial) give the union of
their references; extra texts (a hypothesis's own source) add theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cartsim.model import Model
from cartsim.parameters.bibliography import BIBLIOGRAPHY, Reference, references_for

__all__ = ["cited_keys", "cited_references"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _keys_in(text: str) -> list[str]:
    return list(dict.fromkeys(word for word in _WORD.findall(text) if word in BIBLIOGRAPHY))


def cited_keys(*models: Model, extra: Iterable[tuple[str, str]] = ()) -> dict[str, tuple[str, ...]]:
    """Bibliography key -> what cites it (parameter names, ``module <name>``, extra labels), sorted by key.

    Parameters
    ----------
    models
        The models that ran (a population's, a hypothesis's ...); only the parameters they use count.
    extra
        ``(label, source text)`` pairs that cite too (``("hypothesis no-cns-cart", "assumption: ...")``).
    """
    users: dict[str, list[str]] = {}

    def use(key: str, user: str) -> None:
        if user not in users.setdefault(key, []):
            users[key].append(user)

    for model in models:
        for parameter in model.parameters:
            for key in _keys_in(parameter.source):
                use(key, parameter.name)
        for module in model.modules:
            for key in module.references:
                use(key, f"module {module.name}")
    for label, source in extra:
        for key in _keys_in(source):
            use(key, label)
    return {key: tuple(users[key]) for key in sorted(users)}


def cited_references(*models: Model, extra: Iterable[tuple[str, str]] = ()) -> tuple[Reference, ...]:
    """The references behind ``models`` (and ``extra`` sources), sorted by key; see :func:`cited_keys`.

    Examples
    --------
    >>> from cartsim import first_model
    >>> "Stein2019" in [r.key for r in cited_references(first_model())]
    True
    """
    return references_for(cited_keys(*models, extra=extra))
