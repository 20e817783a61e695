"""Generated documentation stays in step with the code that generates it."""

from pathlib import Path

import cartsim
from cartsim.model.latex import model_markdown
from cartsim.parameters.hypotheses import HYPOTHESES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_equations_page_is_current():
    expected = model_markdown(cartsim.full_model(), tuple(HYPOTHESES.values()))
    assert (DOCS / "equations.md").read_text() == expected, "docs/equations.md is stale: run `make docs`"
    assert "| `reset-partial` |" in expected and "(hypotheses: `reset-none` 0, `reset-partial` 0.9, `reset-full` 1)" in expected


def test_the_api_reference_builds_without_warnings(tmp_path):
    import subprocess
    import sys

    root = DOCS.parent
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "site" / "api" / "population" / "index.html").read_text()
    assert "simulate_cohort" in page and "Cohort" in page
