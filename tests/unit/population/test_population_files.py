"""Population files and tables: what a trial reports by default comes from the population,
inherited from its base unless the file names its own; bad endpoint names are errors."""

from __future__ import annotations

import pytest

from cartsim import InputError
from cartsim.population.populations import POPULATIONS
from cartsim.population.settings import population_table, read_population
from cartsim.trial.scenario import parse_scenario

_ARMS = [
    {
        "name": "cart",
        "regimen": [
            {
                "therapy": "flu-cy",
                "day": 0,
                "fludarabine_mg_per_m2": 30,
                "fludarabine_days": 3,
                "cyclophosphamide_mg_per_m2": 300,
                "cyclophosphamide_days": 3,
            },
            {"therapy": "cd19-cart", "day": 5, "costim": "4-1bb", "dose": "1e6 cells/kg"},
        ],
    },
    {"name": "ocrelizumab", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 4}]},
]


def test_every_built_in_population_names_endpoints_of_the_catalogue():
    from cartsim.endpoints import ENDPOINTS

    for population in POPULATIONS.values():
        assert population.endpoints, population.name
        assert set(population.endpoints) <= set(ENDPOINTS), population.name


def test_a_file_inherits_its_base_endpoints_or_names_its_own():
    inherited = read_population({"name": "older", "description": "older RRMS", "base": "rrms"})
    assert inherited.endpoints == POPULATIONS["rrms"].endpoints
    own = read_population({"name": "older", "description": "older RRMS", "base": "rrms", "endpoints": ["cdp24", "crs_max_grade"]})
    assert own.endpoints == ("cdp24", "crs_max_grade")
    back = read_population(population_table(own))  # written out, read back: the same population
    assert population_table(back) == population_table(own) and back.endpoints == own.endpoints
    assert [(c.name, c.value, c.omega, c.source) for c in back.changes] == [(c.name, c.value, c.omega, c.source) for c in own.changes]


@pytest.mark.parametrize(
    "endpoints, field",
    [
        (["cdp24", "relapse_count"], "population.endpoints[1]"),
        ([], "population.endpoints"),
        ("cdp24", "population.endpoints"),
        (["cdp24", "cdp24"], "population.endpoints"),
    ],
)
def test_bad_endpoint_lists_name_the_field(endpoints, field):
    with pytest.raises(InputError) as info:
        read_population({"name": "x", "description": "x", "endpoints": endpoints})
    assert info.value.field == field


def test_a_scenario_without_endpoints_reports_the_population_s_that_fit_its_arms():
    table = {"population": "rrms", "patients": 2, "horizon_days": 730, "arm": _ARMS}
    labels = [r.endpoint for r in parse_scenario(table).endpoints]
    assert labels == [e for e in POPULATIONS["rrms"].endpoints if e in labels]
    assert {"annualized_relapse_rate", "cdp24", "crs_max_grade"} <= set(labels)
    mine = {"name": "mine", "description": "RRMS with CAR-T endpoints", "base": "rrms", "endpoints": ["cart_peak_day", "cdp24"]}
    assert [r.endpoint for r in parse_scenario(dict(table, population=mine)).endpoints] == ["cart_peak_day", "cdp24"]
    antibody_only = dict(table, population=mine, arm=_ARMS[1:])
    assert [r.endpoint for r in parse_scenario(antibody_only).endpoints] == ["cdp24"]
    short = dict(table, horizon_days=90, arm=[_ARMS[0]])
    assert "cdp24" not in [r.endpoint for r in parse_scenario(short).endpoints], "24-week confirmation does not fit in 90 days"
    nmosd = [r.endpoint for r in parse_scenario(dict(table, population="nmosd")).endpoints]
    assert "annualized_flare_rate" in nmosd and "annualized_relapse_rate" not in nmosd
