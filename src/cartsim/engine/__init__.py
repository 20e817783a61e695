"""The engine: compiles a model once and solves many patients at once."""

from cartsim.engine.options import BACKENDS, SolverOptions
from cartsim.engine.result import DISCLAIMER, Simulation, Status
from cartsim.engine.simulate import simulate, time_grid

__all__ = ["BACKENDS", "DISCLAIMER", "Simulation", "SolverOptions", "Status", "simulate", "time_grid"]
