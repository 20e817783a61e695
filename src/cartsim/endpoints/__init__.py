"""Endpoints computed per virtual patient: the catalogue of ``TARGETS.md`` and its computation."""

from cartsim.endpoints.catalogue import ENDPOINTS, EndpointSpec, Option, default_horizon, endpoint_spec, validate_options
from cartsim.endpoints.compute import compute_endpoint
from cartsim.endpoints.crossing import first_day_at_or_above_after, first_day_below
from cartsim.endpoints.values import EndpointContext, EndpointValues

__all__ = [
    "ENDPOINTS",
    "EndpointContext",
    "EndpointSpec",
    "EndpointValues",
    "Option",
    "compute_endpoint",
    "default_horizon",
    "endpoint_spec",
    "first_day_at_or_above_after",
    "first_day_below",
    "validate_options",
]
