"""The exceptions cartsim raises, all in one place.

Every message about bad input has one shape: the field, the value that was given,
and what is allowed::

    dose.amount: got '-5 mg'; allowed: a non-negative number with a unit convertible to mg

Each class subclasses a built-in exception, so ``except ValueError`` keeps working for
callers that do not know cartsim's classes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CartsimError", "CartsimWarning", "InputError", "ModelDefinitionError", "UnitError"]


class CartsimError(Exception):
    """Base class of every error cartsim raises on purpose."""


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class InputError(CartsimError, ValueError):
    """Bad input at a public boundary: names the field, the value and what is allowed."""

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: got {_describe(value)}; allowed: {allowed}")


class UnitError(InputError):
    """A quantity whose unit is missing, unknown, or does not convert to the one required."""


class ModelDefinitionError(CartsimError, ValueError):
    """A model that cannot be built: unknown symbols, unit clashes, missing sources, ...

    ``where`` names the module and item (``"module 'bcells', rate of 'b_naive_blood'"``).
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class CartsimWarning(UserWarning):
    """Input that is valid but probably not what was meant (a CAR-T without lymphodepletion before it)."""
