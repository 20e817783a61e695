"""Endpoints computed per virtual patient: one :class:`Endpoint` object each, and the catalogue."""

from cartsim.endpoints.catalogue import ENDPOINTS, compute_endpoint, endpoint_spec
from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below
from cartsim.endpoints.endpoint import Endpoint, Option
from cartsim.endpoints.values import EndpointContext, EndpointValues
from cartsim.endpoints.wording import ArmWords

__all__ = [
    "ENDPOINTS",
    "ArmWords",
    "Endpoint",
    "EndpointContext",
    "EndpointValues",
    "Option",
    "compute_endpoint",
    "endpoint_spec",
    "first_day_at_or_above_after",
    "first_day_below",
]
