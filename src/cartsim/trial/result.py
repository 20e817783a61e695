"""The result of a virtual trial: per-patient endpoints, summary, trajectory bands, provenance.

Every table and band carries the hypothesis the arm ran under (``"as-given"`` when the
scenario names none), so results under different answers to an open question sit side by
side and are never mixed. A result folder holds ``scenario.toml``, ``endpoints.parquet``
(one row per patient and hypothesis), ``summary.csv`` and ``summary.json`` (per hypothesis,
arm and endpoint: statistic and 95% interval), ``comparisons.csv`` (hazard ratios and
log-rank tests of the time-to-event endpoints), ``trajectories.nc`` (NetCDF: median and
5%-95% band per hypothesis and arm over time), ``patients/*.nc`` (the full trajectories of
the patients ``[outputs] patients`` keeps) and ``provenance.json``; :func:`load_result`
reads it back.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from cartsim.engine import SolverOptions
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.trial.files import atomic_write, atomic_write_text
from cartsim.trial.scenario import Scenario, load_scenario
from cartsim.validation.statistics import bootstrap, interval, quantiles, summarise

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PATIENTS_FOLDER", "QUANTILES", "TrialResult", "assemble", "foreign_files", "load_result", "write_result"]

#: Quantiles of the trajectory bands: the 90% band and the median.
QUANTILES = (0.05, 0.5, 0.95)
#: Folder (in a result folder) of the per-patient trajectories, one NetCDF file per chunk.
PATIENTS_FOLDER = "patients"
_FILES = ("scenario.toml", "endpoints.parquet", "summary.csv", "comparisons.csv", "summary.json", "trajectories.nc", "provenance.json")
#: What else cartsim writes into a result folder: the report (and its figures), kept patients' trajectories, and
#: the run's stamp where a kill came between completing the folder and removing it.
_OWN_EXTRA = ("report.html", "scenario.hash")
_OWN_FOLDERS = {"figures": ".png", PATIENTS_FOLDER: ".nc"}


def foreign_files(folder: Path) -> list[Path]:
    """Files and folders in result ``folder`` that cartsim does not write there (empty when it holds only its own)."""
    foreign = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and not entry.is_symlink() and entry.name in (*_FILES, *_OWN_EXTRA):
            continue
        suffix = _OWN_FOLDERS.get(entry.name)
        if suffix and entry.is_dir() and not entry.is_symlink():
            foreign += [f for f in sorted(entry.iterdir()) if not (f.is_file() and not f.is_symlink() and f.suffix == suffix)]
            continue
        foreign.append(entry)
    return foreign


Chunks = Sequence[Sequence[Sequence[Mapping[str, np.ndarray]]]]


@dataclass(frozen=True)
class TrialResult:
    """A finished virtual trial (immutable).

    Attributes
    ----------
    scenario
        The scenario that was run.
    endpoints
        One row per patient and hypothesis: ``hypothesis``, ``arm``, ``patient`` (global
        id), ``status``, then per endpoint its value and ``<name>_censored``.
    summary_table
        One row per hypothesis, arm and endpoint: ``statistic``, ``value``, ``low``,
        ``high`` (95% interval over bootstrap replicates), ``n`` (patients with a value),
        ``censored``.
    bands
        Per observable, quantiles over patients (``hypothesis`` x ``arm`` x ``time`` x ``quantile``).
    provenance
        What ran: model hash and modules, parameter changes, hypotheses, solver settings,
        backend, seed, scenario hash, versions, disclaimer.
    folder
        The result folder (None for a run kept in memory).
    patients
        The kept patients' trajectories of a run kept in memory (None otherwise).
    """

    scenario: Scenario
    endpoints: pd.DataFrame
    summary_table: pd.DataFrame
    bands: xr.Dataset
    provenance: Mapping[str, Any]
    folder: Path | None = None
    patients: xr.Dataset | None = None

    def to_dataframe(self) -> pd.DataFrame:
        """The per-patient endpoint table (a copy)."""
        return self.endpoints.copy()

    def to_xarray(self) -> xr.Dataset:
        """The trajectory bands (a copy)."""
        return self.bands.copy()

    def summary(self) -> pd.DataFrame:
        """Per hypothesis, arm and endpoint: the statistic with its 95% interval (a copy)."""
        return self.summary_table.copy()

    def moved_to(self, folder: Path) -> TrialResult:
        """The same result, its files now in ``folder``."""
        return dataclasses.replace(self, folder=folder)

    def trajectories(self) -> xr.Dataset:
        """Full trajectories of the patients kept (``[outputs] patients``), with units.

        Dimensions ``hypothesis`` x ``arm`` x ``patient`` (index within the arm) x ``time``.

        Raises
        ------
        InputError
            When the scenario kept no patient's trajectories.
        """
        if self.patients is not None:
            return self.patients
        files = sorted((self.folder / PATIENTS_FOLDER).glob("*.nc")) if self.folder is not None else []
        if not files:
            raise InputError(
                "outputs.patients",
                self.scenario.patient_outputs,
                "a scenario that keeps patients' trajectories ([outputs] patients = N or 'all')",
            )
        parts = []
        for path in files:
            with xr.open_dataset(path, engine="scipy") as opened:
                parts.append(opened.load())
        return xr.combine_by_coords(parts, combine_attrs="override")  # type: ignore[return-value]

    def comparisons(self) -> pd.DataFrame:
        """Time-to-event endpoints, each arm against the first, under each hypothesis.

        One row per hypothesis, endpoint and arm: ``hazard_ratio`` with its 95% interval (Cox
        model), the log-rank ``p_value``, the proportional-hazards check and, where hazards
        are not proportional, the restricted mean survival time difference (all through
        lifelines), or NaN with a ``reason``.
        """
        from cartsim.endpoints import ENDPOINTS
        from cartsim.trial.survival import compare_arms

        rows: list[dict[str, Any]] = []
        arms = [arm.name for arm in self.scenario.arms]
        if len(arms) < 2:
            return pd.DataFrame(rows, columns=list(_COMPARISON_COLUMNS))
        for hypothesis, table in self.endpoints.groupby("hypothesis", sort=False):
            by_arm = {name: rows_ for name, rows_ in table.groupby("arm", sort=False)}
            for request in self.scenario.endpoints:
                if ENDPOINTS[request.endpoint].kind != "days":
                    continue
                reference = _values(by_arm[arms[0]], request.label)
                for arm in arms[1:]:
                    row = {"hypothesis": hypothesis, "endpoint": request.label, "reference": arms[0], "arm": arm}
                    try:
                        c = compare_arms(reference, _values(by_arm[arm], request.label), arms[0], arm, horizon=self.scenario.horizon_days)
                    except InputError as exc:  # an arm where no patient has the endpoint (never depleted, say)
                        rows.append({**row, "reason": f"not comparable: {exc}"})
                        continue
                    rows.append({**row, **c.record()})
        return pd.DataFrame(rows, columns=list(_COMPARISON_COLUMNS))

    def plot_trajectories(self, observable: str, ax: Axes | None = None, hypothesis: str | None = None) -> Axes:
        """Median and 5%-95% band of ``observable`` over time, one colour per arm (under one hypothesis)."""
        if observable not in self.bands:
            raise InputError("observable", observable, "one of the kept outputs: " + ", ".join(map(str, self.bands.data_vars)))
        names = [str(h) for h in self.bands["hypothesis"].values]
        chosen = hypothesis if hypothesis is not None else names[0]
        if chosen not in names:
            raise InputError("hypothesis", hypothesis, "one of " + ", ".join(names))
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        band = self.bands[observable].sel(hypothesis=chosen)
        time = band["time"].values
        for arm in band["arm"].values:
            q = band.sel(arm=arm)
            line = ax.plot(time, q.sel(quantile=0.5).values, label=str(arm))[0]
            ax.fill_between(time, q.sel(quantile=0.05).values, q.sel(quantile=0.95).values, color=line.get_color(), alpha=0.2)
        ax.set_xlabel("day")
        ax.set_ylabel(f"{observable} ({band.attrs.get('units', '')})")
        ax.legend(title="median, 5%-95%" + (f" ({chosen})" if len(names) > 1 else ""))
        return ax


_COMPARISON_COLUMNS = (
    "hypothesis",
    "endpoint",
    "reference",
    "arm",
    "hazard_ratio",
    "hr_lower",
    "hr_upper",
    "logrank_p",
    "ph_test_p",
    "rmst_difference",
    "rmst_lower",
    "rmst_upper",
    "reason",
)


def _values(rows: pd.DataFrame, label: str) -> Any:
    """One time-to-event endpoint of some patients, as EndpointValues."""
    from cartsim.endpoints import EndpointValues

    return EndpointValues(rows[label].to_numpy(dtype=float), rows[f"{label}_censored"].to_numpy(dtype=bool))


def _versions() -> str:
    from cartsim.engine.simulate import _versions as engine_versions

    return engine_versions()


def _summary_rows(scenario: Scenario, hypothesis: str, arm: str, table: Mapping[str, Any]) -> list[dict[str, Any]]:
    from cartsim.endpoints import ENDPOINTS

    rows = []
    for request in scenario.endpoints:
        values, censored = table[request.label], table[f"{request.label}_censored"]
        times = ENDPOINTS[request.endpoint].kind == "days"
        found = interval(bootstrap(request.statistic, values, censored, scenario.seed, scenario.replicates, event_times=times))
        rows.append(
            {
                "hypothesis": hypothesis,
                "arm": arm,
                "endpoint": request.label,
                "catalogue": request.endpoint,
                "statistic": request.statistic.text,
                "value": summarise(request.statistic, values, censored, times),
                "low": found[0] if found else np.nan,
                "high": found[1] if found else np.nan,
                "n": int(np.count_nonzero(~np.isnan(values))),
                "censored": int(np.count_nonzero(censored)),
                "patients": int(values.size),
            }
        )
    return rows


def _band(parts: Sequence[Mapping[str, np.ndarray]], k: int, times: np.ndarray) -> np.ndarray:
    kept = np.concatenate([c[f"band{k}"] for c in parts], axis=0)
    if not kept.size:
        return np.full((times.size, len(QUANTILES)), np.nan)
    # All-NaN times (every band patient failed) give NaN quantiles, as they should.
    return np.stack([quantiles(kept.T, q) for q in QUANTILES], axis=1)


def _patients_in_memory(chunks: Chunks) -> xr.Dataset | None:
    parts = [xr.open_dataset(c["patients"].tobytes(), engine="scipy").load() for h in chunks for a in h for c in a if "patients" in c]
    return xr.combine_by_coords(parts, combine_attrs="override") if parts else None  # type: ignore[return-value]


def assemble(
    scenario: Scenario, chunks: Chunks, *, model: Model, solver: SolverOptions, backend: str, folder: Path | None = None
) -> TrialResult:
    """Build a :class:`TrialResult` from every hypothesis's and arm's chunk arrays (in patient order), recording what ran."""
    from cartsim import __version__
    from cartsim.engine import DISCLAIMER
    from cartsim.population.settings import hypothesis_table

    rows: list[pd.DataFrame] = []
    summary: list[dict[str, Any]] = []
    band_data: dict[str, list[list[np.ndarray]]] = {name: [] for name in scenario.outputs}
    for h, hypothesis in enumerate(scenario.hypothesis_names):
        for name in scenario.outputs:
            band_data[name].append([])
        for a, arm in enumerate(scenario.arms):
            parts = chunks[h][a]
            table: dict[str, Any] = {
                "hypothesis": hypothesis,
                "arm": arm.name,
                "patient": np.concatenate([c["ids"] for c in parts]),
                "status": np.concatenate([c["status"] for c in parts]),
            }
            for j, request in enumerate(scenario.endpoints):
                table[request.label] = np.concatenate([c[f"value{j}"] for c in parts])
                table[f"{request.label}_censored"] = np.concatenate([c[f"censored{j}"] for c in parts]).astype(bool)
            summary += _summary_rows(scenario, hypothesis, arm.name, table)
            rows.append(pd.DataFrame(table))
            for k, name in enumerate(scenario.outputs):
                band_data[name][h].append(_band(parts, k, scenario.times))
    observables = {o.name: o for o in model.observables}
    bands = xr.Dataset(
        {
            name: (
                ("hypothesis", "arm", "time", "quantile"),
                np.array(band_data[name]),
                {"units": observables[name].unit, "long_name": observables[name].description},
            )
            for name in scenario.outputs
        },
        coords={
            "hypothesis": list(scenario.hypothesis_names),
            "arm": [a.name for a in scenario.arms],
            "time": scenario.times,
            "quantile": list(QUANTILES),
        },
        attrs={"time_units": "day", "note": "quantiles over at most 2000 seeded randomly chosen patients per arm"},
    )
    endpoints = pd.concat(rows, ignore_index=True)
    provenance = {
        "cartsim_version": __version__,
        "model_name": model.name,
        "model_hash": model.hash,
        "modules": [m.name for m in model.modules],
        "parameter_sets": model.parameter_set.name,
        "population": scenario.population.name,
        "parameter_changes": dict(scenario.raw.get("parameters", {})),
        "arm_parameter_changes": {a["name"]: a["parameters"] for a in scenario.raw["arm"] if "parameters" in a},
        "hypotheses": [hypothesis_table(h) for h in scenario.hypotheses] or ["as-given"],
        "seed": scenario.seed,
        "scenario_hash": scenario.hash,
        "patients_per_arm": scenario.patients,
        "replicates": scenario.replicates,
        "failed_solves": int(np.count_nonzero(endpoints["status"].to_numpy() != 0)),
        "backend": backend,
        "solver": solver.record(backend),
        "versions": _versions(),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "disclaimer": DISCLAIMER,
    }
    bands.attrs["disclaimer"] = DISCLAIMER
    return TrialResult(
        scenario, endpoints, pd.DataFrame(summary), bands, provenance, folder, _patients_in_memory(chunks) if folder is None else None
    )


def write_result(result: TrialResult, folder: Path) -> None:
    """Write every result file into ``folder`` (each atomically; ``scenario.toml`` is already there)."""
    if not (folder / "scenario.toml").is_file():
        atomic_write_text(folder / "scenario.toml", result.scenario.text)
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
    return TrialResult(scenario, endpoints, summary, bands, provenance, folder)
