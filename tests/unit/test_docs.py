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


def test_the_data_page_example_prints_what_it_shows(tmp_path, monkeypatch):
    import contextlib
    import io
    import re

    text = (DOCS / "data.md").read_text()
    csv, shown = re.findall(r"```text\n(.*?)```", text, re.S)
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    (tmp_path / "data.csv").write_text(csv)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "docs/data.md", "exec"), {"__name__": "docs"})
    assert printed.getvalue().strip() == shown.strip()
