"""Sensitivity of an endpoint of the shipped model: a parameter that cannot act has no effect, one that can has;
samples without a value are counted (and filled only when asked); the output folder is complete or absent."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cartsim.cli.main import app
from cartsim.errors import InputError
from cartsim.examples import example_path
from cartsim.sensitivity import default_factors, sensitivity
from cartsim.sensitivity.output import write_sensitivity
from cartsim.trial import load_scenario

SCENARIO = example_path("cart-vs-ocrelizumab-rrms")
#: CRS susceptibility can only act through the CAR-T arm's cytokines; ocrelizumab's clearance cannot act without ocrelizumab.
RANGES = {"crs_susceptibility": (0.2, 5.0), "ocr_clearance": (0.1, 0.3), "cart_engraftment": (0.003, 0.08)}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def crs(scenario):
    return sensitivity(scenario, "crs_max_grade", arm="CD19 CAR-T", method="morris", samples=4, ranges=RANGES)


def test_a_parameter_that_cannot_act_has_no_effect_and_one_that_can_has(crs) -> None:
    ranking = crs.ranking().set_index("factor")
    assert ranking.loc["ocr_clearance", "mu_star"] == 0.0
    assert ranking.loc["crs_susceptibility", "mu_star"] > 0.0
    tornado = crs.tornado.set_index("factor")
    assert tornado.loc["ocr_clearance", "swing"] == 0.0
    assert tornado.loc["crs_susceptibility", "at_high"] >= tornado.loc["crs_susceptibility", "at_low"]  # more susceptible, no milder
    assert crs.evaluations == 4 * 4 + 2 * 3 + 1 and crs.failed == 0 and crs.complete


def test_default_factors_are_the_between_patient_spread(scenario) -> None:
    from cartsim.population import cohort_model

    model = cohort_model(scenario.model(), scenario.cohort(0, 0, 0, 1))
    factors = {f.name: f for f in default_factors(model)}
    weight = model.parameter("body_weight")
    assert factors["body_weight"].low < weight.value < factors["body_weight"].high
    assert factors["body_weight"].high / weight.value == pytest.approx(weight.value / factors["body_weight"].low)  # log-symmetric
    assert all(model.parameter(name).variability is not None for name in factors)


def test_samples_without_a_value_are_counted_and_filled_only_when_asked(scenario) -> None:
    # Engraftment near zero: B cells never fall, so they have no day of return.
    ranges = {"cart_engraftment": (1e-6, 0.08), "ocr_clearance": (0.1, 0.3)}
    bare = sensitivity(scenario, "bcell_recovery_day", method="morris", samples=4, ranges=ranges)
    assert bare.missing > 0 and not bare.complete and bare.indices["value"].isna().all()
    filled = sensitivity(scenario, "bcell_recovery_day", method="morris", samples=4, ranges=ranges, fill=0.0)
    assert filled.complete and np.isfinite(filled.indices["value"]).all()


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"endpoint": "nonsense"}, "endpoint"),
        ({"endpoint": "crs_max_grade", "arm": "placebo"}, "arm"),
        ({"endpoint": "crs_max_grade", "hypothesis": "reset-maybe"}, "hypothesis"),
        ({"endpoint": "crs_max_grade", "ranges": {"not_a_parameter": (1, 2)}}, "ranges.not_a_parameter"),
        ({"endpoint": "crs_max_grade", "ranges": {"crs_susceptibility": (2, 1)}}, "ranges.crs_susceptibility"),
        ({"endpoint": "crs_max_grade", "method": "anova"}, "method"),
        ({"endpoint": "crs_max_grade", "ranges": {"reset_strength": (0.1, 0.9)}}, "ranges"),  # the hypothesis sets it
    ],
)
def test_bad_requests_name_the_field(scenario, settings: dict, field: str) -> None:
    with pytest.raises(InputError) as error:
        sensitivity(scenario, **settings)
    assert error.value.field == field


def test_the_folder_is_complete_or_untouched(crs, tmp_path: Path) -> None:
    folder = write_sensitivity(crs, tmp_path / "sens")
    assert sorted(p.name for p in folder.iterdir()) == ["indices.csv", "indices.png", "sensitivity.json", "tornado.csv", "tornado.png"]
    described = json.loads((folder / "sensitivity.json").read_text())
    assert described["endpoint"] == "crs_max_grade" and "not medical advice" in described["disclaimer"]
    assert described["seed"] == 1 and described["solver"]["rtol"] > 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(InputError):
        write_sensitivity(crs, mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "sens"]  # no temporary folder left


def test_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["sensitivity", str(SCENARIO), "--endpoint", "crs_max_grade", "--range", "crs_susceptibility=2"])
    assert bad.exit_code == 2 and "--range" in bad.output
    args = ["sensitivity", str(SCENARIO), "--endpoint", "crs_max_grade", "--method", "morris", "--samples", "4"]
    args += ["--range", "crs_susceptibility=0.2:5", "--range", "ocr_clearance=0.1:0.3", "--out", str(tmp_path / "out")]
    good = runner.invoke(app, args)
    assert good.exit_code == 0, good.output
    words = " ".join(good.output.split())
    assert "crs_susceptibility" in words.replace(" ", "") and "not medical advice" in words
    assert (tmp_path / "out" / "tornado.png").stat().st_size > 1000
