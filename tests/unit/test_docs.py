"""Generated documentation stays in step with the code that generates it."""

from pathlib import Path

import cartsim
from cartsim.model.latex import model_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_equations_page_is_current():
    assert (DOCS / "equations.md").read_text() == model_markdown(cartsim.full_model()), "docs/equations.md is stale: run `make docs`"


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
