"""The explorer in a real browser: Debian's chromium driven by Playwright (nothing downloaded).

``cartsim serve`` runs as a subprocess on a free loopback port. Without chromium the tests are
skipped, unless ``CARTSIM_REQUIRE_BROWSER=1`` (as CI sets, after installing it with apt) turns
the skip into a failure. A screenshot of the answered page is kept in
``build/test-artifacts/`` (or ``$CARTSIM_ARTIFACTS``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CARTSIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("CARTSIM_ARTIFACTS", Path(__file__).parents[2] / "build" / "test-artifacts"))

if not Path(CHROMIUM).exists():
    if os.environ.get("CARTSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium here (CI installs it; CARTSIM_REQUIRE_BROWSER=1 makes this a failure)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    cache = tmp_path_factory.mktemp("browser-cache")
    command = [sys.executable, "-m", "cartsim", "serve", "--port", str(port), "--cache", str(cache), "--no-presets"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"cartsim serve did not start: {process.stdout.read() if process.stdout else ''}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert f"cartsim explorer at {url}" in output  # the address is printed, on loopback


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def answered(server: str, browser: object) -> Iterator[object]:
    """A page with the form filled in (PPMS, 80 kg, CD19 and BCMA CAR-T) and its answer shown."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server)
    page.select_option("#ms_type", "ppms")
    page.fill("#weight_kg", "80")
    page.check("#bcma_cart")
    page.fill("#patients", "10")
    page.fill("#years", "3")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=180_000)
    page.wait_for_selector("#figure-crs .main-svg", timeout=60_000)
    assert not errors, errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-answer.png"), full_page=True)
    yield page
    page.close()


def test_the_answer_shows_sentences_figures_and_each_hypothesis(answered: object) -> None:
    page = answered
    assert page.inner_text("#status") == "Answer ready."  # type: ignore[attr-defined]
    sentences = page.inner_text("#sentences")  # type: ignore[attr-defined]
    for option in ("With stay on ocrelizumab:", "With CD19 CAR-T:", "With BCMA CAR-T:"):
        assert option in sentences
    assert "not medical advice" in sentences
    hypotheses = page.inner_text("#hypotheses")  # type: ignore[attr-defined]
    assert "Nobody knows yet whether the immune system stays reset" in hypotheses
    headers = page.locator("#hypotheses table").first.locator("thead th").all_inner_texts()  # type: ignore[attr-defined]
    assert headers == ["result", "reset-none", "reset-partial", "reset-full"]
    for name in ("bcells_blood", "cart_blood", "igg_total", "risk", "crs", "icans"):
        assert page.locator(f"#figure-{name} .main-svg").count() >= 1  # type: ignore[attr-defined]
    assert "Confirmed disability progression" in page.inner_text("#figure-risk")  # type: ignore[attr-defined]


def test_each_number_links_to_where_it_comes_from(answered: object) -> None:
    page = answered
    links = page.locator("#sentences a.cite")  # type: ignore[attr-defined]
    assert links.count() >= 10  # every sentence of every option
    page.locator('#sentences a.cite[href="#behind-crs_max_grade"]').first.click()  # type: ignore[attr-defined]
    assert page.evaluate("location.hash") == "#behind-crs_max_grade"  # type: ignore[attr-defined]
    entry = page.locator("#behind-crs_max_grade")  # type: ignore[attr-defined]
    assert entry.get_attribute("open") is not None and entry.locator("summary").inner_text() == "cytokine release syndrome (CRS)"
    behind = page.inner_text("#behind")  # type: ignore[attr-defined]
    assert "[Neelapu2017]" in behind and "Checked against these published results" in behind


def test_the_modellers_view_offers_the_scenario_and_the_results(answered: object, server: str) -> None:
    page = answered
    page.click("#tab-modellers")  # type: ignore[attr-defined]
    assert page.is_visible("#view-modellers") and not page.is_visible("#view-people")  # type: ignore[attr-defined]
    assert 'population = "ppms"' in page.inner_text("#scenario")  # type: ignore[attr-defined]
    href = page.get_attribute("#dl-summary-parquet", "href")  # type: ignore[attr-defined]
    assert urllib.request.urlopen(server + href).status == 200
    assert page.get_attribute("#modules a >> nth=0", "href") == "/equations#physiology"  # type: ignore[attr-defined]
    page.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]  # the tabs follow the keyboard
    assert page.is_visible("#view-people")  # type: ignore[attr-defined]


def test_no_serious_accessibility_violations(answered: object) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(answered)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in serious]


def test_bad_input_is_shown_at_the_field(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server)
    page.fill("#age", "12")
    page.keyboard.press("Enter")  # the form submits from the keyboard
    page.wait_for_selector("#errors li")
    assert "situation.age: got 12; allowed: a whole number from 18 to 90" in page.inner_text("#errors")
    assert page.get_attribute("#age", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "age"
    page.close()


def test_readable_on_a_phone(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    page.goto(server)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width  # no sideways scrolling
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    page.close()
