"""NumPy functions of a model, made once per model with ``sympy.lambdify`` and cached.

Used for quantities evaluated once per patient (derived parameters, initial states, dose
scales) and by the reference solver's right-hand side. Observables, evaluated at every
output time, are compiled (``codegen``'s ``observe``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from cartsim.engine.cache import per_structure
from cartsim.model import Model, symbol

__all__ = ["derived_and_initial", "route_scales", "rhs"]


@per_structure
def derived_and_initial(model: Model) -> tuple[tuple[Callable, ...], Callable]:
    """Functions of the derived parameters (each of the parameters and earlier derived ones),
    and of the initial state (of parameters and derived parameters)."""
    known = [symbol(n) for n in model.parameter_names]
    derived = []
    for d in model.derived:
        derived.append(sp.lambdify(known, d.expr, modules="numpy"))
        known.append(symbol(d.name))
    return tuple(derived), sp.lambdify(known, list(model.initial), modules="numpy")


@per_structure
def route_scales(model: Model) -> Callable:
    """Route scales as a function of the data vector's columns."""
    return sp.lambdify(list(model.data_symbols), list(model.route_scales), modules="numpy")


@per_structure
def rhs(model: Model) -> Callable[[float, np.ndarray, np.ndarray], np.ndarray]:
    """The right-hand side straight from the SymPy expressions (independent of code generation)."""
    fn = sp.lambdify([model.state_symbols, model.data_symbols], list(model.rhs), modules="numpy")
    return lambda t, y, p: np.asarray(fn(y, p), dtype=float)
