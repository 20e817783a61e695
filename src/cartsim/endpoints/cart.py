"""CAR-T endpoints: the blood peak (day and height) and detectability."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.endpoint import Compute, Endpoint, Option
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.endpoints.wording import ArmWords, value_text
from cartsim.units import ureg

__all__ = ["CART_DETECTABLE", "CART_PEAK_CELLS", "CART_PEAK_DAY"]


def _peak(height: bool) -> Compute:
    def compute(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
        values, times = d.series("cart_blood", "cells/uL"), d.times[d.window]
        peak = np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=1)
        index = np.argmax(np.where(np.isnan(values), -np.inf, values), axis=1)
        present = np.isfinite(peak) & (peak > 0)
        if height:
            return np.where(present, peak, np.nan), np.zeros(peak.shape, dtype=bool)
        # A maximum at the last output time may still be rising: censored at the horizon.
        censored = present & (index == times.size - 1)
        return np.where(present, times[index], np.nan), censored

    return compute


def _detectable(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    lod = ureg.Quantity(o["lod"]).to("cells/uL").magnitude
    level = d.at(d.series("cart_blood", "cells/uL", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level >= lod).astype(float)), np.zeros(level.shape, dtype=bool)


def _peak_sentence(row: Mapping[str, Any], arm: ArmWords) -> str:
    return f"CAR-T cells in the blood peaked at about {value_text(row, ' cells per microlitre')}."


CART_PEAK_DAY = Endpoint(
    "cart_peak_day",
    "day of the blood CAR-T peak",
    "days",
    "day",
    ("cart_blood",),
    _peak(height=False),
    needs="cell therapy",
    horizon_after_last_dose=90.0,
)
CART_PEAK_CELLS = Endpoint(
    "cart_peak_cells_per_uL",
    "height of the blood CAR-T peak",
    "number",
    "cells/uL",
    ("cart_blood",),
    _peak(height=True),
    needs="cell therapy",
    horizon_after_last_dose=90.0,
    words="how high CAR-T cells rose",
    sentence=_peak_sentence,
)
CART_DETECTABLE = Endpoint(
    "cart_detectable",
    "blood CAR-T at or above the limit of detection",
    "boolean",
    "1",
    ("cart_blood",),
    _detectable,
    (
        Option("day", "day", "day of the measurement (from day 0)", required=True),
        Option("lod", "quantity", "limit of detection", "0.1 cells/uL", unit="cells/uL"),
    ),
    needs="cell therapy",
)
