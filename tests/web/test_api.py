"""The explorer's HTTP API: answers, the library's errors, limits, the cache and the downloads."""

from __future__ import annotations

import io
import threading
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cartsim.trial import parse_scenario, run_trial
from cartsim.web import answer as answer_module
from cartsim.web.answer import NOT_REACHED
from cartsim.web.app import MAX_WORK, create_app
from cartsim.web.request import WASHOUT_BCELLS, Question, suggested_washout
from tests.web.conftest import TestClient


def test_default_answer_compares_each_option_under_each_hypothesis(default_answer: dict) -> None:
    assert default_answer["arms"] == ["stay on ocrelizumab", "CD19 CAR-T"]
    hypotheses = [h["name"] for h in default_answer["hypotheses"]]
    assert hypotheses == ["reset-none", "reset-partial", "reset-full"]
    summary = pd.DataFrame(default_answer["summary"])
    for arm in default_answer["arms"]:
        assert set(summary.loc[summary["arm"] == arm, "hypothesis"]) == set(hypotheses)
    sentences = default_answer["sentences"]
    assert set(sentences["by_hypothesis"]) == set(hypotheses)
    assert any(p.startswith("With CD19 CAR-T:") for p in sentences["by_hypothesis"]["reset-partial"])
    assert "not medical advice" in default_answer["disclaimer"]
    assert "not medical advice" in sentences["caveat"]


def test_figures_show_every_option_and_the_safety_grades(default_answer: dict) -> None:
    figures = default_answer["figures"]
    assert set(figures) == {"bcells_blood", "cart_blood", "igg_total", "risk", "crs", "icans"}
    names = " ".join(trace.get("name", "") for trace in figures["bcells_blood"]["data"])
    for arm in default_answer["arms"]:
        assert f"{arm}, reset-none: median" in names and f"{arm}, reset-full: median" in names
    crs = {trace["name"]: trace["y"] for trace in figures["crs"]["data"]}
    assert crs["stay on ocrelizumab"][0] == 1.0  # no CAR-T, no CRS
    assert sum(crs["CD19 CAR-T"]) == pytest.approx(1.0)  # grades 0-4 of every patient
    risk_years = {tuple(trace["x"]) for trace in figures["risk"]["data"]}
    assert risk_years == {(1, 2, 3, 4, 5)}


def test_the_car_t_options_wait_for_the_b_cells_the_model_suggests(default_answer: dict) -> None:
    day = default_answer["washout_day"]
    assert day == suggested_washout("rrms", "ocrelizumab", 2.0)
    assert 0 < day < 730
    assert f"on day {day}" in default_answer["washout"] and f"back to {WASHOUT_BCELLS:g}" in default_answer["washout"]
    assert suggested_washout("rrms", "interferon", 2.0) is None  # no B-cell depletion to wait for
    toml = tomllib.loads(default_answer["scenario_toml"])
    cart = next(arm for arm in toml["arm"] if arm["name"] == "CD19 CAR-T")
    assert {e["day"] for e in cart["regimen"] if e["therapy"] == "cd19-cart"} == {day}


def test_the_downloaded_scenario_reruns_to_the_same_numbers(default_answer: dict, client: TestClient) -> None:
    text = client.post("/api/scenario", json={}).text
    assert text == default_answer["scenario_toml"]
    rerun = run_trial(parse_scenario(tomllib.loads(text))).summary_table
    shown = pd.DataFrame(default_answer["summary"])
    assert list(rerun["endpoint"]) == list(shown["endpoint"])
    values = np.array([np.inf if v == NOT_REACHED else np.nan if v is None else v for v in shown["value"]], dtype=float)
    assert (shown["value"] == NOT_REACHED).any()  # B cells never back under ocrelizumab: an infinite median, kept as words
    np.testing.assert_allclose(rerun["value"].to_numpy(float), values, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", ["summary.csv", "summary.parquet", "patients.csv"])
def test_results_download(default_answer: dict, client: TestClient, name: str) -> None:
    response = client.get(f"/api/results/{default_answer['key']}/{name}")
    assert response.status_code == 200
    read = pd.read_parquet if name.endswith(".parquet") else pd.read_csv
    table = read(io.BytesIO(response.content))
    assert set(table["arm"]) == set(default_answer["arms"])


@pytest.mark.parametrize(
    "path", ["/api/results/0123456789abcdef01234567/summary.csv", "/api/results/../../etc/passwd", "/api/results/x/answer.json"]
)
def test_unknown_downloads_are_404_naming_what_is_allowed(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "allowed"),
    [
        ({"situation": {"age": 12}}, "situation.age", "a whole number from 18 to 90"),
        ({"situation": {"ms_type": "cis"}}, "situation.ms_type", "one of 'rrms', 'ppms', 'spms'"),
        ({"situation": {"weight_kg": "heavy"}}, "situation.weight_kg", "a number from 35 to 200"),
        ({"situation": {"therapy": "natalizumab"}}, "situation.therapy", "one of 'none', 'ocrelizumab'"),
        ({"options": {"stay": False, "cd19_cart": False}}, "options", "at least one of stay"),
        ({"options": {"washout_days": -3}}, "options.washout_days", "a whole number from 0 to 730, or null"),
        ({"years": 50}, "years", "a whole number from 1 to 10"),
        ({"dose": "1e9 cells"}, "dose", "only the fields situation, options, years, patients"),
        ({"patients": 200, "years": 10}, "patients", f"at most {MAX_WORK}"),
    ],
)
def test_bad_input_is_422_naming_field_value_and_what_is_allowed(client: TestClient, body: dict, field: str, allowed: str) -> None:
    response = client.post("/api/answer", json=body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    mine = [e for e in errors if e["field"] == field]
    assert mine, errors
    assert allowed in mine[0]["allowed"]
    assert mine[0]["message"].startswith(f"{field}: got ")


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/api/answer", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "a JSON object like" in response.json()["errors"][0]["allowed"]


def test_identical_questions_are_answered_from_the_cache(client: TestClient, default_answer: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(question: Question) -> None:
        raise AssertionError("simulated again")

    monkeypatch.setattr(answer_module, "answer", refuse)
    again = client.post("/api/answer", json={"situation": {}, "options": {"stay": True}})  # the defaults, spelt out in part
    assert again.status_code == 200
    assert again.json()["key"] == default_answer["key"]


def test_a_fresh_app_reads_answers_from_its_cache_folder(cache_folder: Path, default_answer: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answer_module, "answer", lambda question: (_ for _ in ()).throw(AssertionError("simulated again")))
    with TestClient(create_app(cache_folder)) as fresh:
        assert fresh.post("/api/answer", json={}).json()["summary"] == default_answer["summary"]


def test_a_busy_explorer_answers_503_with_a_retry_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(question: Question) -> None:
        started.set()
        release.wait(30)
        raise RuntimeError("stopped by the test")

    monkeypatch.setattr(answer_module, "answer", slow)
    with TestClient(create_app(tmp_path / "cache", running=1, wait_s=0.2), raise_server_exceptions=False) as client:
        first = threading.Thread(target=client.post, args=("/api/answer",), kwargs={"json": {"patients": 6}})
        first.start()
        assert started.wait(30)
        t0 = time.perf_counter()
        busy = client.post("/api/answer", json={"patients": 7})
        waited = time.perf_counter() - t0
        release.set()
        first.join(30)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"].isdigit()
    assert waited < 10  # refused after the short wait, not held until the first question ends


def test_the_explorer_writes_only_in_its_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, work, cache = tmp_path / "home", tmp_path / "work", tmp_path / "cache"
    for folder in (home, work):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(work)
    with TestClient(create_app(cache)) as client:
        assert client.post("/api/answer", json={"patients": 5, "years": 1, "options": {"stay": False}}).status_code == 200
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written and all(p.parts[0] == "cache" for p in written), written


def test_pages_and_plotly_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "not medical advice" in page.text
    assert 'src="/static/plotly.min.js"' in page.text and "https://" not in page.text.split("<body>")[0]
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/secrets.txt").status_code == 404
    equations = client.get("/equations")
    assert equations.status_code == 200 and 'id="cart_kinetics"' in equations.text
    parameters = client.get("/api/parameters").json()
    assert all(p["unit"] and p["source"] for p in parameters)


@pytest.mark.parametrize("therapy", ["none", "interferon"])
def test_therapies_that_do_not_deplete_b_cells_start_car_t_at_once(client: TestClient, therapy: str) -> None:
    response = client.post("/api/answer", json={"situation": {"therapy": therapy}, "patients": 5, "years": 1})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["washout_day"] == 5 and "start right away" in answer["washout"]
    assert answer["arms"][0] == ("no treatment" if therapy == "none" else "stay on interferon")


def test_a_first_course_starts_with_the_starting_doses(client: TestClient) -> None:
    text = client.post("/api/scenario", json={"situation": {"years_on_therapy": 0}, "options": {"cd19_cart": False}}).text
    stay = tomllib.loads(text)["arm"][0]["regimen"]
    assert [(e["day"], e["dose"]) for e in stay[:2]] == [(0, "300 mg"), (14, "300 mg")]


@pytest.mark.parametrize("body", [b'{"situation": {"weight_kg": NaN}}', b'{"years": Infinity}', b'{"situation": {"age": 1e400}}'])
def test_non_finite_numbers_are_422_not_500(client: TestClient, body: bytes) -> None:
    response = client.post("/api/answer", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text


def test_a_washout_past_the_horizon_names_the_washout(client: TestClient) -> None:
    response = client.post("/api/answer", json={"options": {"washout_days": 700}, "years": 1})
    assert response.status_code == 422
    assert "options.washout_days at most 335" in response.json()["errors"][0]["allowed"]


def test_error_bars_keep_a_lower_bound_of_zero(default_answer: dict) -> None:
    summary = pd.DataFrame(default_answer["summary"])
    for trace in default_answer["figures"]["risk"]["data"]:
        arm, hypothesis = trace["name"].split(", ")
        rows = summary[
            (summary["arm"] == arm) & (summary["hypothesis"] == hypothesis) & summary["endpoint"].str.startswith("relapses_year_")
        ]
        np.testing.assert_allclose(np.array(trace["y"]) - np.array(trace["error_y"]["arrayminus"]), rows["low"].to_numpy(float), atol=1e-12)


def test_a_loopback_server_refuses_other_host_names(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "attacker.example"}).status_code == 400


def test_each_number_says_what_stands_behind_it(default_answer: dict) -> None:
    behind = default_answer["sources_by_endpoint"]
    cited = {source["key"] for source in default_answer["sources"]}
    crs = behind["crs_max_grade"]
    assert crs["words"] == "cytokine release syndrome (CRS)"
    assert "il6_baseline" in crs["parameters"] and "ms_relapse_rate" not in crs["parameters"]
    assert crs["keys"] and set(crs["keys"]) <= cited
    assert crs["checked_against"] and all(o["observed"] is not None for o in crs["checked_against"])
    assert behind["bcell_recovery_day"]["known_gaps"]  # B-cell return is among the published results the model misses
    # The sentences one by one are the paragraphs' sentences, each with its endpoint.
    detail = default_answer["sentences"]["detail"]["reset-partial"]
    paragraphs = default_answer["sentences"]["by_hypothesis"]["reset-partial"]
    for arm, paragraph in zip(detail["arms"], paragraphs, strict=False):
        assert paragraph == f"With {arm['arm']}: " + " ".join(s["text"] for s in arm["sentences"])
        assert {s["endpoint"] for s in arm["sentences"]} <= set(behind)
    assert detail["comparisons"] == paragraphs[len(detail["arms"]) :]
