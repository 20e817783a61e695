"""Plain-language pieces the endpoints' sentences share: numbers with their intervals, shares of patients.

Sentences are hedged by what the numbers support: a share of patients is called "most" only
when more than half reached the event; a value is given with its 95% interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartsim.protocol import Treatment

__all__ = ["ArmWords", "finite", "share", "value_text"]


def finite(x: Any) -> bool:
    """Whether ``x`` is a finite number."""
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def share(row: Mapping[str, Any]) -> float | None:
    """Share of virtual patients in whom the event happened within the horizon (not censored)."""
    n, censored = row.get("n"), row.get("censored")
    if not (finite(n) and finite(censored)) or float(n) <= 0:  # type: ignore[arg-type]
        return None
    return 1.0 - float(censored) / float(n)  # type: ignore[arg-type]


def value_text(row: Mapping[str, Any], unit: str = "") -> str:
    """The value with its 95% interval: a percentage for shares, whole days when ``unit`` is ``" days"``."""
    is_share = str(row.get("statistic", "")).startswith("fraction")

    def fmt(x: Any) -> str:
        if not finite(x):
            return "not reached"
        return f"{float(x):.0%}" if is_share else (f"{float(x):.0f}" if unit == " days" else f"{float(x):.2g}")

    unit = "" if is_share else unit
    notes = [] if is_share else [str(row.get("statistic", "median"))]
    low, high = row.get("lower", row.get("low")), row.get("upper", row.get("high"))
    if finite(low) and (finite(high) or high == math.inf):
        notes.append(f"95% interval {fmt(low)} to {fmt(high)}{unit if finite(high) else ''}")
    value = row["value"]
    return (fmt(value) + (unit if finite(value) else "")) + (f" ({'; '.join(notes)})" if notes else "")


@dataclass(frozen=True)
class ArmWords:
    """What an endpoint's sentence may say about its arm: the treatment and the simulated time."""

    treatment: Treatment | None = None
    horizon_days: float | None = None

    @property
    def end(self) -> str:
        return f"the end of the {self.horizon_days:.0f} simulated days" if finite(self.horizon_days) else "the end of the simulation"

    @property
    def repeated_drug(self) -> str | None:
        """The drug given again and again (B cells staying low under it is expected), if any."""
        if self.treatment is None or self.treatment.drug is None or len(self.treatment.antibody_dose_days) < 2:
            return None
        return self.treatment.drug.name
