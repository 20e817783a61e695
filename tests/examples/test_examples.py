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


@pytest.mark.parametrize("name", ["cart-vs-ocrelizumab-rrms", "cart-vs-ocrelizumab-ppms", "how-long-does-the-reset-last"])
def test_ms_comparisons_report_every_endpoint_under_each_reset_hypothesis(name):
    scenario = load_scenario(example_path(name), patients=4)
    assert scenario.hypothesis_names == ("reset-none", "reset-partial", "reset-full")
    summary = run_trial(scenario).summary()
    labels = {r.label for r in scenario.endpoints}
    for hypothesis in scenario.hypothesis_names:
        assert {str(e) for e in summary.loc[summary["hypothesis"] == hypothesis, "endpoint"]} == labels, hypothesis
    if name != "how-long-does-the-reset-last":  # the disease's own endpoints, not only relapses
        expected = {"cdp24", "edss_change"} | ({"annualized_relapse_rate", "gd_lesions"} if "rrms" in name else {"pira", "ocb_present"})
        assert expected <= labels
