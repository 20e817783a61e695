"""cartsim: mechanistic simulation of CAR T-cell therapy and anti-CD20 antibodies in autoimmune disease.

A research tool, not medical advice.

The names below are imported when first used, so ``import cartsim`` (and ``cartsim --help``)
stays fast: the engine (numba, SymPy), the trial machinery (pandas, lifelines) and the SBML
writer load only when a program asks for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_WHERE = {
    "BACKENDS": "cartsim.engine",
    "DISCLAIMER": "cartsim.engine",
    "Simulation": "cartsim.engine",
    "SolverOptions": "cartsim.engine",
    "simulate": "cartsim.engine",
    "CartsimError": "cartsim.errors",
    "InputError": "cartsim.errors",
    "ModelDefinitionError": "cartsim.errors",
    "UnitError": "cartsim.errors",
    "to_sbml": "cartsim.io",
    "Model": "cartsim.model",
    "compose": "cartsim.model",
    "build_model": "cartsim.models",
    "first_model": "cartsim.models",
    "full_model": "cartsim.models",
    "Cohort": "cartsim.population",
    "simulate_cohort": "cartsim.population",
    "Dose": "cartsim.protocol",
    "Regimen": "cartsim.protocol",
    "run_trial": "cartsim.trial",
}

__all__ = ["__version__", *sorted(_WHERE)]

if TYPE_CHECKING:
    from cartsim.engine import BACKENDS, DISCLAIMER, Simulation, SolverOptions, simulate
    from cartsim.errors import CartsimError, InputError, ModelDefinitionError, UnitError
    from cartsim.io import to_sbml
    from cartsim.model import Model, compose
    from cartsim.models import build_model, first_model, full_model
    from cartsim.population import Cohort, simulate_cohort
    from cartsim.protocol import Dose, Regimen
    from cartsim.trial import run_trial


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'cartsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
