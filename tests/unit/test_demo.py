"""The README's main job: `cartsim demo` writes a trial result folder with its report."""

from __future__ import annotations

import tomllib
from pathlib import Path

from typer.testing import CliRunner

from cartsim.cli.main import app
from cartsim.report.demo import DEMO_SCENARIO

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cart-vs-ocrelizumab-rrms.toml"


def test_demo_scenario_is_the_shipped_rrms_example_with_fewer_patients():
    demo, example = tomllib.loads(DEMO_SCENARIO.read_text()), tomllib.loads(EXAMPLE.read_text())
    assert demo.pop("patients") == 500
    example.pop("patients")
    assert demo == example


def test_demo_writes_the_report_and_replaces_an_earlier_demo(tmp_path):
    out = tmp_path / "demo"
    for _ in range(2):
        result = runner.invoke(app, ["demo", "--out", str(out), "--patients", "6"])
        assert result.exit_code == 0, result.output
        assert (out / "report.html").is_file() and (out / "figures" / "bcells_blood.png").is_file()
    text = " ".join(result.output.split())
    assert "CD19 CAR-T" in text and "ocrelizumab" in text and "not medical advice" in text


def test_demo_does_not_replace_a_folder_that_is_not_a_result(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["demo", "--out", str(out), "--patients", "6"])
    assert result.exit_code == 2
    assert (out / "notes.txt").read_text() == "keep me"
