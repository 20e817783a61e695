"""The README's main job: `cartsim demo` writes a trial result folder with its report."""

from __future__ import annotations

from typer.testing import CliRunner

from cartsim.cli.main import app
from cartsim.examples import example_path
from cartsim.report.demo import DEMO_EXAMPLE, DEMO_PATIENTS
from cartsim.trial import load_result

runner = CliRunner()


def test_demo_writes_the_report_and_replaces_an_earlier_demo(tmp_path):
    out = tmp_path / "demo"
    for _ in range(2):
        result = runner.invoke(app, ["demo", "--out", str(out), "--patients", "6"])
        assert result.exit_code == 0, result.output
        assert (out / "report.html").is_file() and (out / "figures" / "bcells_blood.png").is_file()
    # A file the user added to the result folder is never deleted: the demo refuses and names it.
    (out / "notes.txt").write_text("mine")
    (out / "figures" / "my-plot.svg").write_text("mine")
    refused = runner.invoke(app, ["demo", "--out", str(out), "--patients", "6"])
    assert refused.exit_code == 2 and "notes.txt" in refused.output and "my-plot.svg" in " ".join(refused.output.split())
    assert (out / "notes.txt").read_text() == "mine" and (out / "report.html").is_file()
    (out / "notes.txt").unlink()
    (out / "figures" / "my-plot.svg").unlink()
    text = " ".join(result.output.split())
    assert "CD19 CAR-T" in text and "ocrelizumab" in text and "not medical advice" in text
    ran = load_result(out).scenario.raw
    assert ran["patients"] == 6 and DEMO_EXAMPLE in str(example_path(DEMO_EXAMPLE)) and DEMO_PATIENTS == 500


def test_demo_uses_an_empty_folder(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    result = runner.invoke(app, ["demo", "--out", str(out), "--patients", "4"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and not (tmp_path / "empty.partial").exists()


def test_demo_does_not_replace_a_folder_that_is_not_a_result(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["demo", "--out", str(out), "--patients", "6"])
    assert result.exit_code == 2
    assert (out / "notes.txt").read_text() == "keep me"
