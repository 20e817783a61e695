"""The scorecard with a fake evaluator: JSON shape, order independence, ratio_to, failures."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from cartsim import DISCLAIMER
from cartsim.endpoints import EndpointValues
from cartsim.validation import parse_targets, print_scorecard, run_scorecard, write_json

ARR = {"endpoint": "annualized_relapse_rate", "endpoint_options": {"from_day": 0, "to_day": 672}, "horizon_days": 672}


def target(tid: str, therapy: str, statistic: str, observed: float, accept: list[float], **more) -> dict:
    regimen = [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}] if therapy == "ocrelizumab" else [{"therapy": therapy, "day": 0}]
    return {
        "id": tid,
        "source": "test",
        "population": "rrms",
        "regimen": regimen,
        "statistic": statistic,
        "observed": observed,
        "accept": accept,
        "patients": 200,
        **ARR,
        **more,
    }


TARGETS = [
    target("arr-ocr", "ocrelizumab", "mean", 0.16, [0.12, 0.2]),
    target("arr-ratio", "ocrelizumab", "ratio_to:arr-ifn", 0.54, [0.4, 0.7]),
    target("arr-ifn", "interferon-beta-1a", "mean", 0.29, [0.23, 0.35]),
    target("arr-placebo", "placebo", "quantile:0.5", 0.5, [0, 0.1], seed=9),
]


def fake(t) -> EndpointValues:
    """Poisson relapse rates whose mean depends on the therapy; reproducible from the target's seed."""
    mean = {"ocrelizumab": 0.16, "interferon-beta-1a": 0.29, "placebo": 0.5}[t.treatment.names[0]]
    rng = np.random.default_rng([t.seed, len(t.id)])
    return EndpointValues(rng.poisson(mean * 1.84, t.patients) / 1.84, np.zeros(t.patients, dtype=bool))


def rows_without_time(card) -> list[dict]:
    return [{k: v for k, v in r.to_json().items() if k != "seconds"} for r in card.rows]


def test_json_shape(tmp_path):
    card = run_scorecard(parse_targets({"schema": "cartsim-targets/1", "target": TARGETS}), fake)
    path = tmp_path / "scorecard.json"
    write_json(card, path)
    data = json.loads(path.read_text())
    assert set(data) == {"passed", "total", "targets"} and data["total"] == 4
    assert [r["id"] for r in data["targets"]] == ["arr-ocr", "arr-ratio", "arr-ifn", "arr-placebo"]
    for row in data["targets"]:
        assert set(row) == {"id", "observed", "simulated", "interval", "accept", "passed", "censored", "seconds"}
        assert len(row["interval"]) == 2 and row["interval"][0] <= row["simulated"] <= row["interval"][1]
    assert data["passed"] == sum(r["passed"] for r in data["targets"])
    assert data["targets"][3]["passed"] is False


def test_order_does_not_matter():
    forward = run_scorecard(parse_targets({"schema": "cartsim-targets/1", "target": TARGETS}), fake)
    backward = run_scorecard(parse_targets({"schema": "cartsim-targets/1", "target": TARGETS[::-1]}), fake)
    assert rows_without_time(forward) == rows_without_time(backward)[::-1]


def test_ratio_to_divides_by_the_other_targets_statistic():
    targets = parse_targets({"schema": "cartsim-targets/1", "target": TARGETS})
    card = run_scorecard(targets, fake)
    by_id = {r.id: r for r in card.rows}
    ratio = by_id["arr-ratio"]
    # The ratio target's own values, summarised with arr-ifn's statistic (mean), over arr-ifn's mean.
    assert ratio.simulated == pytest.approx(fake(targets[1]).values.mean() / by_id["arr-ifn"].simulated)
    assert ratio.statistic == "ratio_to:arr-ifn" and ratio.interval[0] < ratio.simulated < ratio.interval[1]


def test_a_failing_target_fails_alone():
    def flaky(t):
        if t.id == "arr-ifn":
            raise RuntimeError("solver exploded")
        return fake(t)

    card = run_scorecard(parse_targets({"schema": "cartsim-targets/1", "target": TARGETS}), flaky)
    by_id = {r.id: r for r in card.rows}
    assert "solver exploded" in by_id["arr-ifn"].error and not by_id["arr-ifn"].passed
    assert "arr-ifn" in by_id["arr-ratio"].error and by_id["arr-ratio"].to_json()["simulated"] is None
    assert by_id["arr-ocr"].error == "" and np.isfinite(by_id["arr-ocr"].simulated)
    assert [r.id for r in card.errors] == ["arr-ratio", "arr-ifn"]


def test_censored_count_and_printed_table():
    def censoring(t):
        return EndpointValues(np.full(t.patients, 0.1), np.arange(t.patients) < 7)

    card = run_scorecard(parse_targets({"schema": "cartsim-targets/1", "target": TARGETS[:1]}), censoring)
    assert card.rows[0].censored == 7 and card.passed == 0
    from rich.console import Console

    out = io.StringIO()
    print_scorecard(card, Console(file=out, width=200))
    text = out.getvalue()
    assert "arr-ocr" in text and "7/200" in text and "FAIL" in text and DISCLAIMER in text
