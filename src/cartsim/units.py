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
from functools import lru_cache

import pint

from cartsim.errors import UnitError

__all__ = ["ureg", "parse_quantity", "parse_unit", "conversion_factor"]

ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("cell = [cell_count] = cells")
ureg.define("copies = [transgene_copy] = copy")


@lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string such as ``"cells/uL"`` or ``"1/day"`` (dimensionless: ``"1"``)."""
    if text.strip() in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.parse_units(text)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError, TypeError, ValueError) as exc:
        raise UnitError("unit", text, f"a unit pint understands, such as 'cells/uL' or 'mg' ({exc})") from None


def conversion_factor(from_unit: str, to_unit: str, field: str = "unit") -> float:
    """Factor that turns a number in ``from_unit`` into ``to_unit``."""
    try:
        return float(ureg.Quantity(1.0, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.DimensionalityError:
        raise UnitError(field, from_unit, f"a unit convertible to {to_unit!r}") from None


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
    if isinstance(text, bool) or not isinstance(text, str):
        raise UnitError(field, text, f"a string with a number and a unit, e.g. {allowed_units}")
    try:
        quantity: pint.Quantity = ureg.Quantity(text)
    except Exception:
        raise UnitError(field, text, f"a number followed by a unit, e.g. {allowed_units}") from None
    if not isinstance(quantity, pint.Quantity) or quantity.dimensionless:
        raise UnitError(field, text, f"a number followed by a unit, e.g. {allowed_units}")
    magnitude = quantity.magnitude
    if not isinstance(magnitude, (int, float)) or not math.isfinite(magnitude) or magnitude < 0:
        raise UnitError(field, text, f"a finite, non-negative number with a unit, e.g. {allowed_units}")
    return quantity
