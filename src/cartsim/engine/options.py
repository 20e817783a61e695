"""How to solve: small immutable solver settings (the *how*, kept apart from *what* and *when*)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cartsim.errors import InputError

__all__ = ["SolverOptions", "BACKENDS"]

#: The backends :func:`cartsim.simulate` accepts.
BACKENDS = ("cpu", "jax", "reference")


@dataclass(frozen=True)
class SolverOptions:
    """Solver settings shared by every backend.

    Parameters
    ----------
    rtol, atol
        Relative and absolute local error tolerances (atol in each state's own unit; the
        internal unit system keeps states of order 1-1e4).
    max_steps
        Most internal steps between two consecutive output or dose times (every backend but
        the reference).
    threads
        Threads for the CPU backend (``None``: all cores numba sees).
    method
        JAX backend only: the diffrax solver (``"Kvaerno5"``, ``"Kvaerno3"``, ``"Tsit5"``,
        ``"Dopri5"``); the implicit Kvaerno methods suit this stiff model.
    """

    rtol: float = 1e-6
    atol: float = 1e-9
    max_steps: int = 100_000
    threads: int | None = None
    method: str = "Kvaerno5"

    def __post_init__(self) -> None:
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and 0 < value < 1):
                raise InputError(f"solver.{name}", value, "a number between 0 and 1 (exclusive)")
        if isinstance(self.max_steps, bool) or not isinstance(self.max_steps, int) or self.max_steps < 1:
            raise InputError("solver.max_steps", self.max_steps, "a whole number >= 1")
        if self.threads is not None and (isinstance(self.threads, bool) or not isinstance(self.threads, int) or self.threads < 1):
            raise InputError("solver.threads", self.threads, "None or a whole number >= 1")
        methods = ("Kvaerno5", "Kvaerno3", "Tsit5", "Dopri5")  # see method_on
        if self.method not in methods:
            raise InputError("solver.method", self.method, f"one of {', '.join(methods)}")

    def method_on(self, backend: str) -> str:
        """The integration method a backend uses with these settings, in words."""
        return {"cpu": "LSODA (numbalsoda)", "reference": "Radau (scipy)"}.get(backend, self.method)

    def record(self, backend: str) -> dict[str, object]:
        """The settings as recorded in provenance."""
        return {"rtol": self.rtol, "atol": self.atol, "max_steps": self.max_steps, "method": self.method_on(backend), "backend": backend}
