"""An output folder inside a folder the user may not write to is refused before anything runs.

Root may write anywhere, so when the tests run as root the command drops to the unprivileged
user ``nobody`` (uid 65534) before it starts, as a person without rights to that folder would
run it. It imports cartsim first: the interpreter itself may live where nobody may read.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.reliability.cases import scenario

NOBODY = 65534
#: The command line, after dropping to ``nobody`` when run as root.
_AS_USER = """
import os, sys
import rich.console, cartsim, cartsim.cli.main, cartsim.report.demo, cartsim.trial
if os.geteuid() == 0:
    os.setgroups([]); os.setgid(NOBODY); os.setuid(NOBODY)
sys.argv = ["cartsim", *sys.argv[1:]]
cartsim.cli.main.app()
""".replace("NOBODY", str(NOBODY))


@pytest.fixture
def locked() -> Path:
    """A world-readable folder holding a scenario and a read-only sub-folder ``locked``."""
    with tempfile.TemporaryDirectory(prefix="cartsim-unwritable-") as name:
        root = Path(name)
        root.chmod(0o755)
        (root / "s.toml").write_text(scenario(), encoding="utf-8")
        (root / "s.toml").chmod(0o644)
        (root / "locked").mkdir(mode=0o555)
        (root / "locked").chmod(0o555)
        yield root


@pytest.mark.parametrize("command", [["run", "s.toml", "--out", "locked/out"], ["demo", "--out", "locked/demo"]])
def test_an_unwritable_parent_is_refused_naming_it(locked, command):
    done = subprocess.run(
        [sys.executable, "-c", _AS_USER, *command],
        cwd=locked,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, output[-600:]
    assert "--out" in output and "locked" in output and "not writable" in output, output[-600:]
    assert "Traceback" not in output
    assert sorted(p.name for p in locked.iterdir()) == ["locked", "s.toml"]  # nothing written
    assert not any((locked / "locked").iterdir())
