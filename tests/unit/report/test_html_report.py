"""The trial HTML report, written from a real (small) typed trial result: self-contained,
accessible, complete (scenario file, hypotheses, sources), and honest about what is unknown
(medians not reached, hazard ratios only where hazards are proportional, p-values floored)."""

from __future__ import annotations

import html
import re

import pytest

import cartsim
from cartsim.engine import DISCLAIMER
from cartsim.report.common import number_text, p_value_text
from cartsim.report.html_report import write_html_report
from cartsim.report.trial_report import trial_figures
from cartsim.trial import parse_scenario, run_trial
from tests.conftest import ERLANGEN_REGIMEN

CART, OCR = "CD19 CAR-T", "ocrelizumab"
TABLE = {
    "population": "rrms",
    "patients": 8,
    "horizon_days": 200,
    "seed": 7,
    "replicates": 20,
    "arm": [
        {
            "name": CART,
            "regimen": ERLANGEN_REGIMEN,
        },
        {
            "name": OCR,
            "regimen": [
                {"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"},
                {"therapy": "ocrelizumab", "day": 14, "dose": "300 mg"},
                {"therapy": "ocrelizumab", "day": 168, "dose": "600 mg"},
            ],
        },
    ],
}


def _page(tmp_path_factory: pytest.TempPathFactory, **extra: object) -> str:
    result = run_trial(parse_scenario({**TABLE, **extra}))
    figures = trial_figures(result)
    path = write_html_report(result, tmp_path_factory.mktemp("report") / "sub" / "report.html", cartsim.full_model(), figures)
    assert path.is_file()
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _page(tmp_path_factory)


def test_self_contained(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<script" not in page.lower()
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', page)
    assert len(sources) >= 5 and all(s.startswith("data:image/png;base64,") for s in sources)


def test_accessible(page: str) -> None:
    images = re.findall(r"<img[^>]*>", page)
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in images)
    assert '<th scope="col">' in page and '<html lang="en">' in page


def test_content(page: str) -> None:
    assert page.count(DISCLAIMER) >= 2
    for name in (CART, OCR, "bcell_depletion_day", "bcell_recovery_day", "crs_max_grade"):
        assert name in page
    assert "How does CD19 CAR-T compare with ocrelizumab in virtual patients with relapsing-remitting multiple sclerosis?" in page
    assert cartsim.full_model().hash in page and "flu-cy from day -5" in page


def test_the_scenario_file_section_shows_what_ran(page: str) -> None:
    assert "Scenario file (TOML)" in page
    assert "population = &quot;rrms&quot;" in page and "patients = 8" in page


def test_plain_language_and_not_reached(page: str) -> None:
    text = re.sub(r"\s+", " ", page)
    assert "stayed low while the repeated ocrelizumab doses continued" in text
    assert "not reached" in text  # B cells do not come back under ocrelizumab within 200 days
    assert "No hypotheses were named" in text


def test_the_three_kinds_of_uncertainty_are_named_apart(page: str) -> None:
    from cartsim.report.common import PARAMETER_UNCERTAINTY, PATIENT_SPREAD, SAMPLING_ERROR

    text = html.unescape(re.sub(r"\s+", " ", page))
    for said in (PATIENT_SPREAD, SAMPLING_ERROR, PARAMETER_UNCERTAINTY):
        assert said in text
    assert "not the spread between patients" in text and "They do not show how much people differ" in text


def test_sources_are_those_of_the_run(page: str) -> None:
    assert "[Hauser2017]" in page and "[Stein2019]" in page and "used for:" in page
    assert "[Kappos2018]" not in page  # SPMS values: not used by an RRMS run


def test_hypotheses_are_shown_side_by_side(tmp_path_factory: pytest.TempPathFactory) -> None:
    text = re.sub(r"\s+", " ", _page(tmp_path_factory, hypotheses=["reset-none", "reset-full", "cns-cart-entry"]))
    assert "These results depend on open scientific questions" in text
    assert all(f"Under hypothesis {h}" in text for h in ("reset-none", "reset-full", "cns-cart-entry"))
    assert "(hypothesis reset-full)" in text  # figures that differ say which hypothesis they show
    assert "(the same under every hypothesis)" in text  # and those that do not are drawn once
    assert "What the open questions change" in text
    assert "[Fischbach2024]" in text


def test_numbers_as_printed() -> None:
    assert p_value_text(3e-7) == "< 0.0001" and p_value_text(0.0123) == "0.012" and p_value_text(float("nan")) == "n/a"
    assert number_text(float("inf")) == "not reached" and number_text(1095.0) == "1095" and number_text(0.1234) == "0.123"
