"""Readers for user-given fields: each returns the value or raises one InputError that names
the field, the value and what is allowed (the one message format of ``cartsim.errors``)."""

from __future__ import annotations

import math
from typing import Any

from cartsim.errors import InputError

__all__ = ["number", "text", "whole"]


def number(value: Any, field: str, allowed: str, low: float = -math.inf) -> float:
    """A finite real number >= ``low`` (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < low:
        raise InputError(field, value, allowed)
    return float(value)


def whole(value: Any, field: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``; a float such as 1e12 is refused too."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(field, value, f"a whole number from {low:,} to {high:,}")
    return value


def text(value: Any, field: str, allowed: str) -> str:
    """A non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, value, allowed)
    return value
