"""The command line: `validate` (with a fake evaluator) and `cite` (with a small model)."""

from __future__ import annotations

import json
import sys
import types

import numpy as np
import pytest
from typer.testing import CliRunner

import cartsim
from cartsim.cli.main import app
from cartsim.endpoints import EndpointValues
from cartsim.validation import load_calibration

runner = CliRunner()

TARGETS = """
schema = "cartsim-targets/1"

[[target]]
id = "tiny"
source = "Hauser SL et al. N Engl J Med 2017"
population = "rrms"
patients = 2000
regimen = [ { therapy = "placebo", day = 0 } ]
horizon_days = 672
endpoint = "annualized_relapse_rate"
endpoint_options = { from_day = 0, to_day = 672 }
statistic = "mean"
observed = 0.3
accept = [0.2, 0.4]
"""


@pytest.fixture
def targets_file(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text(TARGETS)
    return path


@pytest.fixture
def fake_evaluator(monkeypatch):
    """Stands in for cartsim.validation.evaluate; records the targets it is given."""
    seen = []

    def evaluate(target, model, **how):
        seen.append(target)
        return EndpointValues(np.full(target.patients, 0.3), np.zeros(target.patients, dtype=bool))

    module = types.ModuleType("cartsim.validation.evaluate")
    module.evaluate = evaluate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cartsim.validation.evaluate", module)
    return seen


def test_validate_help():
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output and "--patients" in result.output


def test_validate_bad_file_says_why(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(TARGETS.replace('population = "rrms"', 'population = "lupus"'))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "target 'tiny'.population: got 'lupus'; allowed: one of healthy" in result.output
    missing = runner.invoke(app, ["validate", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "readable targets file" in missing.output


def test_validate_runs_writes_json_and_overrides_patients(targets_file, tmp_path, fake_evaluator):
    out = tmp_path / "card.json"
    result = runner.invoke(app, ["validate", str(targets_file), "--json", str(out), "--patients", "20"])
    assert result.exit_code == 0, result.output
    assert [t.patients for t in fake_evaluator] == [20]
    card = json.loads(out.read_text())
    assert card["passed"] == 1 and card["total"] == 1 and card["targets"][0]["simulated"] == pytest.approx(0.3)
    assert cartsim.DISCLAIMER in " ".join(result.output.split())  # rich wraps long lines


def test_validate_without_file_uses_the_calibration_set(fake_evaluator):
    result = runner.invoke(app, ["validate", "--patients", "5"])
    assert result.exit_code == 0, result.output
    assert len(fake_evaluator) == len(load_calibration()) and "mackensen2022-bcell-return" in result.output


def test_cite_a_scenario_lists_exactly_the_references_its_runs_use(tmp_path):
    path = tmp_path / "spms.toml"
    path.write_text("""
population = "spms"
patients = 10
horizon_days = 365
hypotheses = ["cns-cart-entry"]
[model]
modules = ["physiology", "lymphodepletion", "cart_kinetics", "bcell_lineage", "plasma_cells", "cytokines", "ms_activity", "infections"]
[parameters]
infection_rate_baseline = { value = "0.03 1/year", source = "assumption: higher in older patients (Hauser2021)" }
[[arm]]
name = "CAR-T"
regimen = [ { therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "1e6 cells/kg" } ]
""")
    result = runner.invoke(app, ["cite", str(path)])
    assert result.exit_code == 0, result.output
    for key in ("[Kappos2018]", "[Fischbach2024]", "[Hauser2021]", "[Stein2019]"):
        assert key in result.output, key  # population, hypothesis, parameter change, model
    assert "[Gibiansky2021]" not in result.output  # ocrelizumab's module is not in this model
    assert "used for: hypothesis cns-cart-entry" in " ".join(result.output.split())


def test_cite_a_targets_file_adds_the_publications_it_reproduces(targets_file):
    result = runner.invoke(app, ["cite", str(targets_file)])
    assert result.exit_code == 0, result.output
    assert "[tiny] Hauser SL" in result.output and "[Hauser2017]" in result.output
    assert "documented assumptions" in result.output


def test_cite_bad_file(tmp_path):
    bad = tmp_path / "scenario.toml"
    bad.write_text('schema = "something-else"\n')
    result = runner.invoke(app, ["cite", str(bad)])
    assert result.exit_code == 2 and "schema: got 'something-else'" in result.output
