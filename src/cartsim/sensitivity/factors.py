"""The factors of a sensitivity analysis: model parameters and the ranges they are sampled over.

By default every parameter with between-patient variability, over its population's 5-95 %
range (``value * exp(+-1.645 omega)``): which of the ways patients differ drives the endpoint.
Any parameter can be given its own range instead (in the parameter's unit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cartsim.errors import InputError
from cartsim.model import LogNormal, Model

__all__ = ["Z95", "Factor", "default_factors", "factors_from_ranges"]

#: The standard normal 95th percentile: a log-normal parameter's 5-95 % range is value * exp(+-Z95 * omega).
Z95 = 1.6448536269514722


@dataclass(frozen=True)
class Factor:
    """One parameter varied: its name, range (in its unit), typical value and where the range comes from."""

    name: str
    low: float
    high: float
    typical: float
    unit: str
    origin: str


def default_factors(model: Model) -> tuple[Factor, ...]:
    """Every parameter of ``model`` with log-normal between-patient variability, over its 5-95 % range."""
    out = []
    for p in model.parameters:
        if isinstance(p.variability, LogNormal) and p.variability.omega > 0 and p.value > 0:
            low, high = p.bounds
            spread = math.exp(Z95 * p.variability.omega)
            out.append(Factor(p.name, max(p.value / spread, low), min(p.value * spread, high), p.value, p.unit, "between-patient 5-95%"))
    return tuple(out)


def factors_from_ranges(model: Model, ranges: Mapping[str, tuple[float, float]], field: str = "ranges") -> tuple[Factor, ...]:
    """Factors with the ranges given (parameter name -> (low, high) in the parameter's unit).

    Raises
    ------
    InputError
        An unknown parameter, a range that is not low < high, or one outside the parameter's bounds.
    """
    if not ranges:
        raise InputError(field, dict(ranges), "at least one parameter range such as {'cart_kill_rate': (0.5, 2.0)}")
    out = []
    for name, span in ranges.items():
        where = f"{field}.{name}"
        if name not in model.parameter_names:
            raise InputError(where, name, "a parameter of the model (`cartsim models --parameters` lists them)")
        p = model.parameter(name)
        try:
            low, high = (float(v) for v in span)
        except (TypeError, ValueError):
            raise InputError(where, span, f"two numbers, low and high, in {p.unit}") from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise InputError(where, span, f"low < high, both finite, in {p.unit}")
        lo, hi = p.bounds
        if low < lo or high > hi:
            raise InputError(where, span, f"a range within the parameter's bounds [{lo:g}, {hi:g}] {p.unit}")
        out.append(Factor(name, low, high, p.value, p.unit, "given"))
    return tuple(out)
