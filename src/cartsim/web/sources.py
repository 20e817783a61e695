"""What stands behind each number of an answer: the parameters that set it, their sources, and
the published observations the model was checked against for it.

Per endpoint of the scenario: the parameters that set the observables it reads directly
(:func:`cartsim.parameters.citations.parameters_behind`) in every model the trial ran, the
bibliography keys their sources name, the calibration targets of the same endpoint that
``cartsim validate`` checks, and the known gaps (published observations the model misses).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from cartsim.endpoints import ENDPOINTS
from cartsim.model import Model
from cartsim.parameters.citations import keys_in, parameters_behind

__all__ = ["endpoint_sources"]


@lru_cache(maxsize=1)
def _targets() -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    from cartsim.validation.targets import load_calibration, load_gaps

    return tuple(load_calibration()), tuple(load_gaps())


def _observation(target: Any) -> dict[str, Any]:
    return {"id": target.id, "source": target.source, "population": target.population.name, "observed": target.observed}


def endpoint_sources(scenario: Any, models: Sequence[Model]) -> dict[str, dict[str, Any]]:
    """Endpoint label -> its words, parameters, cited keys, the observations it was checked against and its known gaps.

    ``models``: the models the trial ran (:meth:`cartsim.trial.Scenario.cohort_models`).
    """
    calibration, gaps = _targets()
    out = {}
    for request in scenario.endpoints:
        endpoint = ENDPOINTS[request.endpoint]
        names: dict[str, None] = {}
        keys: dict[str, None] = {}
        for m in models:
            for name in parameters_behind(m, endpoint.observables):
                names[name] = None
                keys.update(dict.fromkeys(keys_in(m.parameter(name).source)))
        out[request.label] = {
            "words": endpoint.words or request.label.replace("_", " "),
            "parameters": list(names),
            "keys": sorted(keys),
            "checked_against": [_observation(t) for t in calibration if t.endpoint == request.endpoint],
            "known_gaps": [_observation(t) for t in gaps if t.endpoint == request.endpoint],
        }
    return out
