"""Scenario files: defaults, sequences, and every kind of schema error (nothing runs)."""

import copy

import pytest

from cartsim.errors import InputError
from cartsim.trial import load_scenario, parse_scenario
from tests.conftest import ERLANGEN_REGIMEN

CART = ERLANGEN_REGIMEN
BASE = {
    "population": "rrms",
    "patients": 40,
    "horizon_days": 60,
    "seed": 1,
    "arm": [
        {"name": "CAR-T", "regimen": CART},
        {"name": "ocrelizumab", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}]},
    ],
}


def changed(**changes):
    table = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            table.pop(key)
        else:
            table[key] = value
    return table


def test_defaults_and_time_grid():
    s = parse_scenario(BASE)
    assert s.replicates == 200 and s.chunk_size == 2000 and s.seed == 1
    assert [e.label for e in s.endpoints][:2] == ["bcell_depletion_day", "bcell_recovery_day"]
    assert "ocrelizumab_concentration" in s.outputs and "bcells_blood" in s.outputs
    assert s.times[0] == -5 and s.times[-1] == 60  # the grid starts at the earliest dose (flu-cy)


def test_sequence_arm_and_override(tmp_path):
    switch = [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 182, "count": 4}] + [
        dict(e, day=e["day"] + 900) for e in CART
    ]
    s = parse_scenario(changed(horizon_days=1000, arm=[{"name": "switch", "regimen": switch}]), patients=7)
    assert s.patients == 7 and s.arms[0].treatment.dose_days[-1] == 900
    path = tmp_path / "s.toml"
    path.write_text(
        'population = "sle"\npatients = 3\nhorizon_days = 30\n[[arm]]\nname = "a"\nregimen = [{ therapy = "placebo", day = 0 }]\n'
    )
    assert load_scenario(path).population.name == "sle"


@pytest.mark.parametrize(
    "table, field",
    [
        (changed(colour="red"), "colour"),
        (changed(population="mars"), "population"),
        (changed(patients=None), "patients"),
        (changed(patients=10**12), "patients"),
        (changed(patients=1e12), "patients"),
        (changed(patients=-3), "patients"),
        (changed(horizon_days=10**9), "horizon_days"),
        (changed(horizon_days="long"), "horizon_days"),
        (changed(seed=-1), "seed"),
        (changed(replicates=0), "replicates"),
        (changed(chunk_size=0), "chunk_size"),
        (changed(arm=[]), "arm"),
        (changed(arm=[{"name": "x", "regimen": [{"therapy": "aspirin", "day": 0}]}]), "arm[0].regimen[0].therapy"),
        (changed(arm=[{"name": "x", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "-600 mg"}]}]), "arm[0].regimen[0].dose"),
        (
            changed(arm=[{"name": "x", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "count": -2}]}]),
            "arm[0].regimen[0].count",
        ),
        (changed(arm=[{"name": "x", "regimen": [{"therapy": "placebo", "day": 0}], "colour": 1}]), "arm[0].colour"),
        (changed(arm=[{"name": "x", "regimen": [{"therapy": "placebo", "day": 0}]}] * 2), "arm[1].name"),
        (changed(arm=[{"name": "x", "regimen": [{"therapy": "ocrelizumab", "day": 90, "dose": "600 mg"}]}]), "arm[0].regimen"),
        (changed(endpoint=[{"endpoint": "happiness"}]), "endpoint[0].endpoint"),
        (changed(endpoint=[{"endpoint": "crs_max_grade", "statistic": "mode"}]), "endpoint[0].statistic"),
        (changed(endpoint=[{"endpoint": "crs_max_grade", "options": {"day": 3}}]), "endpoint[0].options.day"),
        (changed(endpoint=[{"endpoint": "igg_below_lln", "options": {"day": 365}}]), "endpoint[0].options.day"),
        (changed(endpoint=[{"endpoint": "crs_max_grade", "extra": 1}]), "endpoint[0].extra"),
        (changed(outputs={"observables": ["bcells_blood", "mood"]}), "outputs.observables[1]"),
        (changed(outputs=["bcells_blood"]), "outputs"),
        (changed(outputs={"patients": -1}), "outputs.patients"),
        (changed(outputs={"patients": "some"}), "outputs.patients"),
        (changed(endpoint=[{"name": "status", "endpoint": "crs_max_grade"}]), "endpoint[0].name"),
        (changed(endpoint=[{"name": "arm", "endpoint": "crs_max_grade"}]), "endpoint[0].name"),
        (changed(arm=[{"name": "x" * 200, "regimen": [{"therapy": "placebo", "day": 0}]}]), "arm[0].name"),
        (changed(parameters={"cart_doubling_time": "fast"}), "parameters.cart_doubling_time"),
        (changed(parameters={"cart_doubling_time": {"value": "1 day", "omega": -1}}), "parameters.cart_doubling_time.omega"),
        (changed(model={"modules": ["cart_kinetics", "telepathy"]}), "model.modules[1]"),
        (changed(solver={"rtol": 2}), "solver.rtol"),
        (changed(solver={"backend": "gpu"}), "solver.backend"),
        (changed(hypotheses=["reset-maybe"]), "hypotheses[0]"),
        (
            changed(population={"name": "mine", "description": "x", "parameters": {"body_weight": "heavy"}}),
            "population.parameters.body_weight",
        ),
        (changed(population="nowhere.toml"), "population"),
    ],
)
def test_schema_errors_name_the_field(table, field):
    with pytest.raises(InputError) as info:
        parse_scenario(table)
    assert info.value.field == field


def test_bad_files(tmp_path):
    with pytest.raises(InputError, match="readable"):
        load_scenario(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("population = \n")
    with pytest.raises(InputError, match="valid TOML.*line 1"):
        load_scenario(bad)


@pytest.mark.parametrize(
    "content, allowed",
    [
        (b"\xff\xfe\x00binary", "UTF-8 TOML"),
        (("x = " + "[" * 5000 + "]" * 5000).encode(), "nested less deeply"),
        (b"title = 'a\x7fb'", "valid TOML"),
    ],
    ids=["binary", "deep", "control-character"],
)
def test_hostile_files_are_refused_with_a_reason(tmp_path, content, allowed):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=allowed) as info:
        load_scenario(path)
    assert info.value.field == "scenario file"
