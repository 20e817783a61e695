"""cartsim: mechanistic simulation of CAR T-cell therapy and anti-CD20 antibodies in autoimmune disease.

A research tool, not medical advice.
"""

from cartsim.engine import BACKENDS, DISCLAIMER, Simulation, SolverOptions, simulate
from cartsim.errors import CartsimError, InputError, ModelDefinitionError, UnitError
from cartsim.io import to_sbml
from cartsim.model import Model, compose
from cartsim.models import first_model, full_model
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

