"""Every shipped example scenario (cartsim.examples) loads and runs (a handful of virtual patients each)."""

from __future__ import annotations

import pytest

from cartsim.examples import example_names, example_path
from cartsim.trial import load_scenario, run_trial

EXAMPLES = [example_path(name) for name in example_names()]


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
