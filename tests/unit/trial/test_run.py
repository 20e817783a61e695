"""Virtual trials: chunk-size invariance, result folders, interruption and resume."""

import numpy as np
import pandas as pd
import pytest

import cartsim.trial.run as run_module
from cartsim.errors import InputError
from cartsim.trial import TrialResult, load_result, parse_scenario, run_trial

REGIMENS = {
    "CAR-T": [
        {"therapy": "flu-cy", "day": -3, "fludarabine_mg_per_m2": 25, "fludarabine_days": 3,
         "cyclophosphamide_mg_per_m2": 1000, "cyclophosphamide_days": 1},
        {"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"},
    ],
    "ocrelizumab": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}],
}
FILES = {"scenario.toml", "endpoints.parquet", "summary.csv", "comparisons.csv", "summary.json", "trajectories.nc", "provenance.json"}


def scenario(chunk_size=10, patients=40, **extra):
    table = {
        "population": "rrms", "patients": patients, "horizon_days": 45, "seed": 5, "replicates": 30, "chunk_size": chunk_size,
        "arm": [{"name": name, "regimen": regimen} for name, regimen in REGIMENS.items()], **extra,
    }
    return parse_scenario(table)


@pytest.fixture(scope="module")
def one_chunk():
    return run_trial(scenario(chunk_size=40))


def test_same_patients_whatever_the_chunk_size(one_chunk):
    chunked = run_trial(scenario(chunk_size=10))
    pd.testing.assert_frame_equal(one_chunk.to_dataframe(), chunked.to_dataframe())
    pd.testing.assert_frame_equal(one_chunk.summary(), chunked.summary())
    ids = one_chunk.to_dataframe().groupby("arm")["patient"].apply(list)
    assert ids["CAR-T"][:3] == [0, 2, 4] and ids["ocrelizumab"][:3] == [1, 3, 5]  # interleaved global ids


def test_result_contents(one_chunk):
    summary = one_chunk.summary()
    assert len(summary) == 2 * len(one_chunk.scenario.endpoints)
    assert {"value", "low", "high", "n", "censored"} <= set(summary.columns)
    crs = summary.set_index(["arm", "endpoint"]).loc[("ocrelizumab", "crs_max_grade"), "value"]
    assert crs == 0  # no CAR-T, no CRS
    bands = one_chunk.to_xarray()
    assert bands["bcells_blood"].dims == ("arm", "time", "quantile") and bands["time"].values[0] == -3
    low, mid, high = (bands["bcells_blood"].sel(quantile=q).values for q in (0.05, 0.5, 0.95))
    assert np.all(low <= mid + 1e-12) and np.all(mid <= high + 1e-12)
    ax = one_chunk.plot_trajectories("bcells_blood")
    assert len(ax.lines) == 2


def test_folder_round_trip(tmp_path, one_chunk):
    out = tmp_path / "trial"
    result = run_trial(scenario(chunk_size=20), out)
    assert {p.name for p in out.iterdir()} == FILES
    assert not (tmp_path / "trial.partial").exists()
    back = load_result(out)
    assert isinstance(back, TrialResult) and back.scenario.hash == result.scenario.hash
    pd.testing.assert_frame_equal(back.to_dataframe(), result.to_dataframe())
    np.testing.assert_allclose(back.summary()["value"], result.summary()["value"])
    np.testing.assert_allclose(back.to_xarray()["bcells_blood"].values, result.to_xarray()["bcells_blood"].values)
    assert back.provenance["model_hash"] and "research tool" in back.provenance["disclaimer"]
    with pytest.raises(InputError, match="does not exist yet"):
        run_trial(scenario(chunk_size=20), out)


def test_interrupted_run_resumes_without_recomputing(tmp_path, monkeypatch, one_chunk):
    real = run_module._simulate_chunk
    calls = []

    def failing(*args):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(args[1:4])
        return real(*args)

    monkeypatch.setattr(run_module, "_simulate_chunk", failing)
    out = tmp_path / "trial"
    with pytest.raises(KeyboardInterrupt):
        run_trial(scenario(chunk_size=20), out)
    partial = tmp_path / "trial.partial"
    assert not out.exists() and len(list((partial / "chunks").glob("*.npz"))) == 2
    with pytest.raises(InputError, match="resume"):
        run_trial(scenario(chunk_size=20), out)  # an unfinished run is in the way
    with pytest.raises(InputError, match="changed"):
        run_trial(scenario(chunk_size=20, replicates=31), out, resume=True)

    calls.clear()
    monkeypatch.setattr(run_module, "_simulate_chunk", lambda *a: calls.append(a[1:4]) or real(*a))
    seen = []
    result = run_trial(scenario(chunk_size=20), out, resume=True, progress=lambda done, total: seen.append((done, total)))
    assert calls == [(1, 0, 20), (1, 20, 40)]  # only arm 1's two chunks were missing
    assert seen[0] == (2, 4) and seen[-1] == (4, 4)
    assert {p.name for p in out.iterdir()} == FILES and not partial.exists()
    pd.testing.assert_frame_equal(result.to_dataframe(), one_chunk.to_dataframe())
