"""Generated documentation stays in step with the code that generates it."""

from pathlib import Path

import cartsim
from cartsim.model.latex import model_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_equations_page_is_current():
    assert (DOCS / "equations.md").read_text() == model_markdown(cartsim.full_model()), "docs/equations.md is stale: run `make docs`"
