"""The engine: compiles a model once and solves many patients at once."""

from cartsim.engine.options import BACKENDS, SolverOptions
from cartsim.engine.result import DISCLAIMER, STATUS_MESSAGES, Simulation
from cartsim.engine.simulate import simulate, time_grid

__all__ = ["BACKENDS", "DISCLAIMER", "STATUS_MESSAGES", "Simulation", "SolverOptions", "simulate", "time_grid"]
