"""CNS endpoints: CAR T cells in the CSF, CSF B cells, intrathecal IgG and oligoclonal bands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cartsim.endpoints.antibodies import change_endpoint
from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.values import EndpointContext, Window
from cartsim.units import ureg

__all__ = ["CART_CSF_DETECTABLE", "CSF_BCELLS_CHANGE", "INTRATHECAL_IGG_CHANGE", "OCB_PRESENT"]

_DAY = Option("day", "day", "day of the lumbar puncture (from day 0)", required=True)


def _cart_csf(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    lod = ureg.Quantity(o["lod"]).to("cells/uL").magnitude
    level = d.at(d.series("cart_csf_cells", "cells/uL", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level >= lod).astype(float)), np.zeros(level.shape, dtype=bool)


def _ocb(d: Window, o: Mapping[str, Any], c: EndpointContext) -> tuple[np.ndarray, np.ndarray]:
    level = d.at(d.series("igg_intrathecal", "1", full=True), o["day"])
    return np.where(np.isnan(level), np.nan, (level >= o["detection"]).astype(float)), np.zeros(level.shape, dtype=bool)


def _detection_rule(options: Mapping[str, Any], field: str) -> None:
    from cartsim.errors import InputError

    if not 0 < options["detection"] < 1:
        raise InputError(f"{field}.detection", options["detection"], "a share of the baseline intrathecal IgG between 0 and 1")


CART_CSF_DETECTABLE = Endpoint(
    "cart_csf_detectable",
    "CAR T cells in the CSF at or above the limit of detection",
    "boolean",
    "1",
    ("cart_csf_cells",),
    _cart_csf,
    (_DAY, Option("lod", "quantity", "limit of detection in CSF", "0.01 cells/uL", unit="cells/uL")),
    needs="cell therapy",
    words="CAR T cells found in the spinal fluid",
)
CSF_BCELLS_CHANGE = change_endpoint("csf_bcells_change_pct", "bcells_cns", "1", "B cells in the cerebrospinal fluid", day=_DAY)
INTRATHECAL_IGG_CHANGE = change_endpoint("intrathecal_igg_change_pct", "igg_intrathecal", "1", "IgG made inside the CNS", day=_DAY)
OCB_PRESENT = Endpoint(
    "ocb_present",
    "oligoclonal bands detectable (intrathecal IgG above the detection share of its baseline)",
    "boolean",
    "1",
    ("igg_intrathecal",),
    _ocb,
    (_DAY, Option("detection", "number", "share of the baseline intrathecal IgG that isoelectric focusing still detects", 0.1)),
    rule=_detection_rule,
    words="oligoclonal bands in the spinal fluid",
)
