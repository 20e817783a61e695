"""The trial commands: `cartsim run` writes a complete result folder with figures and the
HTML report; `cartsim models` lists the modules; `cartsim export-sbml` writes one arm."""

from __future__ import annotations

from pathlib import Path

import libsbml
from typer.testing import CliRunner

from cartsim.cli.main import app
from cartsim.trial import load_result

runner = CliRunner()
SCENARIO = """
population = "rrms"
patients = 12
horizon_days = 60
seed = 3

[[arm]]
name = "CAR-T"
regimen = [
  { therapy = "flu-cy", day = -5, fludarabine_mg_per_m2 = 25, fludarabine_days = 3, cyclophosphamide_mg_per_m2 = 1000, cyclophosphamide_days = 1 },
  { therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "1e6 cells/kg" },
]

[[arm]]
name = "ocrelizumab"
regimen = [ { therapy = "ocrelizumab", day = 0, dose = "600 mg" } ]
"""


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO)
    return path


def test_run_writes_data_figures_and_report(tmp_path):
    out = tmp_path / "result"
    result = runner.invoke(app, ["run", str(_scenario(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "not medical advice" in " ".join(result.output.split())
    assert "not the spread between patients" in " ".join(result.output.split())  # the intervals are named for what they are
    for name in ("endpoints.parquet", "summary.csv", "comparisons.csv", "trajectories.nc", "provenance.json", "report.html"):
        assert (out / name).is_file(), name
    assert (out / "figures" / "bcells_blood.png").is_file()
    html = (out / "report.html").read_text()
    assert "CAR-T" in html and "ocrelizumab" in html and "not medical advice" in html and "data:image/png;base64" in html
    assert "Log-rank p" in html
    assert not (tmp_path / "result.partial").exists()
    loaded = load_result(out)
    assert set(loaded.endpoints["arm"]) == {"CAR-T", "ocrelizumab"}
    # B cells return after CAR-T within 60 days for nobody and never under ocrelizumab: with
    # no events in either arm the comparison is undefined and says why instead of failing.
    recovery = loaded.comparisons().set_index("endpoint").loc["bcell_recovery_day"]
    assert recovery["arm"] == "ocrelizumab" and recovery["reference"] == "CAR-T"
    assert recovery["hazard_ratio"] != recovery["hazard_ratio"] and recovery["reason"]


def test_run_refuses_a_bad_scenario_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SCENARIO.replace('"600 mg"', '"-600 mg"'))
    out = tmp_path / "result"
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "dose" in result.output
    assert not out.exists() and not (tmp_path / "result.partial").exists()


def test_models_lists_every_module():
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    for module in ("physiology", "cart_kinetics", "bcell_lineage", "ocrelizumab_pkpd", "ms_activity"):
        assert f"- {module}:" in result.output


def test_export_sbml_shifts_pre_day0_doses_and_validates(tmp_path):
    out = tmp_path / "model.xml"
    result = runner.invoke(app, ["export-sbml", "--out", str(out), "--scenario", str(_scenario(tmp_path)), "--arm", "CAR-T"])
    assert result.exit_code == 0, result.output
    assert "shifted by 5 days" in result.output
    document = libsbml.readSBMLFromString(out.read_text())
    assert document.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    assert document.getModel().getNumEvents() == 4  # three fludarabine days (the first with cyclophosphamide), CAR-T


def test_export_sbml_unknown_arm(tmp_path):
    result = runner.invoke(app, ["export-sbml", "--out", str(tmp_path / "m.xml"), "--scenario", str(_scenario(tmp_path)), "--arm", "nope"])
    assert result.exit_code != 0
    assert "CAR-T" in result.output


def test_comparison_with_an_arm_that_never_has_the_endpoint(tmp_path):
    # BCMA-directed mRNA CAR-T never depletes B cells: "recovery" has no value in that arm.
    import tomllib

    from cartsim.trial import parse_scenario, run_trial

    table = tomllib.loads(SCENARIO)
    table["arm"][1] = {"name": "mRNA", "regimen": [{"therapy": "mrna-bcma-cart", "day": 0, "dose": "52.5e6 cells/kg"}]}
    rows = run_trial(parse_scenario(table)).comparisons().set_index("endpoint")
    assert rows.loc["bcell_recovery_day", "reason"].startswith("not comparable")


def test_ctrl_c_prints_one_line_that_says_how_to_resume(tmp_path, monkeypatch):
    import cartsim.trial.run as run_module

    real = run_module._simulate_chunk
    calls = []

    def interrupted(*args):
        if calls:
            # numba reports Ctrl-C inside compiled code as a SystemError whose context is the KeyboardInterrupt
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise SystemError("CPUDispatcher(solve_batch) returned a result with an exception set")  # noqa: B904
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(run_module, "_simulate_chunk", interrupted)
    out = tmp_path / "result"
    result = runner.invoke(app, ["run", str(_scenario(tmp_path)), "--out", str(out)])
    assert result.exit_code == 130
    lines = [line for line in result.output.splitlines() if line.startswith("cartsim run:")]
    assert len(lines) == 1 and "1 of 2 chunks are saved in result.partial" in lines[0] and "--resume" in lines[0]
    assert "Traceback" not in result.output
    monkeypatch.setattr(run_module, "_simulate_chunk", real)
    resumed = runner.invoke(app, ["run", str(_scenario(tmp_path)), "--out", str(out), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert (out / "report.html").is_file()


def test_help_points_to_formats_the_package_has():
    for command in ("validate", "run", "cite"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "TARGETS.md" not in result.output
    assert runner.invoke(app, ["formats", "targets"]).output.startswith("# Targets files")
    assert "[outputs]" in runner.invoke(app, ["formats", "scenario"]).output
    assert runner.invoke(app, ["formats", "nonsense"]).exit_code == 2


def test_examples_are_listed_copied_and_never_overwritten(tmp_path):
    listed = runner.invoke(app, ["examples"])
    assert listed.exit_code == 0 and "cart-vs-ocrelizumab-rrms" in listed.output
    copied = runner.invoke(app, ["examples", "--copy", str(tmp_path / "mine")])
    assert copied.exit_code == 0 and (tmp_path / "mine" / "cd28-vs-41bb.toml").is_file()
    (tmp_path / "mine" / "cd28-vs-41bb.toml").write_text("# my edits\n")
    again = runner.invoke(app, ["examples", "--copy", str(tmp_path / "mine")])
    assert again.exit_code == 2 and (tmp_path / "mine" / "cd28-vs-41bb.toml").read_text() == "# my edits\n"
    path = runner.invoke(app, ["examples", "--path", "cd28-vs-41bb"]).output.strip()
    assert path.endswith("cd28-vs-41bb.toml")


def test_output_paths_are_checked_before_anything_runs(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = runner.invoke(app, ["run", str(_scenario(tmp_path)), "--out", str(afile / "sub")])
    assert result.exit_code == 2 and "is a file" in result.output and "Traceback" not in result.output
    folder = tmp_path / "adir"
    folder.mkdir()
    for args in (["export-sbml", "--out", str(folder)], ["equations", "--out", str(folder)]):
        outcome = runner.invoke(app, args)
        assert outcome.exit_code == 2 and "this is a folder" in outcome.output, args


def test_failed_solves_are_said_and_change_the_exit_status(tmp_path):
    path = tmp_path / "starved.toml"
    path.write_text(SCENARIO.replace("seed = 3\n", "seed = 3\n[solver]\nmax_steps = 20\n"))
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    text = " ".join(result.output.split())
    assert "virtual patients' solves failed" in text
    assert "solves failed" in (tmp_path / "out" / "report.html").read_text()
    tolerated = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "again"), "--max-failures", "1000"])
    assert tolerated.exit_code == 0, tolerated.output
