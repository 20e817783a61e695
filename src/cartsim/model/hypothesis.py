"""Hypotheses: named, sourced answers to open scientific questions, applied to a model.

Where the science is open (does the "immune reset" last? do CAR T cells act in the CNS?)
cartsim does not pick an answer silently. A :class:`Hypothesis` names one answer: parameter
changes and/or module variants (a module that replaces the model's module of the same
name), with its source. Scenarios run their arms under each hypothesis they name, on the
same virtual patients, and results carry the hypothesis as a dimension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from cartsim.errors import InputError
from cartsim.model.compose import compose
from cartsim.model.declarations import Module
from cartsim.model.model import Model
from cartsim.model.parameter import Change, ParameterSet

__all__ = ["Hypothesis"]

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Hypothesis:
    """One named answer to an open question.

    Parameters
    ----------
    name
        Kebab-case identifier (``"reset-partial"``).
    description
        What the hypothesis says, in one or two sentences.
    source
        The evidence behind it: bibliography keys and/or ``"assumption: <why>"``.
    changes
        Parameter changes (:class:`~cartsim.model.Change`) applied on top of the population.
    modules
        Module variants: each replaces the model's module of the same name (or is added).
    parameters
        Values for parameters that only the module variants use.

    Examples
    --------
    >>> from cartsim import full_model
    >>> from cartsim.model import Change, Hypothesis
    >>> no_cns = Hypothesis("no-cns-cart", "CAR T cells do not enter the CSF", "assumption: counterfactual",
    ...                     (Change("cart_csf_entry", 0.0, "assumption: counterfactual"),))
    >>> no_cns.apply(full_model()).parameter("cart_csf_entry").value
    0.0
    """

    name: str
    description: str
    source: str
    changes: tuple[Change, ...] = ()
    modules: tuple[Module, ...] = ()
    parameters: ParameterSet = field(default=ParameterSet("no extra parameters"))

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name) or len(self.name) > 64:
            raise InputError("hypothesis.name", self.name, "a kebab-case name of at most 64 characters, such as 'reset-partial'")
        for label in ("description", "source"):
            value = getattr(self, label)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"hypothesis {self.name!r}.{label}", value, "a non-empty text")
        object.__setattr__(self, "changes", tuple(self.changes))
        object.__setattr__(self, "modules", tuple(self.modules))

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The parameters this hypothesis changes."""
        return tuple(c.name for c in self.changes)

    def apply(self, model: Model) -> Model:
        """``model`` under this hypothesis: module variants swapped in, then the parameter changes."""
        varied = _with_modules(model, self.modules, self.parameters) if self.modules else model
        return varied.with_changes(self.changes, field=f"hypothesis {self.name!r}.parameters")


@lru_cache(maxsize=16)
def _with_modules(model: Model, modules: tuple[Module, ...], parameters: ParameterSet) -> Model:
    """Recompose ``model`` with ``modules`` replacing those of the same name (composing is slow: cached)."""
    replacing = {m.name: m for m in modules}
    kept = [replacing.pop(m.name, m) for m in model.modules]
    extra = ParameterSet(parameters.name, tuple(p for p in parameters.parameters if p.name not in model.parameter_set))
    return compose([*kept, *replacing.values()], model.parameter_set.union(extra), name=model.name)
