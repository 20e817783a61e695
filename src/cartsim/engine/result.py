"""Simulation results: an xarray Dataset (patient x time) with per-patient status and provenance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["Simulation", "STATUS_MESSAGES", "DISCLAIMER"]

#: Human-readable meaning of each per-patient status code.
STATUS_MESSAGES = {
    0: "successful",
    1: "solver failed (too many steps or step size too small: check the patient's parameters)",
    2: "non-finite state (the solution overflowed)",
}

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
        return pd.DataFrame(
            {"patient": bad, "status": self.status[bad], "message": [STATUS_MESSAGES[int(s)] for s in self.status[bad]]}
        )

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
