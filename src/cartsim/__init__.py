"""cartsim: mechanistic simulation of CAR T-cell therapy and anti-CD20 antibodies in autoimmune disease.

A research tool, not medical advice.
"""

from functools import lru_cache

from cartsim.engine import BACKENDS, DISCLAIMER, Simulation, SolverOptions, simulate
from cartsim.errors import CartsimError, InputError, ModelDefinitionError, UnitError
from cartsim.io import to_sbml
from cartsim.model import Model, compose
from cartsim.protocol import Dose, Regimen
from cartsim.trial import run_trial

__version__ = "0.1.0"

__all__ = [
    "BACKENDS",
    "CartsimError",
    "DISCLAIMER",
    "Dose",
    "InputError",
    "Model",
    "ModelDefinitionError",
    "Regimen",
    "Simulation",
    "SolverOptions",
    "UnitError",
    "__version__",
    "compose",
    "first_model",
    "full_model",
    "run_trial",
    "simulate",
    "to_sbml",
]


@lru_cache(maxsize=1)
def full_model() -> Model:
    """Every biology module with the default parameters: the model behind validation and trials."""
    from cartsim.biology import FULL_MODEL_MODULES
    from cartsim.parameters import DEFAULT_PARAMETERS

    return compose(FULL_MODEL_MODULES, DEFAULT_PARAMETERS, name="cartsim-full")


@lru_cache(maxsize=1)
def first_model() -> Model:
    """The foundation model: CAR T cells, the B-cell lineage and ocrelizumab, default parameters."""
    from cartsim.biology import FIRST_MODEL_MODULES
    from cartsim.parameters import DEFAULT_PARAMETERS

    return compose(FIRST_MODEL_MODULES, DEFAULT_PARAMETERS, name="cartsim-foundation")
