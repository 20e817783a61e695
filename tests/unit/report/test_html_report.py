"""The trial HTML report, written from a small fake trial result (the runner is duck-typed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from cartsim.engine import DISCLAIMER
from cartsim.report.html_report import write_html_report

CART, OCR = "CD19 CAR-T", "ocrelizumab"
ENDPOINTS = ("bcell_depletion_day", "bcell_recovery_day", "crs_max_grade", "annualized_relapse_rate")


@dataclass
class Arm:
    name: str
    entries: list[dict[str, Any]]

    @property
    def treatment(self) -> Any:
        from cartsim.protocol import parse_regimen

        return parse_regimen(self.entries)


@dataclass
class Fake:
    scenario: Any
    summary: pd.DataFrame
    bands: xr.Dataset
    provenance: dict[str, Any]
    crs_grades: pd.DataFrame | None = None
    km: dict[str, Any] | None = field(default=None)


def _bands() -> xr.Dataset:
    t = np.arange(0.0, 1096.0, 5.0)
    q = np.array([0.05, 0.5, 0.95])
    spread = np.array([0.5, 1.0, 2.0])[None, :]
    b_cart = 200.0 * (1 - np.exp(-np.maximum(t - 150.0, 0.0) / 60.0)) + 1e-3
    b_ocr = np.full_like(t, 0.5)
    cart = np.stack([10 * np.exp(-((t - 10) / 8) ** 2) + 0.01, np.zeros_like(t)])
    ocr = np.stack([np.zeros_like(t), 100 * np.exp(-(t % 168) / 26)])
    igg = np.stack([10 - 2 * np.exp(-t / 200), 10 - t / 500])

    def var(both: np.ndarray, units: str) -> xr.DataArray:
        return xr.DataArray(both[:, :, None] * spread[None], dims=("arm", "time", "quantile"), attrs={"units": units})

    return xr.Dataset({"bcells_blood": var(np.stack([b_cart, b_ocr]), "cells/uL"), "cart_blood": var(cart, "cells/uL"),
                       "ocrelizumab_concentration": var(ocr, "ug/mL"), "igg_total": var(igg, "g/L")},
                      coords={"arm": [CART, OCR], "time": t, "quantile": q})


def _summary() -> pd.DataFrame:
    rows = [(CART, "bcell_depletion_day", "median", 2, 2, 3, 200, 0), (OCR, "bcell_depletion_day", "median", 2, 1, 2, 200, 0),
            (CART, "bcell_recovery_day", "median", 150, 140, 161, 200, 4), (OCR, "bcell_recovery_day", "median", np.nan, np.nan, np.nan, 200, 190),
            (CART, "crs_max_grade", "fraction_ge:2", 0.15, 0.1, 0.2, 200, 0), (OCR, "crs_max_grade", "fraction_ge:2", 0.0, 0.0, 0.0, 200, 0),
            (CART, "annualized_relapse_rate", "mean", 0.26, 0.2, 0.33, 200, 0), (OCR, "annualized_relapse_rate", "mean", 0.16, 0.1, 0.21, 200, 0)]
    return pd.DataFrame(rows, columns=["arm", "endpoint", "statistic", "value", "lower", "upper", "n", "censored"])


def _fake(with_optional: bool = True) -> Fake:
    arms = [Arm(CART, [{"therapy": "flu-cy", "day": -5, "fludarabine_mg_per_m2": 25, "fludarabine_days": 3,
                        "cyclophosphamide_mg_per_m2": 1000, "cyclophosphamide_days": 1},
                       {"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"}]),
            Arm(OCR, [{"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"}, {"therapy": "ocrelizumab", "day": 14, "dose": "300 mg"},
                      {"therapy": "ocrelizumab", "day": 168, "dose": "600 mg", "every_days": 168, "count": 6}])]
    scenario = SimpleNamespace(population="rrms", patients=200, horizon_days=1095, seed=7, arms=arms,
                               text='population = "rrms"\npatients = 200\n[[arm]]\nname = "CD19 CAR-T"\n')
    fake = Fake(scenario, _summary(), _bands(), {"model": "full", "hash": "abc123", "seed": 7, "parameter_sets": ["Default"]})
    if with_optional:
        fake.crs_grades = pd.DataFrame([[0.4, 0.45, 0.12, 0.03, 0.0], [1.0, 0, 0, 0, 0]], index=[CART, OCR], columns=[0, 1, 2, 3, 4])
        t = np.arange(0.0, 1096.0, 30.0)
        curve = lambda s: SimpleNamespace(timeline=t, survival=s, lower=np.clip(s - 0.05, 0, 1), upper=np.clip(s + 0.05, 0, 1))  # noqa: E731
        fake.km = {"first_relapse": {CART: curve(np.exp(-t / 1400)), OCR: curve(np.exp(-t / 2200))}}
    return fake


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html_report(_fake(), tmp_path_factory.mktemp("report") / "sub" / "report.html")
    assert path.is_file()
    return path.read_text(encoding="utf-8")


def test_self_contained(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<script" not in page.lower()
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', page)
    assert len(sources) == 4 + 1 + 1  # four observables, CRS grades, one Kaplan-Meier endpoint
    assert all(s.startswith("data:image/png;base64,") for s in sources)


def test_accessible(page: str) -> None:
    images = re.findall(r"<img[^>]*>", page)
    assert all(re.search(r'alt="[^"]{20,}"', img) for img in images)
    assert '<th scope="col">' in page and '<html lang="en">' in page


def test_content(page: str) -> None:
    assert page.count(DISCLAIMER) >= 2  # at the top and repeated in the plain-language summary/footer
    for name in (CART, OCR, *ENDPOINTS):
        assert name in page
    assert "In plain language" in page
    assert "How does CD19 CAR-T compare with ocrelizumab in virtual patients with relapsing-remitting multiple sclerosis?" in page
    assert "abc123" in page and "flu-cy from day -5" in page and "patients = 200" in page


def test_plain_language_reads_the_numbers(page: str) -> None:
    text = re.sub(r"\s+", " ", page)
    assert "B cells came back after about 150 days (median; 95% interval 140 to 161 days)" in text
    assert "stayed low while the repeated ocrelizumab doses continued" in text
    assert "grade 2 or higher" in text
    assert "relapses per year, the 95% intervals of the arms overlap" in text  # 0.2-0.33 vs 0.1-0.21


def test_optional_parts_missing(tmp_path: Path) -> None:
    fake = _fake(with_optional=False)
    del fake.scenario.text, fake.scenario.seed
    path = write_html_report(fake, tmp_path / "r.html")
    page = path.read_text(encoding="utf-8")
    assert "Kaplan-Meier" not in page and DISCLAIMER in page
    bare = SimpleNamespace(summary=None, bands=None)  # nothing but the object itself
    assert DISCLAIMER in write_html_report(bare, tmp_path / "bare.html").read_text(encoding="utf-8")


def test_parameter_sources_from_model(tmp_path: Path) -> None:
    from cartsim import first_model
    from cartsim.parameters.citations import cited_references

    model = first_model()
    page = write_html_report(_fake(with_optional=False), tmp_path / "r.html", model=model).read_text(encoding="utf-8")
    assert model.hash in page
    assert all(ref.key in page for ref in cited_references(model))
