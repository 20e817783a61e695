"""Virtual trials: chunk-size invariance, result folders, interruption and resume."""

import numpy as np
import pandas as pd
import pytest

import cartsim.trial.run as run_module
from cartsim.errors import CartsimWarning, InputError
from cartsim.trial import TrialResult, load_result, parse_scenario, run_trial
from cartsim.trial.result import foreign_files

REGIMENS = {
    "CAR-T": [
        {
            "therapy": "flu-cy",
            "day": -3,
            "fludarabine_mg_per_m2": 25,
            "fludarabine_days": 3,
            "cyclophosphamide_mg_per_m2": 1000,
            "cyclophosphamide_days": 1,
        },
        {"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"},
    ],
    "ocrelizumab": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}],
}
FILES = {"scenario.toml", "endpoints.parquet", "summary.csv", "comparisons.csv", "summary.json", "trajectories.nc", "provenance.json"}


def scenario(chunk_size=10, patients=40, **extra):
    table = {
        "population": "rrms",
        "patients": patients,
        "horizon_days": 45,
        "seed": 5,
        "replicates": 30,
        "chunk_size": chunk_size,
        "arm": [{"name": name, "regimen": regimen} for name, regimen in REGIMENS.items()],
        **extra,
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
    assert set(summary["hypothesis"]) == {"as-given"}
    bands = one_chunk.to_xarray()
    assert bands["bcells_blood"].dims == ("hypothesis", "arm", "time", "quantile") and bands["time"].values[0] == -3
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
    with pytest.raises(InputError, match="does not exist yet or is empty"):
        run_trial(scenario(chunk_size=20), out)


def test_interrupted_run_resumes_without_recomputing(tmp_path, monkeypatch, one_chunk):
    real = run_module._simulate_chunk
    calls = []

    def failing(*args):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append((args[1].arm, args[1].start, args[1].stop))
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
    monkeypatch.setattr(run_module, "_simulate_chunk", lambda *a: calls.append((a[1].arm, a[1].start, a[1].stop)) or real(*a))
    seen = []
    result = run_trial(scenario(chunk_size=20), out, resume=True, progress=lambda done, total: seen.append((done, total)))
    assert calls == [(1, 0, 20), (1, 20, 40)]  # only arm 1's two chunks were missing
    assert seen[0] == (2, 4) and seen[-1] == (4, 4)
    assert {p.name for p in out.iterdir()} == FILES and not partial.exists()
    pd.testing.assert_frame_equal(result.to_dataframe(), one_chunk.to_dataframe())


@pytest.mark.parametrize("damage", ["zero-bytes", "truncated", "another-chunk"])
def test_a_damaged_chunk_is_named_and_simulated_again(tmp_path, monkeypatch, one_chunk, damage):
    real = run_module._simulate_chunk
    calls = []

    def failing(*args):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(args[1].name)
        return real(*args)

    monkeypatch.setattr(run_module, "_simulate_chunk", failing)
    out = tmp_path / "trial"
    with pytest.raises(KeyboardInterrupt):
        run_trial(scenario(chunk_size=20), out)
    chunks = sorted((tmp_path / "trial.partial" / "chunks").glob("*.npz"))
    first, second = chunks
    if damage == "zero-bytes":  # what a power cut can leave
        first.write_bytes(b"")
    elif damage == "truncated":
        first.write_bytes(first.read_bytes()[:100])
    else:  # one chunk copied over another: other patients' ids
        first.write_bytes(second.read_bytes())
    calls.clear()
    monkeypatch.setattr(run_module, "_simulate_chunk", lambda *a: calls.append(a[1].name) or real(*a))
    with pytest.warns(CartsimWarning, match=f"{first.name} .* damaged or holds other patients"):
        result = run_trial(scenario(chunk_size=20), out, resume=True)
    assert first.stem in calls and second.stem not in calls
    pd.testing.assert_frame_equal(result.to_dataframe(), one_chunk.to_dataframe())


def test_a_run_killed_while_starting_or_finishing_leaves_a_usable_state(tmp_path):
    # Killed after creating OUT.partial but before its stamp: nothing was saved, so a plain rerun starts afresh.
    out = tmp_path / "trial"
    (tmp_path / "trial.partial" / "chunks").mkdir(parents=True)
    run_trial(scenario(patients=4), out)
    assert {p.name for p in out.iterdir()} == FILES
    # Killed between completing the folder and removing the stamp: the result loads and counts as cartsim's own.
    (out / "scenario.hash").write_text("x\n")
    assert load_result(out).scenario.patients == 4 and foreign_files(out) == []


def test_an_empty_result_folder_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    run_trial(scenario(patients=4), out)
    assert {p.name for p in out.iterdir()} == FILES


def test_every_arm_runs_under_each_hypothesis_on_the_same_patients():
    hypotheses = [
        "cns-cart-entry",
        {
            "name": "slow",
            "description": "slower CAR-T expansion",
            "source": "assumption: test",
            "parameters": {"cart_doubling_time": "3 day"},
        },
    ]
    result = run_trial(
        scenario(patients=6, hypotheses=hypotheses, endpoint=[{"endpoint": "cart_peak_cells_per_uL", "statistic": "median"}])
    )
    table = result.to_dataframe()
    assert list(result.bands["hypothesis"].values) == ["cns-cart-entry", "slow"]
    assert set(table["hypothesis"]) == {"cns-cart-entry", "slow"} and len(table) == 2 * 2 * 6
    same = table.groupby("hypothesis")["patient"].apply(list)
    assert same["cns-cart-entry"] == same["slow"]  # a paired comparison
    peaks = table[table["arm"] == "CAR-T"].pivot(index="patient", columns="hypothesis", values="cart_peak_cells_per_uL")
    assert np.all(peaks["slow"] < peaks["cns-cart-entry"]), "a slower doubling gives a lower peak in every patient"
    assert result.provenance["hypotheses"][1]["parameters"] == {"cart_doubling_time": {"value": "3.0 day", "source": "assumption: test"}}


def test_parameters_modules_and_solver_from_the_scenario_reach_the_run():
    table = {
        "parameters": {"cart_doubling_time": {"value": "3 day", "source": "Stein2019"}},
        "solver": {"rtol": 1e-7, "backend": "cpu"},
        "model": {
            "modules": [
                "physiology",
                "lymphodepletion",
                "cart_kinetics",
                "bcell_lineage",
                "plasma_cells",
                "cytokines",
                "ocrelizumab_pkpd",
                "ms_activity",
            ]
        },
    }
    changed = run_trial(scenario(patients=4, **table))
    base = run_trial(scenario(patients=4))
    assert changed.provenance["modules"] == table["model"]["modules"] and changed.provenance["solver"]["rtol"] == 1e-7
    assert changed.provenance["parameter_changes"] == table["parameters"]
    peak = lambda r: r.to_xarray()["cart_blood"].sel(hypothesis="as-given", arm="CAR-T", quantile=0.5).max().item()  # noqa: E731
    assert peak(changed) < peak(base)


def test_an_arm_s_parameters_apply_to_that_arm_only():
    arms = [
        {"name": "high IgG", "regimen": REGIMENS["CAR-T"], "parameters": {"igg_baseline": {"value": "15 g/L", "omega": 0}}},
        {"name": "default", "regimen": REGIMENS["CAR-T"]},
    ]
    result = run_trial(scenario(patients=4, arm=arms))
    igg = result.to_xarray()["igg_total"].sel(hypothesis="as-given", time=-3.0)  # before the first dose
    np.testing.assert_allclose(igg.sel(arm="high IgG").values, 15.0)  # every patient, no spread
    assert igg.sel(arm="default", quantile=0.05) < igg.sel(arm="default", quantile=0.95) < 15.0


def test_a_change_that_clashes_with_a_hypothesis_or_a_therapy_is_refused():
    with pytest.raises(InputError, match="parameters.cart_csf_entry: .* not set by hypothesis 'no-cns-cart'"):
        run_trial(scenario(patients=2, hypotheses=["no-cns-cart"], parameters={"cart_csf_entry": "0.5 1/day"}))
    with pytest.raises(InputError, match="parameters.cart_targets_bcma: .* not set by the regimen's therapies"):
        run_trial(scenario(patients=2, parameters={"cart_targets_bcma": 1.0}))


def test_kept_patients_have_their_full_trajectories(tmp_path):
    out = tmp_path / "kept"
    result = run_trial(scenario(patients=5, chunk_size=2, outputs={"observables": ["bcells_blood", "igg_total"], "patients": 3}), out)
    kept = result.trajectories()
    assert dict(kept.sizes) == {"hypothesis": 1, "arm": 2, "patient": 3, "time": 49}
    assert kept["igg_total"].attrs["units"] == "g/L" and sorted((out / "patients").iterdir())
    in_memory = run_trial(scenario(patients=5, chunk_size=2, outputs={"observables": ["bcells_blood", "igg_total"], "patients": 3}))
    np.testing.assert_array_equal(in_memory.trajectories()["bcells_blood"].values, kept["bcells_blood"].values)
    with pytest.raises(InputError, match="outputs.patients"):
        run_trial(scenario(patients=2)).trajectories()


def test_result_files_have_the_user_s_permissions(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        out = tmp_path / "perm"
        run_trial(scenario(patients=2), out)
    finally:
        os.umask(mask)
    for name in FILES:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name


def test_chunks_are_sized_from_the_memory_their_outputs_need(monkeypatch, one_chunk):
    century = scenario(chunk_size=2000, horizon_days=36_500)
    observables = 43
    size = run_module.chunk_patients(century, observables)
    assert 1 <= size < 2000
    assert size * 2 * 8 * observables * century.times.size <= run_module.CHUNK_MEMORY_BYTES
    assert run_module.chunk_patients(scenario(chunk_size=40), observables) == 40, "short trials keep their chunk size"
    # Memory for 7 patients' outputs at a time: 6 chunks per arm instead of 1, the same patients and results.
    small = scenario(chunk_size=40)
    per_patient = 2 * 8 * len(small.model().observables) * small.times.size
    monkeypatch.setattr(run_module, "CHUNK_MEMORY_BYTES", 7 * per_patient)
    calls = []
    real = run_module._simulate_chunk
    monkeypatch.setattr(run_module, "_simulate_chunk", lambda *a: calls.append(a[1]) or real(*a))
    chunked = run_trial(small)
    assert {c.stop - c.start for c in calls} == {7, 5} and len(calls) == 2 * 6
    pd.testing.assert_frame_equal(chunked.to_dataframe(), one_chunk.to_dataframe())
