"""The endpoint catalogue has every endpoint of TARGETS.md and the targets format documents each; options are checked and defaulted."""

from __future__ import annotations

import re

import pytest

from cartsim import InputError, UnitError
from cartsim.endpoints import ENDPOINTS, endpoint_spec
from cartsim.formats import format_text
from cartsim.protocol import parse_regimen

TARGETS_MD_ENDPOINTS = {
    "bcell_depletion_day",
    "bcell_recovery_day",
    "bcell_naive_fraction",
    "cart_peak_day",
    "cart_peak_cells_per_uL",
    "cart_detectable",
    "crs_max_grade",
    "icans_max_grade",
    "total_igg_change_pct",
    "protective_igg_change_pct",
    "autoantibody_change_pct",
    "igg_below_lln",
    "drug_cmax_ug_per_mL",
    "drug_auc_tau_ug_day_per_mL",
    "drug_terminal_half_life_days",
    "annualized_relapse_rate",
    "cdp12",
}


def _format_table() -> dict[str, str]:
    """The endpoint table of ``cartsim formats targets``: each endpoint's options cell, by name."""
    rows = {}
    for line in format_text("targets").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3:
            for name in re.findall(r"`(\w+)`", cells[0]):
                rows[name] = cells[2]
    return rows


def test_catalogue_has_the_minimum_of_targets_md_and_the_format_documents_every_endpoint():
    assert TARGETS_MD_ENDPOINTS <= set(ENDPOINTS)
    table = _format_table()
    assert set(table) == set(ENDPOINTS)
    for name, endpoint in ENDPOINTS.items():
        named = set(re.findall(r"`(\w+)`", table[name]))
        choices = {c for o in endpoint.options for c in o.choices}
        assert {o.name for o in endpoint.options} <= named <= {o.name for o in endpoint.options} | choices, name
    assert {s.kind for s in ENDPOINTS.values()} == {"days", "number", "boolean"}
    assert ENDPOINTS["cdp12"].kind == "boolean" and ENDPOINTS["bcell_recovery_day"].kind == "days"


def test_defaults_are_filled_in():
    assert dict(endpoint_spec("bcell_recovery_day").validate(None)) == {"threshold": "10 cells/uL", "from": "day0"}
    assert dict(endpoint_spec("cart_detectable").validate({"day": 28})) == {"day": 28.0, "lod": "0.1 cells/uL"}
    assert dict(endpoint_spec("drug_cmax_ug_per_mL").validate({})) == {"dose_index": None}
    assert dict(endpoint_spec("drug_cmax_ug_per_mL").validate({"dose_index": None})) == {"dose_index": None}  # validating twice is harmless
    assert dict(endpoint_spec("annualized_relapse_rate").validate({"to_day": 672})) == {"from_day": 0.0, "to_day": 672.0}
    assert dict(endpoint_spec("crs_max_grade").validate(None)) == {}


@pytest.mark.parametrize(
    ("name", "options", "field", "allowed"),
    [
        ("bcell_recovery_day", {"threshold": "1 cells/uL", "from": "baseline"}, "endpoint_options.from", "'day0', 'last_dose'"),
        ("bcell_recovery_day", {"treshold": "1 cells/uL"}, "endpoint_options.treshold", "threshold, from"),
        ("crs_max_grade", {"day": 3}, "endpoint_options.day", "takes no options"),
        ("bcell_naive_fraction", {}, "endpoint_options.day", "required"),
        ("bcell_naive_fraction", {"day": -1}, "endpoint_options.day", ">= 0"),
        ("bcell_naive_fraction", {"day": "200"}, "endpoint_options.day", "number of days"),
        ("bcell_depletion_day", {"threshold": 10}, "endpoint_options.threshold", "a string with a number and a unit"),
        ("drug_cmax_ug_per_mL", {"dose_index": -1}, "endpoint_options.dose_index", ">= 0"),
        ("annualized_relapse_rate", {"from_day": 100, "to_day": 50}, "endpoint_options.to_day", "after from_day"),
        ("cdp12", {"by_day": 60}, "endpoint_options.by_day", ">= 84"),
        ("cdp12", ["by_day"], "endpoint_options", "a table"),
    ],
)
def test_bad_options(name, options, field, allowed):
    with pytest.raises(InputError) as info:
        endpoint_spec(name).validate(options)
    assert info.value.field == field and allowed in info.value.allowed


def test_threshold_unit_must_convert():
    with pytest.raises(UnitError, match="convertible to cells/uL"):
        endpoint_spec("bcell_depletion_day").validate({"threshold": "10 mg"})
    assert endpoint_spec("bcell_depletion_day").validate({"threshold": "1e4 cells/mL"})["threshold"] == "1e4 cells/mL"


def test_unknown_endpoint_lists_the_catalogue():
    with pytest.raises(InputError) as info:
        endpoint_spec("bcell_return_day")
    assert "bcell_recovery_day" in info.value.allowed and "cdp12" in info.value.allowed


def test_default_horizons():
    ocrelizumab = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 4}])
    cart = parse_regimen([{"therapy": "cd19-cart", "day": 0, "costim": "4-1bb", "dose": "1e6 cells/kg"}])
    assert endpoint_spec("cdp12").default_horizon({"by_day": 840.0}, ocrelizumab) == 840.0
    assert endpoint_spec("bcell_recovery_day").default_horizon({"from": "day0"}, ocrelizumab) == 504 + 730
    # exposure: the last dosing interval after the last dose (168 days here)
    assert endpoint_spec("drug_terminal_half_life_days").default_horizon({}, ocrelizumab) == 672.0
    assert endpoint_spec("drug_auc_tau_ug_day_per_mL").default_horizon({"dose_index": None}, ocrelizumab) == 672.0
    assert endpoint_spec("cart_peak_day").default_horizon({}, cart) == 90.0


def test_a_dosing_interval_must_end_within_the_horizon():
    ocrelizumab = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 4}])
    with pytest.raises(InputError, match="at least day 672, the end of that dosing interval"):
        endpoint_spec("drug_auc_tau_ug_day_per_mL").check_fits({"dose_index": None}, ocrelizumab, 600.0, "endpoint_options")
    endpoint_spec("drug_auc_tau_ug_day_per_mL").check_fits({"dose_index": 2}, ocrelizumab, 600.0, "endpoint_options")
