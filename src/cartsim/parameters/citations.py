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

__all__ = ["cited_keys", "cited_references", "keys_in", "parameters_behind"]

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def keys_in(text: str) -> list[str]:
    """The bibliography keys a source text names, in order of first mention."""
    return list(dict.fromkeys(word for word in _WORD.findall(text) if word in BIBLIOGRAPHY))


def parameters_behind(model: Model, observables: Iterable[str]) -> tuple[str, ...]:
    """The parameters that set ``observables`` directly, in the model's order.

    Those in the observables' expressions and in the rates of change and initial values of the
    states they read, through derived parameters. One step only: every state of a coupled model
    depends on every other in the end, so the whole chain would name every parameter and tell
    nothing. Names that are not observables of ``model`` are skipped.
    """
    expressions = {o.name: o.expr for o in model.observables}
    rates = {name: rate + initial for name, rate, initial in zip(model.state_names, model.rhs, model.initial, strict=True)}
    derived = {d.name: d.expr for d in model.derived}
    names: set[str] = set()
    pending = [s.name for name in observables if name in expressions for s in expressions[name].free_symbols]
    pending += [s.name for name in list(pending) if name in rates for s in rates[name].free_symbols]
    while pending:
        name = pending.pop()
        if name in names:
            continue
        names.add(name)
        if name in derived:
            pending += [s.name for s in derived[name].free_symbols]
    return tuple(n for n in model.parameter_names if n in names)


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
            for key in keys_in(parameter.source):
                use(key, parameter.name)
        for module in model.modules:
            for key in module.references:
                use(key, f"module {module.name}")
    for label, source in extra:
        for key in keys_in(source):
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
