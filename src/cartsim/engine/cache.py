"""Caching what is derived from a model's structure only (compiled code, NumPy functions).

Models that differ only in parameter values (a population, a hypothesis's parameter
changes, a user's scenario) share their structure hash, and so these derived objects.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["per_structure"]

F = TypeVar("F", bound=Callable[..., Any])


def per_structure(fn: F) -> F:
    """Cache ``fn(model, *args)`` by ``(model.hash, *args)``: parameter values do not matter to it."""
    cache: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(fn)
    def cached(model: Any, *args: Any) -> Any:
        key = (model.hash, *args)
        if key not in cache:
            cache[key] = fn(model, *args)
        return cache[key]

    return cached  # type: ignore[return-value]
