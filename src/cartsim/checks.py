"""Readers for user-given fields: each returns the value or raises one InputError that names
the field, the value and what is allowed (the one message format of ``cartsim.errors``)."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from cartsim.errors import InputError

__all__ = ["MAX_DAYS", "horizon_days", "number", "read_toml", "text", "whole"]

#: The longest time span cartsim simulates (100 years), in days: horizons and dose days are bounded by it.
MAX_DAYS = 36_500.0


def read_toml(path: str | Path, field: str, what: str) -> dict[str, Any]:
    """The TOML document in file ``path``; any problem (unreadable, not UTF-8, invalid or absurdly nested
    TOML) is an InputError naming ``field``, the file and what a ``what`` must be."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(field, str(path), f"a readable {what} ({exc.strerror or exc.__class__.__name__})") from None
    except UnicodeDecodeError:
        raise InputError(field, str(path), f"a {what} in UTF-8 TOML (this one is binary or in another encoding)") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(field, str(path), f"a {what} in valid TOML ({exc})") from None
    except RecursionError:
        raise InputError(field, str(path), f"a {what} nested less deeply (tables or arrays nested thousands of levels)") from None


def number(value: Any, field: str, allowed: str, low: float = -math.inf, high: float = math.inf) -> float:
    """A finite real number in ``[low, high]`` (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(field, value, allowed)
    try:
        converted = float(value)
    except OverflowError:  # an integer beyond any float (TOML integers are unbounded here)
        raise InputError(field, value, allowed) from None
    if not math.isfinite(converted) or not low <= converted <= high:
        raise InputError(field, value, allowed)
    return converted


def horizon_days(value: Any, field: str) -> float:
    """A simulated horizon: at least one day (shorter, every endpoint would be censored) and at most :data:`MAX_DAYS`."""
    return number(value, field, f"a number of days from 1 to {MAX_DAYS:,.0f}", 1.0, MAX_DAYS)


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
