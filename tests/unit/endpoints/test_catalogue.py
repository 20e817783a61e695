"""The endpoint catalogue has every endpoint of TARGETS.md; options are checked and defaulted."""

from __future__ import annotations

import pytest

from cartsim import InputError, UnitError
from cartsim.endpoints import ENDPOINTS, default_horizon, endpoint_spec, validate_options

TARGETS_MD_ENDPOINTS = {
    "bcell_depletion_day", "bcell_recovery_day", "bcell_naive_fraction", "cart_peak_day", "cart_peak_cells_per_uL",
    "cart_detectable", "crs_max_grade", "icans_max_grade", "total_igg_change_pct", "protective_igg_change_pct",
    "autoantibody_change_pct", "igg_below_lln", "drug_cmax_ug_per_mL", "drug_auc_tau_ug_day_per_mL",
    "drug_terminal_half_life_days", "annualized_relapse_rate", "cdp12",
}


def test_catalogue_is_the_table_of_targets_md():
    assert set(ENDPOINTS) == TARGETS_MD_ENDPOINTS
    assert {s.kind for s in ENDPOINTS.values()} == {"days", "number", "boolean"}
    assert ENDPOINTS["cdp12"].kind == "boolean" and ENDPOINTS["bcell_recovery_day"].kind == "days"


def test_defaults_are_filled_in():
    assert dict(validate_options("bcell_recovery_day", None)) == {"threshold": "10 cells/uL", "from": "day0"}
    assert dict(validate_options("cart_detectable", {"day": 28})) == {"day": 28.0, "lod": "0.1 cells/uL"}
    assert dict(validate_options("drug_cmax_ug_per_mL", {})) == {"dose_index": None}
    assert dict(validate_options("annualized_relapse_rate", {"to_day": 672})) == {"from_day": 0.0, "to_day": 672.0}
    assert dict(validate_options("crs_max_grade", None)) == {}


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
        validate_options(name, options)
    assert info.value.field == field and allowed in info.value.allowed


def test_threshold_unit_must_convert():
    with pytest.raises(UnitError, match="convertible to cells/uL"):
        validate_options("bcell_depletion_day", {"threshold": "10 mg"})
    assert validate_options("bcell_depletion_day", {"threshold": "1e4 cells/mL"})["threshold"] == "1e4 cells/mL"


def test_unknown_endpoint_lists_the_catalogue():
    with pytest.raises(InputError) as info:
        endpoint_spec("bcell_return_day")
    assert "bcell_recovery_day" in info.value.allowed and "cdp12" in info.value.allowed


def test_default_horizons():
    assert default_horizon("cdp12", {"by_day": 840.0}) == 840.0
    assert default_horizon("bcell_recovery_day", {"from": "day0"}, last_dose_day=504) == 1234.0
    assert default_horizon("drug_terminal_half_life_days", {}, last_dose_day=504) == 672.0
    assert default_horizon("cart_peak_day", {}) == 90.0
