"""Units at the boundary.

Inside cartsim there is one unit system, chosen so that every state is of order 1-1e4:

========================  ===============================================
quantity                  internal unit
========================  ===============================================
time                      day
cells (blood and tissue)  cells/uL of blood (tissue pools: amount / blood volume)
drug amount               mg
volume                    L
drug concentration        mg/L (= ug/mL)
========================  ===============================================

Users give quantities as strings with units (``"1e6 cells/kg"``, ``"600 mg"``); this module
parses and converts them with pint and raises :class:`~cartsim.errors.UnitError` naming
the field when they do not convert.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from cartsim.errors import UnitError

__all__ = ["conversion_factor", "parse_quantity", "parse_unit", "split_quantity", "ureg"]

#: A number followed by a unit, nothing else: no arithmetic is ever evaluated (``"9**9**9 mg"`` is refused).
_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*((?:1\s*/\s*)?[A-Za-z%_µμ][A-Za-z0-9%_µμ/*.() ]*)\s*$")
#: Longest quantity text read (units are short; this bounds the work of parsing).
MAX_QUANTITY_TEXT = 64

ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("cell = [cell_count] = cells")
ureg.define("copies = [transgene_copy] = copy")


@lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string such as ``"cells/uL"`` or ``"1/day"`` (dimensionless: ``"1"``)."""
    if text.strip() in ("", "1", "dimensionless"):
        return ureg.dimensionless
    if len(text) > MAX_QUANTITY_TEXT or re.search(r"\*\*\s*\d{2,}|\^\s*\d{2,}", text):
        raise UnitError("unit", text, f"a unit of at most {MAX_QUANTITY_TEXT} characters with small powers, such as 'mg/m**2'")
    try:
        return ureg.parse_units(text)
    except Exception as exc:  # pint's parser raises many kinds (undefined names, tokenizer errors on "mg)", ...)
        raise UnitError("unit", text, f"a unit pint understands, such as 'cells/uL' or 'mg' ({exc})") from None


def conversion_factor(from_unit: str, to_unit: str, field: str = "unit") -> float:
    """Factor that turns a number in ``from_unit`` into ``to_unit``."""
    try:
        return float(ureg.Quantity(1.0, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.DimensionalityError:
        raise UnitError(field, from_unit, f"a unit convertible to {to_unit!r}") from None


def split_quantity(text: object, field: str, example: str) -> tuple[float, str]:
    """``"1.2 day"`` -> ``(1.2, "day")``: a finite number and a unit pint knows, nothing else.

    Raises
    ------
    UnitError
        Not a string, too long, not "number unit", a number that is not finite, or an unknown unit.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise UnitError(field, text, f"a string with a number and a unit, e.g. {example}")
    match = _QUANTITY.match(text) if len(text) <= MAX_QUANTITY_TEXT else None
    if match is None:
        raise UnitError(field, text, f"a number followed by a unit (finite, at most {MAX_QUANTITY_TEXT} characters), e.g. {example}")
    value = float(match.group(1))
    if not math.isfinite(value):
        raise UnitError(field, text, f"a finite number with a unit, e.g. {example}")
    unit = match.group(2).strip()
    try:
        parse_unit(unit)
    except UnitError:
        raise UnitError(field, text, f"a number followed by a unit pint knows, e.g. {example}") from None
    return value, unit


def parse_quantity(text: str | float | int, field: str, allowed_units: str) -> pint.Quantity:
    """Parse ``"600 mg"`` into a pint quantity; the number must be finite and non-negative.

    Parameters
    ----------
    text
        The quantity as given by the user. A bare number is rejected: units are required.
    field
        The field name used in error messages (``"regimen[1].dose"``).
    allowed_units
        Plain-language list of what is accepted, for the error message.
    """
    value, unit = split_quantity(text, field, allowed_units)
    quantity: pint.Quantity = ureg.Quantity(value, parse_unit(unit))
    if quantity.dimensionless:
        raise UnitError(field, text, f"a number followed by a unit, e.g. {allowed_units}")
    if value < 0:
        raise UnitError(field, text, f"a finite, non-negative number with a unit, e.g. {allowed_units}")
    return quantity
