"""Endpoints computed per virtual patient."""

from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below

__all__ = ["first_day_at_or_above_after", "first_day_below"]
