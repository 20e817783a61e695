"""The plain-language summary: several requests of one endpoint are told apart by their names,
and what an open question changes is said only where the hypotheses clearly differ."""

from __future__ import annotations

import pandas as pd

from cartsim.report.plain_summary import hypothesis_contrast, plain_summary


def _row(hypothesis: str, arm: str, label: str, value: float, low: float, high: float, catalogue: str = "annualized_relapse_rate") -> dict:
    return {
        "hypothesis": hypothesis,
        "arm": arm,
        "endpoint": label,
        "catalogue": catalogue,
        "statistic": "mean",
        "value": value,
        "low": low,
        "high": high,
        "n": 100,
        "censored": 0,
    }


def test_requests_of_one_endpoint_are_named_and_compared_apart():
    rows = pd.DataFrame(
        [
            _row("h", "a", "year_1", 0.1, 0.05, 0.15),
            _row("h", "a", "year_5", 0.4, 0.35, 0.45),
            _row("h", "b", "year_1", 0.12, 0.06, 0.16),
            _row("h", "b", "year_5", 0.1, 0.05, 0.15),
        ]
    )
    text = " ".join(plain_summary(rows, {"a": None, "b": None}))
    assert "year 1: On average" in text and "year 5: On average" in text
    assert "On relapses per year (year 1), the arms do not clearly differ. Their 95% intervals overlap" in text
    assert "On relapses per year (year 5), the arms differ in this model" in text


def test_the_contrast_names_what_depends_on_the_hypothesis_and_what_does_not():
    rows = pd.DataFrame(
        [
            _row("none", "car", "arr", 0.4, 0.35, 0.45),
            _row("full", "car", "arr", 0.1, 0.05, 0.15),
            _row("none", "car", "crs", 1.0, 0.9, 1.1, "crs_max_grade"),
            _row("full", "car", "crs", 1.02, 0.92, 1.12, "crs_max_grade"),
            _row("none", "ab", "arr", 0.1600, 0.1600, 0.1600),  # apart but negligibly: alike
            _row("full", "ab", "arr", 0.1620, 0.1620, 0.1620),
        ]
    )
    car_depends, car_alike, ab_alike = hypothesis_contrast(rows)
    # Endpoints are named in words (the request's own label in brackets), not by their identifiers.
    assert car_depends.startswith("With car, the open question decides: relapses per year (arr): under full, 0.1 (mean")
    assert car_depends.endswith("Under none, 0.4 (mean; 95% interval 0.35 to 0.45).")
    assert car_alike.endswith("on: cytokine release syndrome (CRS) (crs).") and ab_alike.endswith("on: relapses per year (arr).")
    assert hypothesis_contrast(rows[rows["hypothesis"] == "none"]) == []
