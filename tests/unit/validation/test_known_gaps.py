"""The known gaps: published observations the model misses, scored like calibration targets.

The last test is a ratchet: a gap that a model change closes must move to the calibration set
(its accept range then guards it), and one that stops being simulated must be mended.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cartsim.cli.main import app
from cartsim.validation import gaps_path, load_calibration, load_gaps


def test_gaps_are_apart_from_the_calibration_set():
    gaps = load_gaps()
    assert len(gaps) >= 6
    assert not {t.id for t in gaps} & {t.id for t in load_calibration()}
    assert all(t.source for t in gaps)


def test_a_targets_file_and_known_gaps_together_are_refused():
    result = CliRunner().invoke(app, ["validate", str(gaps_path()), "--known-gaps"])
    assert result.exit_code == 2
    assert "FILE" in result.output and "--known-gaps" in result.output and "one or the other" in result.output


def test_every_gap_is_simulated_and_still_a_gap(tmp_path):
    out = tmp_path / "gaps.json"
    result = CliRunner().invoke(app, ["validate", "--known-gaps", "--json", str(out)])
    assert result.exit_code == 0, result.output[-2000:]
    rows = json.loads(out.read_text())["targets"]
    assert [r["id"] for r in rows] == [t.id for t in load_gaps()]
    closed = [r["id"] for r in rows if r["passed"]]
    assert not closed, f"now inside their accept range: move {closed} from gaps.toml to calibration-cartsim.toml"
    assert all(r["simulated"] is not None for r in rows)
