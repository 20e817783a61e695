"""Every shipped scenario in examples/ loads and runs (a handful of virtual patients each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartsim.trial import load_scenario, run_trial

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


def test_there_are_shipped_scenarios():
    assert len(EXAMPLES) >= 9


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_scenario_runs(path):
    scenario = load_scenario(path, patients=4)
    result = run_trial(scenario)
    assert result.provenance["failed_solves"] == 0
    arms = {arm.name for arm in scenario.arms}
    assert set(result.summary()["arm"]) == arms
    assert set(result.endpoints["arm"]) == arms
