"""Generated hostile input (hypothesis): whatever a scenario or targets file holds, the readers
either accept it or raise one InputError naming the field; never another exception, never a hang.

Nothing is simulated: these are the readers every command goes through first.
"""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartsim.errors import InputError
from cartsim.trial import parse_scenario
from cartsim.validation import parse_targets

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, -1, 1e-300, 1e300, -1e300, 2**63, 36_500, 36_501]),
)
units = st.sampled_from(["cells/kg", "cells", "mg", "mg/m**2", "ug", "kg", "", "cells/kg/day", "**2", "mg mg", "% ", "cells/kg)"])
doses = st.one_of(
    st.builds(lambda x, u: f"{x!r} {u}", numbers, units),
    st.text(max_size=80),
    st.sampled_from(["9**9**9 mg", "1e6*1e6 cells", "__import__('os') mg", "1e6 cells/kg; rm -rf", "0x10 mg", "1_000 mg", "nan mg"]),
    numbers,
)
names = st.text(max_size=300)
anything = st.one_of(
    numbers,
    st.text(max_size=50),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _scenario(dose, day, name, horizon, title, patients) -> dict:
    table = {
        "population": "sle",
        "patients": patients,
        "horizon_days": horizon,
        "arm": [{"name": name, "regimen": [{"therapy": "cd19-cart", "day": day, "costim": "4-1bb", "dose": dose}]}],
    }
    if title is not None:
        table["title"] = title
    return table


#: Outcomes of every generated input so far ("accepted", "refused"), for docs/reliability.md.
SEEN: Counter[str] = Counter()


def _accepts_or_names_the_field(read, document) -> None:
    try:
        read(document)
    except InputError as exc:
        assert exc.field, "an error names its field"
        assert "allowed" in str(exc)
        SEEN["refused"] += 1
    else:
        SEEN["accepted"] += 1


@SETTINGS
@given(doses, st.one_of(numbers, st.text(max_size=10)), names, numbers, st.one_of(st.none(), names), st.one_of(numbers, anything))
def test_scenarios_are_read_or_refused(dose, day, name, horizon, title, patients):
    _accepts_or_names_the_field(parse_scenario, _scenario(dose, day, name, horizon, title, patients))


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["every_days", "count", "infusion_hours", "duration", "product", "costim", "route"]), anything, max_size=3
    )
)
def test_extra_dose_fields_are_read_or_refused(fields):
    table = _scenario("600 mg", 0, "arm", 60, None, 5)
    table["arm"][0]["regimen"] = [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", **fields}]
    _accepts_or_names_the_field(parse_scenario, table)


@SETTINGS
@given(doses, numbers, st.one_of(numbers, anything), st.text(max_size=40), st.one_of(numbers, anything))
def test_targets_are_read_or_refused(dose, horizon, observed, statistic, accept_low):
    target = {
        "id": "t",
        "source": "s",
        "population": "sle",
        "horizon_days": horizon,
        "regimen": [{"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": dose}],
        "endpoint": "bcell_recovery_day",
        "statistic": statistic,
        "observed": observed,
        "accept": [accept_low, 10],
    }
    _accepts_or_names_the_field(parse_targets, {"schema": "cartsim-targets/1", "target": [target]})


def test_the_generators_reach_both_outcomes():
    """The strategies are not all refusals: a plain valid scenario is accepted."""
    assert parse_scenario(_scenario("1e6 cells/kg", 0, "arm", 60, "t", 5)).horizon_days == 60
    assert math.isfinite(60.0)
