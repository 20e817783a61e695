"""The validation report: one simulation per target, a page naming every target and its result, one figure each."""

from __future__ import annotations

from collections import Counter

import pytest
from typer.testing import CliRunner

import cartsim
from cartsim.cli.main import app
from cartsim.endpoints import ENDPOINTS
from cartsim.report import validation_report
from cartsim.report.validation_report import run_validation_report, write_validation_report
from cartsim.validation import load_targets

# Small synthetic targets give CAR T cells without lymphodepletion on purpose; the warning about it is expected.
pytestmark = pytest.mark.filterwarnings("ignore::cartsim.errors.CartsimWarning")

MODEL = cartsim.full_model()
#: Two short targets from different endpoint families (B-cell event time, CRS grades), 20 patients each.
TARGETS = """
schema = "cartsim-targets/1"

[[target]]
id = "tiny-depletion"
source = "test: ocrelizumab depletes B cells within two weeks"
note = "recalled"
population = "rrms"
patients = 20
horizon_days = 30
regimen = [ { therapy = "ocrelizumab", day = 0, dose = "300 mg" } ]
endpoint = "bcell_depletion_day"
statistic = "median"
observed = 10
accept = [0, 30]

[[target]]
id = "tiny-crs"
source = "test: CRS after CD19 CAR-T in lupus"
population = "sle"
patients = 20
horizon_days = 30
regimen = [
  { therapy = "flu-cy", day = -5, fludarabine_mg_per_m2 = 25, fludarabine_days = 3, cyclophosphamide_mg_per_m2 = 1000, cyclophosphamide_days = 1 },
  { therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "1e6 cells/kg" },
]
endpoint = "crs_max_grade"
statistic = "fraction_ge:1"
observed = 0.6
accept = [2.0, 3.0]
"""


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    path = tmp_path_factory.mktemp("targets") / "tiny.toml"
    path.write_text(TARGETS)
    return load_targets(path)


@pytest.fixture
def counted(monkeypatch):
    """Counts the simulations the report runs, per target id."""
    calls: Counter[str] = Counter()
    real = validation_report.simulate_target

    def simulate_target(target, model):
        calls[target.id] += 1
        return real(target, model)

    monkeypatch.setattr(validation_report, "simulate_target", simulate_target)
    return calls


def test_report_writes_page_and_one_figure_per_target_simulating_each_once(targets, counted, tmp_path):
    report = run_validation_report(targets, tmp_path / "docs", MODEL, command="cartsim validate tiny.toml --report docs")
    assert counted == {"tiny-depletion": 1, "tiny-crs": 1}
    assert report.page == tmp_path / "docs" / "validation.md"
    images = tmp_path / "docs" / "images" / "validation"
    assert sorted(p.name for p in images.iterdir()) == ["tiny-crs.png", "tiny-depletion.png"]
    for figure in report.figures:
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and figure.stat().st_size < 150_000
    page = report.page.read_text()
    rows = {r.id: r for r in report.scorecard.rows}
    assert rows["tiny-depletion"].passed and not rows["tiny-crs"].passed  # no share can be in tiny-crs's accept range
    assert "| [tiny-depletion](#tiny-depletion) |" in page and "| pass |" in page
    assert "| [tiny-crs](#tiny-crs) |" in page and "| **FAIL** |" in page
    assert "### tiny-depletion" in page and "![tiny-crs: simulated vs observed](images/validation/tiny-crs.png)" in page
    assert "`cartsim validate tiny.toml --report docs`" in page and "not medical advice" in page
    assert "1 of 2 targets pass" in page and "recalled" in page
    assert "- Scenario: population `rrms` (relapsing-remitting multiple sclerosis)" in page and "Change(" not in page
    assert "default answers, the hypotheses `reset-partial`, `cns-cart-entry`" in page


def test_write_validation_report_returns_the_page(targets, counted, tmp_path):
    page = write_validation_report(targets[:1], tmp_path, MODEL, docs_name="check.md")
    assert page == tmp_path / "check.md" and "tiny-depletion" in page.read_text()
    assert counted == {"tiny-depletion": 1}


def test_a_failing_simulation_is_reported_not_drawn(targets, monkeypatch, tmp_path):
    def broken(target, model):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(validation_report, "simulate_target", broken)
    report = run_validation_report(targets[:1], tmp_path, MODEL)
    assert report.figures == () and report.scorecard.errors
    assert "**error**" in report.page.read_text() and "solver exploded" in report.page.read_text()


def test_cli_report_option(tmp_path, counted):
    path = tmp_path / "tiny.toml"
    path.write_text(TARGETS)
    result = CliRunner().invoke(app, ["validate", str(path), "--patients", "5", "--report", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert counted == {"tiny-depletion": 1, "tiny-crs": 1}
    assert "1 of 2 targets passed" in result.output  # the scorecard is still printed
    page = (tmp_path / "out" / "validation.md").read_text()
    assert f"`cartsim validate {path} --patients 5 --report {tmp_path / 'out'}`" in page
    assert len(list((tmp_path / "out" / "images" / "validation").glob("*.png"))) == 2


def _entry(tid: str, endpoint: str, statistic: str, regimen: str, options: str = "", horizon: int = 60) -> str:
    return (
        f'[[target]]\nid = "{tid}"\nsource = "test"\npopulation = "rrms"\npatients = 5\nhorizon_days = {horizon}\n'
        f'regimen = [{regimen}]\nendpoint = "{endpoint}"\n{options}statistic = "{statistic}"\nobserved = 1\naccept = [0, 2]\n'
    )


CART = '{ therapy = "cd19-cart", day = 0, costim = "4-1bb", dose = "1e6 cells/kg" }'
OCR = '{ therapy = "ocrelizumab", day = 0, dose = "300 mg" }, { therapy = "ocrelizumab", day = 14, dose = "300 mg" }'
#: One target per figure branch the calibration set does not reach.
EVERY_FAMILY = 'schema = "cartsim-targets/1"\n' + "\n".join(
    [
        _entry("recovery-last-dose", "bcell_recovery_day", "median", OCR, 'endpoint_options = { from = "last_dose" }\n', 120),
        _entry("cart-height", "cart_peak_cells_per_uL", "mean", CART),
        _entry("cart-detectable", "cart_detectable", "fraction", CART, "endpoint_options = { day = 30 }\n"),
        _entry("icans", "icans_max_grade", "mean", CART),
        _entry("igg-change", "total_igg_change_pct", "median", CART, "endpoint_options = { day = 30 }\n"),
        _entry("igg-low", "igg_below_lln", "fraction", CART, "endpoint_options = { day = 30 }\n"),
        _entry("cmax", "drug_cmax_ug_per_mL", "median", OCR, "endpoint_options = { dose_index = 0 }\n"),
        _entry("half-life", "drug_terminal_half_life_days", "median", OCR, "", 120),
        _entry(
            "arr-ratio",
            "annualized_relapse_rate",
            "ratio_to:cart-height",
            '{ therapy = "placebo", day = 0 }',
            "endpoint_options = { to_day = 60 }\n",
        ),
    ]
)


def test_every_endpoint_family_gets_a_figure(tmp_path):
    path = tmp_path / "every.toml"
    path.write_text(EVERY_FAMILY)
    report = run_validation_report(load_targets(path), tmp_path, MODEL)
    assert not report.scorecard.errors, report.scorecard.errors
    assert len(report.figures) == report.scorecard.total == 9


CART_AFTER_LD = (
    '{ therapy = "flu-cy", day = -5, fludarabine_mg_per_m2 = 25, fludarabine_days = 3, cyclophosphamide_mg_per_m2 = 1000, '
    "cyclophosphamide_days = 1 }, " + CART
)


def test_every_endpoint_of_the_catalogue_gets_a_figure(tmp_path):
    # With its default options and statistic, on a regimen it applies to: a new endpoint cannot leave the page without a figure.
    entries = []
    for name, spec in ENDPOINTS.items():
        options = ", ".join(f"{k} = {v:g}" for k, v in spec.default_options(200.0).items())
        regimen = OCR if spec.needs == "antibody" else CART_AFTER_LD
        entries.append(
            _entry(
                name.replace("_", "-").lower(),
                name,
                spec.default_statistic,
                regimen,
                f"endpoint_options = {{ {options} }}\n" if options else "",
                200,
            )
        )
    path = tmp_path / "all.toml"
    path.write_text('schema = "cartsim-targets/1"\n' + "\n".join(entries))
    report = run_validation_report(load_targets(path), tmp_path, MODEL)
    assert not report.scorecard.errors, report.scorecard.errors
    assert len(report.figures) == len(ENDPOINTS)
