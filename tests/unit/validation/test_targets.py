"""Targets files (TARGETS.md): the calibration set loads; every kind of bad file is an InputError
that names the field, the value and what is accepted, raised before anything is simulated."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cartsim import InputError
from cartsim.validation import calibration_path, calibration_paths, load_calibration, load_targets, parse_targets

# Small synthetic targets give CAR T cells without lymphodepletion on purpose; the warning about it is expected.
pytestmark = pytest.mark.filterwarnings("ignore::cartsim.errors.CartsimWarning")

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "targets" / "calibration.toml"

GOOD = {
    "id": "a-target",
    "source": "Somebody 2024",
    "population": "sle",
    "regimen": [{"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"}],
    "endpoint": "bcell_recovery_day",
    "endpoint_options": {"threshold": "1 cells/uL"},
    "statistic": "mean",
    "observed": 110,
    "accept": [80, 140],
}


def document(*targets: dict) -> dict:
    return {"schema": "cartsim-targets/1", "target": [copy.deepcopy(t) for t in targets]}


def test_calibration_set_loads():
    targets = load_calibration()
    assert len(targets) == sum(len(tomllib.loads(p.read_text())["target"]) for p in calibration_paths()) >= 16
    assert len({t.id for t in targets}) == len(targets)
    first = targets[0]
    assert (first.id, first.population.name, first.patients, first.seed, first.horizon_days) == (
        "mackensen2022-bcell-return",
        "sle",
        500,
        1,
        730.0,
    )
    assert first.treatment.parameters["cart_targets_cd19"] == 1.0
    assert first.context().dose_days[-1] == 0.0
    arr = next(t for t in targets if t.id == "opera-arr-ocrelizumab")
    assert arr.patients == 2000 and arr.horizon_days == 672 and arr.treatment.antibody == "ocrelizumab"
    assert {t.kind for t in targets} == {"days", "number", "boolean"}


def test_shipped_copy_matches_the_shared_file():
    if not SHARED.is_file():
        pytest.skip("shared targets folder not beside this checkout")
    # The package's copy is the shared file, unchanged; cartsim's own targets live beside it with other ids.
    assert tomllib.loads(calibration_path().read_text()) == tomllib.loads(SHARED.read_text())
    shared, own = (load_targets(p) for p in calibration_paths())
    assert not {t.id for t in own} & {t.id for t in shared}
    assert [t.id for t in load_calibration()] == [t.id for t in shared] + [t.id for t in own]


def test_defaults():
    (t,) = parse_targets(document(GOOD))
    assert (t.patients, t.seed, t.horizon_days, t.note) == (500, 1, 730.0, "")
    assert dict(t.endpoint_options) == {"threshold": "1 cells/uL", "from": "day0"}


def bad(**change) -> dict:
    target = copy.deepcopy(GOOD)
    for key, value in change.items():
        if value is ...:
            target.pop(key)
        else:
            target[key] = value
    return document(target)


@pytest.mark.parametrize(
    ("doc", "field", "allowed"),
    [
        ({"target": [GOOD]}, "schema", "cartsim-targets/1"),
        ({"schema": "cartsim-targets/2", "target": [GOOD]}, "schema", "cartsim-targets/1"),
        ({"schema": "cartsim-targets/1"}, "target", "[[target]]"),
        ({"schema": "cartsim-targets/1", "target": [GOOD], "title": "x"}, "title", "schema, target"),
        (bad(id="Bad_ID"), "target[0].id", "kebab-case"),
        (bad(population="lupus"), "target 'a-target'.population", "healthy, sle, ssc"),
        (bad(populaton="sle"), "target 'a-target'.populaton", "the fields of a target"),
        (bad(source=...), "target 'a-target'.source", "required"),
        (bad(patients=0), "target 'a-target'.patients", "from 1 to"),
        (bad(patients=1.5), "target 'a-target'.patients", "whole number"),
        (bad(seed=-1), "target 'a-target'.seed", "whole number"),
        (bad(horizon_days=0), "target 'a-target'.horizon_days", "from 1 to 36,500"),
        (bad(horizon_days=1e-9), "target 'a-target'.horizon_days", "from 1 to 36,500"),
        (bad(regimen=[{"therapy": "cart", "day": 0}]), "target 'a-target'.regimen[0].therapy", "cd19-cart"),
        (bad(regimen=[{"therapy": "ocrelizumab", "day": 0, "dose": "300 mL"}]), "target 'a-target'.regimen[0].dose", "mg"),
        (bad(endpoint="bcell_return_day"), "target 'a-target'.endpoint", "bcell_recovery_day"),
        (bad(endpoint_options={"threshold": "1 mg"}), "target 'a-target'.endpoint_options.threshold", "cells/uL"),
        (bad(endpoint_options={"thresh": "1 cells/uL"}), "target 'a-target'.endpoint_options.thresh", "threshold, from"),
        (
            bad(endpoint="bcell_naive_fraction", endpoint_options={"day": 800}, horizon_days=300),
            "target 'a-target'.endpoint_options.day",
            "within the horizon",
        ),
        (bad(statistic="average"), "target 'a-target'.statistic", "quantile:Q"),
        (bad(statistic="quantile:1.5"), "target 'a-target'.statistic", "0 < Q < 1"),
        (bad(statistic="fraction_ge:x"), "target 'a-target'.statistic", "fraction_ge:<number>"),
        (bad(statistic="fraction"), "target 'a-target'.statistic", "a statistic for a days endpoint"),
        (bad(statistic="ratio_to:nobody"), "target 'a-target'.statistic", "another target"),
        (bad(statistic="ratio_to:a-target"), "target 'a-target'.statistic", "another target"),
        (bad(observed="110"), "target 'a-target'.observed", "a number"),
        (bad(accept=[140, 80]), "target 'a-target'.accept", "low <= high"),
        (bad(accept=[80]), "target 'a-target'.accept", "two numbers"),
        (
            bad(endpoint="drug_cmax_ug_per_mL", endpoint_options=...),
            "target 'a-target'.endpoint",
            "needs ocrelizumab or ofatumumab or rituximab",
        ),
        (
            bad(endpoint="cart_peak_day", endpoint_options=..., regimen=[{"therapy": "placebo", "day": 0}]),
            "target 'a-target'.endpoint",
            "needs cd19-cart or bcma-cart or mrna-bcma-cart",
        ),
        (
            bad(endpoint_options={"from": "last_dose"}, regimen=[{"therapy": "placebo", "day": 0}]),
            "target 'a-target'.endpoint_options.from",
            "no doses",
        ),
        (document(GOOD, GOOD), "target.id", "unique"),
    ],
)
def test_bad_files_name_the_problem(doc, field, allowed):
    with pytest.raises(InputError) as info:
        parse_targets(doc)
    assert info.value.field == field
    assert allowed in info.value.allowed


def test_drug_dose_index_beyond_the_doses():
    target = {
        **GOOD,
        "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 2}],
        "endpoint": "drug_cmax_ug_per_mL",
        "endpoint_options": {"dose_index": 2},
    }
    with pytest.raises(InputError, match=r"dose_index: got 2; allowed: a dose of ocrelizumab: 0 to 1"):
        parse_targets(document(target))
    (ok,) = parse_targets(document({**target, "endpoint_options": {}}))
    assert ok.horizon_days == 168 + 168


def test_ratio_to_must_point_at_a_plain_statistic():
    a = {**GOOD, "id": "a"}
    b = {**GOOD, "id": "b", "statistic": "ratio_to:a"}
    c = {**GOOD, "id": "c", "statistic": "ratio_to:b"}
    assert [t.statistic.text for t in parse_targets(document(b, a))] == ["ratio_to:a", "mean"]
    with pytest.raises(InputError, match="not itself a ratio"):
        parse_targets(document(a, b, c))


def test_file_errors(tmp_path):
    with pytest.raises(InputError, match="file: got .*missing.toml"):
        load_targets(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = \n")
    with pytest.raises(InputError, match="valid TOML"):
        load_targets(broken)


_values = st.one_of(st.none(), st.booleans(), st.integers(-3, 1000), st.floats(), st.text(max_size=12), st.lists(st.integers(), max_size=3))


@given(st.dictionaries(st.sampled_from(sorted(GOOD) + ["patients", "seed", "horizon_days", "extra"]), _values, max_size=4))
def test_malformed_targets_give_input_errors(changes):
    target = {**GOOD, **changes}
    try:
        parse_targets(document(target))
    except InputError as exc:
        assert exc.field.startswith(("target", "schema"))
