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
from cartsim.validation import calibration_path, load_targets
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity, State, compose

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
    assert len(fake_evaluator) == len(load_targets(calibration_path())) and "mackensen2022-bcell-return" in result.output


SMALL = Module(
    "decay", "first-order loss", states=(State("x", "mg", "x0"),),
    parameters=(Quantity("k", "1/day"), Quantity("x0", "mg")), rates={"x": "-k*x"},
    observables=(Expression("x_obs", "x", "mg"),), references=("Macallan2005",),
)
SMALL_VALUES = ParameterSet("test", (
    Parameter("k", 0.1, "1/day", "Stein2019"),
    Parameter("x0", 5.0, "mg", "assumption: ten cells per uL by two weeks (Saldivar2023)"),
    Parameter("unused", 1.0, "mg", "Gibiansky2021"),
))


@pytest.fixture
def small_model(monkeypatch):
    model = compose([SMALL], SMALL_VALUES, name="small")
    monkeypatch.setattr(cartsim, "full_model", lambda: model)
    return model


def test_cite_lists_exactly_the_references_used(small_model, targets_file):
    result = runner.invoke(app, ["cite", str(targets_file)])
    assert result.exit_code == 0, result.output
    for key in ("[Macallan2005]", "[Saldivar2023]", "[Stein2019]", "[tiny] Hauser SL"):
        assert key in result.output
    assert "Gibiansky2021" not in result.output  # a parameter the model does not use
    assert "1 of 2 parameter values are documented assumptions" in result.output


def test_cite_bad_file(small_model, tmp_path):
    bad = tmp_path / "scenario.toml"
    bad.write_text('schema = "something-else"\n')
    result = runner.invoke(app, ["cite", str(bad)])
    assert result.exit_code == 2 and "schema: got 'something-else'" in result.output
