"""Simulation results: an xarray Dataset (patient x time) with per-patient status and provenance."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["CONSERVATION_TOLERANCE", "DISCLAIMER", "NEGATIVE_FLOOR", "Simulation", "Status"]


class Status(enum.Enum):
    """The outcome of one patient's solve; the value is the message.

    Results store the integer :attr:`code` per patient (0 is success); :meth:`of` turns a
    code back into its member.

    Examples
    --------
    >>> Status.of(1).value
    "solver failed (too many steps or step size too small: check the patient's parameters)"
    >>> Status.SUCCESSFUL.code, Status.SUCCESSFUL.is_successful
    (0, True)
    """

    SUCCESSFUL = "successful"
    SOLVER_FAILED = "solver failed (too many steps or step size too small: check the patient's parameters)"
    NON_FINITE = "non-finite state (the solution overflowed)"
    NEGATIVE = "a quantity that cannot be negative fell below zero beyond the solver's tolerance (an unstable solve)"
    SOLVER_WARNING = "the solver warned and went on (its step size underflowed or it interpolated outside its step): the solution from then on is unreliable"
    CONSERVATION = "a drug's doses are not accounted for (in the body or cleared): a dose was lost or created by the solve"

    @property
    def code(self) -> int:
        """The integer stored in results (the member's position: 0, 1, 2, ...)."""
        return list(Status).index(self)

    @property
    def is_successful(self) -> bool:
        return self is Status.SUCCESSFUL

    @classmethod
    def of(cls, code: int) -> Status:
        """The member with this integer code."""
        return list(cls)[int(code)]

    @classmethod
    def legend(cls) -> str:
        """``"0: successful; 1: ...; 2: ..."``: what the codes in a result mean."""
        return "; ".join(f"{member.code}: {member.value}" for member in cls)


#: How far below zero (in multiples of the absolute tolerance) a non-negative state may fall as
#: solver round-off; it is then reported as 0, and further down the patient's solve has failed.
NEGATIVE_FLOOR = 1000.0

#: Relative gap allowed between the doses given on a route and the amount accounted for (in the
#: body or cleared). The balance is linear in the states, and LSODA, Radau and diffrax's
#: methods keep linear invariants to round-off: on the shipped drugs the gap stays below 1e-8
#: even at rtol 1e-3 (tests/numerics/test_conservation.py). A lost dose makes it of order 1.
CONSERVATION_TOLERANCE = 1e-6

DISCLAIMER = "cartsim is a research tool: its results are model predictions, not medical advice."


@dataclass(frozen=True)
class Simulation:
    """The result of :func:`cartsim.simulate`.

    ``dataset`` holds one variable per observable (and per state when asked for), with
    dimensions ``(patient, time)``, each carrying its ``units``; ``status`` per patient;
    and the provenance in ``dataset.attrs`` (model hash, parameter sets, solver, backend,
    seed, package versions).
    """

    dataset: xr.Dataset

    @property
    def status(self) -> np.ndarray:
        return self.dataset["status"].values

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of patients whose solve succeeded."""
        return self.status == 0

    @property
    def n_failed(self) -> int:
        return int(np.count_nonzero(self.status))

    @property
    def times(self) -> np.ndarray:
        return self.dataset["time"].values

    def __getitem__(self, name: str) -> xr.DataArray:
        return self.dataset[name]

    def failures(self) -> pd.DataFrame:
        """One row per failed patient: id, status code and message."""
        bad = np.flatnonzero(self.status)
        return pd.DataFrame({"patient": bad, "status": self.status[bad], "message": [Status.of(s).value for s in self.status[bad]]})

    def to_dataframe(self) -> pd.DataFrame:
        """Long table: one row per patient and time, one column per variable."""
        variables = [v for v in self.dataset.data_vars if self.dataset[v].dims == ("patient", "time")]
        return self.dataset[variables].to_dataframe().reset_index()

    def to_xarray(self) -> xr.Dataset:
        return self.dataset

    def __repr__(self) -> str:
        n = self.dataset.sizes["patient"]
        t = self.dataset.sizes["time"]
        return f"Simulation({n} patients x {t} times, failed={self.n_failed}, model={self.dataset.attrs.get('model_hash')})"
