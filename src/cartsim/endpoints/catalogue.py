"""The endpoint catalogue: every :class:`~cartsim.endpoints.Endpoint`, by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from cartsim.endpoints.antibodies import AUTOANTIBODY_CHANGE, IGG_BELOW_LLN, PROTECTIVE_IGG_CHANGE, TOTAL_IGG_CHANGE
from cartsim.endpoints.autoimmune import ANNUALIZED_FLARE_RATE, DISEASE_SCORE_CHANGE, FIRST_FLARE_DAY, FLARE_FREE
from cartsim.endpoints.bcells import BCELL_DEPLETION, BCELL_NAIVE_FRACTION, BCELL_RECOVERY
from cartsim.endpoints.cart import CART_DETECTABLE, CART_PEAK_CELLS, CART_PEAK_DAY
from cartsim.endpoints.cns import CART_CSF_DETECTABLE, CSF_BCELLS_CHANGE, INTRATHECAL_IGG_CHANGE, OCB_PRESENT
from cartsim.endpoints.endpoint import Endpoint
from cartsim.endpoints.exposure import DRUG_AUC_TAU, DRUG_CMAX, DRUG_HALF_LIFE
from cartsim.endpoints.infections import SERIOUS_INFECTION, SERIOUS_INFECTION_RATE, SEVERE_NEUTROPENIA_DAYS
from cartsim.endpoints.ms import ANNUALIZED_RELAPSE_RATE, CDP12, CDP24, EDSS_CHANGE, GD_LESIONS, NEW_T2_LESIONS, PIRA
from cartsim.endpoints.toxicity import CRS_MAX_GRADE, ICANS_MAX_GRADE
from cartsim.endpoints.values import EndpointContext, EndpointValues
from cartsim.errors import InputError

__all__ = ["ENDPOINTS", "compute_endpoint", "endpoint_spec"]

#: Every endpoint, by name (read-only): those of the targets format, then the MS, CNS, autoimmune and safety ones.
ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType(
    {
        e.name: e
        for e in (
            BCELL_DEPLETION,
            BCELL_RECOVERY,
            BCELL_NAIVE_FRACTION,
            CART_PEAK_DAY,
            CART_PEAK_CELLS,
            CART_DETECTABLE,
            CRS_MAX_GRADE,
            ICANS_MAX_GRADE,
            TOTAL_IGG_CHANGE,
            PROTECTIVE_IGG_CHANGE,
            AUTOANTIBODY_CHANGE,
            IGG_BELOW_LLN,
            DRUG_CMAX,
            DRUG_AUC_TAU,
            DRUG_HALF_LIFE,
            ANNUALIZED_RELAPSE_RATE,
            CDP12,
            CDP24,
            PIRA,
            GD_LESIONS,
            NEW_T2_LESIONS,
            EDSS_CHANGE,
            CART_CSF_DETECTABLE,
            CSF_BCELLS_CHANGE,
            INTRATHECAL_IGG_CHANGE,
            OCB_PRESENT,
            ANNUALIZED_FLARE_RATE,
            FLARE_FREE,
            FIRST_FLARE_DAY,
            DISEASE_SCORE_CHANGE,
            SERIOUS_INFECTION_RATE,
            SERIOUS_INFECTION,
            SEVERE_NEUTROPENIA_DAYS,
        )
    }
)


def endpoint_spec(name: Any, field: str = "endpoint") -> Endpoint:
    """The endpoint ``name``; an unknown name is an :class:`~cartsim.errors.InputError` listing them all."""
    if not isinstance(name, str) or name not in ENDPOINTS:
        raise InputError(field, name, "one of " + ", ".join(ENDPOINTS))
    return ENDPOINTS[name]


def compute_endpoint(
    name: str, options: Mapping[str, Any] | None, result: Any, context: EndpointContext = EndpointContext()
) -> EndpointValues:
    """Compute endpoint ``name`` for every patient of a simulation.

    Parameters
    ----------
    name
        An endpoint of :data:`ENDPOINTS`.
    options
        Its options (checked and completed by :meth:`Endpoint.validate`).
    result
        A :class:`~cartsim.Simulation`, a :class:`~cartsim.population.CohortResult`, or an
        ``xarray.Dataset`` (``patient`` x ``time`` in days).
    context
        Seed, patient ids, dose days and horizon (:meth:`EndpointContext.of` a cohort).

    Returns
    -------
    EndpointValues
        One value per patient (NaN where not available) and whether it is censored.
    """
    return endpoint_spec(name).evaluate(result, options, context)
