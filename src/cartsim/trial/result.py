"""The result of a virtual trial: per-patient endpoints, per-arm summary, trajectory bands, provenance.

A result folder holds ``scenario.toml``, ``endpoints.parquet`` (one row per patient),
``summary.csv`` and ``summary.json`` (per arm and endpoint: statistic and 95% interval),
``comparisons.csv`` (hazard ratios and log-rank tests of the time-to-event endpoints),
``trajectories.nc`` (NetCDF: median and 5%-95% band per arm over time) and
``provenance.json``; :func:`load_result` reads it back.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from cartsim.engine import SolverOptions
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.trial.files import atomic_write, atomic_write_text
from cartsim.trial.scenario import Scenario, load_scenario
from cartsim.validation.statistics import bootstrap, interval, summarise

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["QUANTILES", "TrialResult", "assemble", "load_result", "write_result"]

#: Quantiles of the trajectory bands: the 90% band and the median.
QUANTILES = (0.05, 0.5, 0.95)
_FILES = ("scenario.toml", "endpoints.parquet", "summary.csv", "comparisons.csv", "summary.json", "trajectories.nc", "provenance.json")


@dataclass(frozen=True)
class TrialResult:
    """A finished virtual trial (immutable).

    Attributes
    ----------
    scenario
        The scenario that was run.
    endpoints
        One row per patient: ``arm``, ``patient`` (global id), ``status``, then per endpoint
        its value and ``<name>_censored``.
    summary_table
        One row per arm and endpoint: ``statistic``, ``value``, ``low``, ``high`` (95%
        interval over bootstrap replicates), ``n`` (patients with a value), ``censored``.
    bands
        Per observable, quantiles over patients (``arm`` x ``time`` x ``quantile``).
    provenance
        Model hash, parameter sets, seed, scenario hash, versions, disclaimer.
    """

    scenario: Scenario
    endpoints: pd.DataFrame
    summary_table: pd.DataFrame
    bands: xr.Dataset
    provenance: Mapping[str, Any]

    def to_dataframe(self) -> pd.DataFrame:
        """The per-patient endpoint table (a copy)."""
        return self.endpoints.copy()

    def to_xarray(self) -> xr.Dataset:
        """The trajectory bands (a copy)."""
        return self.bands.copy()

    def summary(self) -> pd.DataFrame:
        """Per arm and endpoint: the statistic with its 95% interval (a copy)."""
        return self.summary_table.copy()

    def comparisons(self) -> pd.DataFrame:
        """Time-to-event endpoints, each arm against the first: log-rank test and hazard ratio.

        One row per endpoint and arm: ``hazard_ratio`` with its 95% interval (Cox model) and
        the log-rank ``p_value`` (both through lifelines), or NaN with a ``reason``.
        """
        from cartsim.endpoints import ENDPOINTS, EndpointValues
        from cartsim.trial.survival import compare_arms

        rows = []
        arms = [arm.name for arm in self.scenario.arms]
        by_arm = {name: rows_ for name, rows_ in self.endpoints.groupby("arm", sort=False)}
        for request in self.scenario.endpoints:
            if ENDPOINTS[request.endpoint].kind != "days" or len(arms) < 2:
                continue

            def values(arm: str) -> EndpointValues:
                table = by_arm[arm]
                return EndpointValues(table[request.label].to_numpy(dtype=float), table[f"{request.label}_censored"].to_numpy(dtype=bool))

            reference = values(arms[0])
            for arm in arms[1:]:
                row = {"endpoint": request.label, "reference": arms[0], "arm": arm}
                try:
                    c = compare_arms(reference, values(arm), arms[0], arm)
                except InputError as exc:  # an arm where no patient has the endpoint (never depleted, say)
                    rows.append({**row, "hazard_ratio": np.nan, "hr_lower": np.nan, "hr_upper": np.nan, "logrank_p": np.nan,
                                 "reason": f"not comparable: {exc}"})
                    continue
                rows.append({**row, "hazard_ratio": c.hazard_ratio, "hr_lower": c.hr_lower, "hr_upper": c.hr_upper,
                             "logrank_p": c.p_value, "reason": c.reason or ""})
        columns = ["endpoint", "reference", "arm", "hazard_ratio", "hr_lower", "hr_upper", "logrank_p", "reason"]
        return pd.DataFrame(rows, columns=columns)

    def plot_trajectories(self, observable: str, ax: "Axes | None" = None) -> "Axes":
        """Median and 5%-95% band of ``observable`` over time, one colour per arm."""
        if observable not in self.bands:
            raise InputError("observable", observable, "one of the kept outputs: " + ", ".join(map(str, self.bands.data_vars)))
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        band = self.bands[observable]
        time = band["time"].values
        for arm in band["arm"].values:
            q = band.sel(arm=arm)
            line = ax.plot(time, q.sel(quantile=0.5).values, label=str(arm))[0]
            ax.fill_between(time, q.sel(quantile=0.05).values, q.sel(quantile=0.95).values, color=line.get_color(), alpha=0.2)
        ax.set_xlabel("day")
        ax.set_ylabel(f"{observable} ({band.attrs.get('units', '')})")
        ax.legend(title="median, 5%-95%")
        return ax


def _versions() -> str:
    from cartsim.engine.simulate import _versions as engine_versions

    return engine_versions()


def assemble(scenario: Scenario, chunks: Sequence[Sequence[Mapping[str, np.ndarray]]], *, model: Model,
             solver: SolverOptions, backend: str) -> TrialResult:
    """Build a :class:`TrialResult` from every arm's chunk arrays (in patient order), recording what ran."""
    from cartsim import __version__
    from cartsim.engine import DISCLAIMER

    rows: list[pd.DataFrame] = []
    summary: list[dict[str, Any]] = []
    band_data: dict[str, list[np.ndarray]] = {name: [] for name in scenario.outputs}
    for a, arm in enumerate(scenario.arms):
        parts = chunks[a]
        table: dict[str, Any] = {"arm": arm.name, "patient": np.concatenate([c["ids"] for c in parts]),
                                 "status": np.concatenate([c["status"] for c in parts])}
        for j, request in enumerate(scenario.endpoints):
            values = np.concatenate([c[f"value{j}"] for c in parts])
            censored = np.concatenate([c[f"censored{j}"] for c in parts]).astype(bool)
            table[request.label], table[f"{request.label}_censored"] = values, censored
            found = interval(bootstrap(request.statistic, values, censored, scenario.seed, scenario.replicates))
            summary.append({
                "arm": arm.name, "endpoint": request.label, "catalogue": request.endpoint, "statistic": request.statistic.text,
                "value": summarise(request.statistic, values, censored), "low": found[0] if found else np.nan,
                "high": found[1] if found else np.nan, "n": int(np.count_nonzero(~np.isnan(values))),
                "censored": int(np.count_nonzero(censored)), "patients": int(values.size),
            })
        rows.append(pd.DataFrame(table))
        for k, name in enumerate(scenario.outputs):
            kept = np.concatenate([c[f"band{k}"] for c in parts], axis=0)
            with np.errstate(all="ignore"):
                # All-NaN times (every band patient failed) give NaN quantiles, as they should.
                band_data[name].append(np.nanquantile(kept, QUANTILES, axis=0).T if kept.size else np.full((scenario.times.size, 3), np.nan))
    units = {o.name: o.unit for o in model.observables}
    bands = xr.Dataset(
        {name: (("arm", "time", "quantile"), np.stack(band_data[name]), {"units": units[name]}) for name in scenario.outputs},
        coords={"arm": [a.name for a in scenario.arms], "time": scenario.times, "quantile": list(QUANTILES)},
        attrs={"time_units": "day", "note": "quantiles over at most 2000 seeded randomly chosen patients per arm"},
    )
    endpoints = pd.concat(rows, ignore_index=True)
    provenance = {
        "cartsim_version": __version__, "model_name": model.name, "model_hash": model.hash,
        "parameter_sets": model.parameter_set.name, "seed": scenario.seed, "scenario_hash": scenario.hash,
        "population": scenario.population, "patients_per_arm": scenario.patients, "replicates": scenario.replicates,
        "failed_solves": int(np.count_nonzero(endpoints["status"].to_numpy() != 0)), "backend": backend,
        "modules": [m.name for m in model.modules],
        "solver": solver.record(backend),
        "versions": _versions(), "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "disclaimer": DISCLAIMER,
    }
    bands.attrs["disclaimer"] = DISCLAIMER
    return TrialResult(scenario, endpoints, pd.DataFrame(summary), bands, provenance)


def write_result(result: TrialResult, folder: Path) -> None:
    """Write every result file into ``folder`` (each atomically; ``scenario.toml`` is already there)."""
    from cartsim.trial.files import toml_text

    if not (folder / "scenario.toml").is_file():
        atomic_write_text(folder / "scenario.toml", toml_text(result.scenario.raw))
    atomic_write(folder / "endpoints.parquet", lambda p: result.endpoints.to_parquet(p, index=False))
    atomic_write(folder / "summary.csv", lambda p: result.summary_table.to_csv(p, index=False))
    atomic_write(folder / "comparisons.csv", lambda p: result.comparisons().to_csv(p, index=False))
    records = json.loads(result.summary_table.to_json(orient="records"))
    atomic_write_text(folder / "summary.json", json.dumps({"rows": records, "disclaimer": result.provenance["disclaimer"]}, indent=2))
    # NetCDF3 through SciPy: no extra dependency; the file is closed before it is renamed.
    atomic_write(folder / "trajectories.nc", lambda p: result.bands.to_netcdf(p, engine="scipy"))
    atomic_write_text(folder / "provenance.json", json.dumps(dict(result.provenance), indent=2, default=str))


def load_result(folder: str | Path) -> TrialResult:
    """Read a result folder written by :func:`cartsim.trial.run_trial` back into a :class:`TrialResult`."""
    folder = Path(folder)
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise InputError("folder", str(folder), "a complete cartsim trial result folder (missing: " + ", ".join(missing) + ")")
    scenario = load_scenario(folder / "scenario.toml")
    endpoints = pd.read_parquet(folder / "endpoints.parquet")
    summary = pd.read_csv(folder / "summary.csv")
    with xr.open_dataset(folder / "trajectories.nc", engine="scipy") as opened:
        bands = opened.load()
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    return TrialResult(scenario, endpoints, summary, bands, provenance)
