"""Endpoints on synthetic simulations whose answers are known by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from cartsim import InputError
from cartsim.endpoints import EndpointContext, EndpointValues, compute_endpoint
from cartsim.protocol import parse_regimen

DAYS = np.arange(0.0, 366.0)


def dataset(times: np.ndarray, status: list[int] | None = None, **observables: tuple[np.ndarray, str]) -> xr.Dataset:
    """A Simulation-shaped dataset: observables (patient x time) with units, and a status."""
    variables = {name: (("patient", "time"), np.asarray(v, dtype=float), {"units": unit}) for name, (v, unit) in observables.items()}
    n = next(iter(variables.values()))[1].shape[0]
    variables["status"] = (("patient",), np.asarray(status if status is not None else [0] * n))
    return xr.Dataset(variables, coords={"patient": np.arange(n), "time": times})


def steps(times: np.ndarray, *pieces: tuple[float, float]) -> np.ndarray:
    """A step function: value ``v`` from day ``start`` on, for each ``(start, v)``."""
    out = np.full(times.shape, np.nan)
    for start, value in pieces:
        out[times >= start] = value
    return out


def bcells() -> xr.Dataset:
    b = np.stack(
        [
            steps(DAYS, (0, 100), (6, 0.5), (120, 50)),  # depleted day 6, back day 120
            steps(DAYS, (0, 100)),  # never depleted
            steps(DAYS, (0, 100), (3, 0.1)),  # never comes back
            steps(DAYS, (0, 100), (3, 1), (10, 20), (40, 1), (200, 20)),  # dips, returns, dips again after the last dose
        ]
    )
    return dataset(DAYS, bcells_blood=(b, "cells/uL"), bcells_naive_blood=(0.9 * b, "cells/uL"))


def test_depletion_day_and_censoring():
    e = compute_endpoint("bcell_depletion_day", {"threshold": "10 cells/uL"}, bcells())
    np.testing.assert_array_equal(e.values, [6, 365, 3, 3])
    np.testing.assert_array_equal(e.censored, [False, True, False, False])


def test_threshold_units_convert():
    e = compute_endpoint("bcell_depletion_day", {"threshold": "1e4 cells/mL"}, bcells())  # = 10 cells/uL
    np.testing.assert_array_equal(e.values, [6, 365, 3, 3])


def test_recovery_from_day0_and_from_last_dose():
    e = compute_endpoint("bcell_recovery_day", {"threshold": "10 cells/uL", "from": "day0"}, bcells())
    np.testing.assert_array_equal(e.values, [120, np.nan, 365, 10])  # never depleted: not applicable
    np.testing.assert_array_equal(e.censored, [False, False, True, False])
    context = EndpointContext(dose_days=(0.0, 30.0))
    e = compute_endpoint("bcell_recovery_day", {"from": "last_dose"}, bcells(), context)
    np.testing.assert_array_equal(e.values, [90, np.nan, 335, 170])
    with pytest.raises(InputError, match="no doses"):
        compute_endpoint("bcell_recovery_day", {"from": "last_dose"}, bcells())


def test_window_starts_at_day_0_and_ends_at_the_horizon():
    times = np.arange(-5.0, 101.0)
    b = steps(times, (-5, 100), (-3, 5), (50, 30))[None, :]  # lymphodepletion before day 0
    ds = dataset(times, bcells_blood=(b, "cells/uL"))
    assert compute_endpoint("bcell_depletion_day", {}, ds).values[0] == 0
    e = compute_endpoint("bcell_recovery_day", {}, ds, EndpointContext(horizon_days=40))
    assert (e.values[0], e.censored[0]) == (40, True)
    with pytest.raises(InputError, match="horizon_days"):
        compute_endpoint("bcell_recovery_day", {}, ds, EndpointContext(horizon_days=200))


def test_naive_fraction_and_empty_patients():
    b = np.stack([np.full(DAYS.size, 50.0), np.zeros(DAYS.size)])
    ds = dataset(DAYS, bcells_blood=(b, "cells/uL"), bcells_naive_blood=(0.9 * b, "cells/uL"))
    e = compute_endpoint("bcell_naive_fraction", {"day": 200}, ds)
    assert e.values[0] == pytest.approx(0.9) and np.isnan(e.values[1])


def test_failed_patients_are_nan_not_censored():
    ds = bcells()
    ds["status"] = ("patient", np.array([0, 1, 0, 2]))
    e = compute_endpoint("bcell_depletion_day", {}, ds)
    assert np.isnan(e.values[1]) and np.isnan(e.values[3]) and not e.censored.any()


def test_cart_peak_detectable():
    t = np.arange(0.0, 91.0)
    peaked = 100 * np.exp(-((t - 9.0) ** 2) / 20)
    cart = np.stack([peaked, t, np.zeros(t.size)])  # peak day 9; still rising; no CAR-T
    ds = dataset(t, cart_blood=(cart, "cells/uL"))
    day = compute_endpoint("cart_peak_day", None, ds)
    np.testing.assert_array_equal(day.values, [9, 90, np.nan])
    np.testing.assert_array_equal(day.censored, [False, True, False])
    height = compute_endpoint("cart_peak_cells_per_uL", None, ds)
    assert height.values[0] == pytest.approx(100) and np.isnan(height.values[2])
    seen = compute_endpoint("cart_detectable", {"day": 28, "lod": "0.1 cells/uL"}, ds)
    np.testing.assert_array_equal(seen.values, [0.0, 1.0, 0.0])  # exp(-361/20) * 100 < 0.1


def test_max_grades_and_changes():
    crs = np.stack([steps(DAYS, (0, 0), (2, 1), (4, 2), (9, 0)), np.zeros(DAYS.size)])
    igg = np.stack([np.linspace(10, 6, DAYS.size), np.full(DAYS.size, 8.0)])
    auto = np.stack([np.where(DAYS < 180, 1.0, 0.2), np.ones(DAYS.size)])
    ds = dataset(
        DAYS,
        crs_grade=(crs, "1"),
        icans_grade=(0 * crs, "1"),
        igg_total=(igg, "g/L"),
        autoantibody=(auto, "1"),
        igg_protective=(igg / 10, "1"),
    )
    np.testing.assert_array_equal(compute_endpoint("crs_max_grade", None, ds).values, [2, 0])
    np.testing.assert_array_equal(compute_endpoint("icans_max_grade", None, ds).values, [0, 0])
    change = compute_endpoint("total_igg_change_pct", {"day": 365}, ds).values
    np.testing.assert_allclose(change, [-40, 0])
    np.testing.assert_allclose(compute_endpoint("protective_igg_change_pct", {"day": 365}, ds).values, [-40, 0])
    np.testing.assert_allclose(compute_endpoint("autoantibody_change_pct", {"day": 180}, ds).values, [-80, 0])
    low = compute_endpoint("igg_below_lln", {"day": 300}, ds).values  # 10 - 4*300/365 = 6.7
    np.testing.assert_array_equal(low, [1.0, 0.0])
    with pytest.raises(InputError, match="endpoint_options.day"):
        compute_endpoint("igg_below_lln", {"day": 400}, ds)


def antibody(half_life: float = 26.0, horizon: float = 672.0) -> tuple[xr.Dataset, EndpointContext]:
    t = np.arange(0.0, horizon + 1.0, 0.5)
    k = math.log(2) / half_life
    doses = (0.0, 168.0, 336.0, 504.0)
    conc = sum(np.where(t >= d, 200.0 * np.exp(-k * (t - d)), 0.0) for d in doses)
    treatment = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 4}])
    ds = dataset(t, ocrelizumab_concentration=(np.stack([conc, 2 * conc]), "mg/L"))
    return ds, EndpointContext.from_treatment(treatment, horizon_days=horizon)


def test_drug_exposure_and_half_life():
    ds, context = antibody()
    k = math.log(2) / 26.0
    accumulated = 200 * sum(math.exp(-k * 168 * j) for j in range(4))
    cmax = compute_endpoint("drug_cmax_ug_per_mL", {}, ds, context).values
    np.testing.assert_allclose(cmax, [accumulated, 2 * accumulated])
    first = compute_endpoint("drug_cmax_ug_per_mL", {"dose_index": 0}, ds, context).values
    np.testing.assert_allclose(first, [200, 400])
    auc = compute_endpoint("drug_auc_tau_ug_day_per_mL", {}, ds, context).values  # the last dosing interval: 504 to 672
    np.testing.assert_allclose(auc[0], accumulated / k * (1 - math.exp(-k * 168)), rtol=1e-4)  # trapezoid, 12 h grid
    half = compute_endpoint("drug_terminal_half_life_days", None, ds, context).values
    np.testing.assert_allclose(half, [26.0, 26.0], rtol=1e-9)
    with pytest.raises(InputError, match="dose_index"):
        compute_endpoint("drug_cmax_ug_per_mL", {"dose_index": 4}, ds, context)
    with pytest.raises(InputError, match="drug"):
        compute_endpoint("drug_cmax_ug_per_mL", {}, ds)


def test_auc_of_the_last_dose_is_over_one_dosing_interval_not_to_the_horizon():
    k = math.log(2) / 26.0
    accumulated = 200 * sum(math.exp(-k * 168 * j) for j in range(4))
    ds, context = antibody(horizon=900.0)
    auc = compute_endpoint("drug_auc_tau_ug_day_per_mL", {}, ds, context).values
    np.testing.assert_allclose(auc[0], accumulated / k * (1 - math.exp(-k * 168)), rtol=1e-4)


def test_an_omitted_dose_index_in_a_targets_file_means_the_last_dose():
    from cartsim import full_model
    from cartsim.validation import parse_targets
    from cartsim.validation.evaluate import evaluate

    target = parse_targets(
        {
            "schema": "cartsim-targets/1",
            "target": [
                {
                    "id": "auc",
                    "source": "test",
                    "population": "rrms",
                    "patients": 3,
                    "endpoint": "drug_auc_tau_ug_day_per_mL",
                    "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 3}],
                    "statistic": "mean",
                    "observed": 1,
                    "accept": [0, 1e4],
                }
            ],
        }
    )[0]
    assert target.endpoint_options["dose_index"] is None and target.horizon_days == 336 + 168
    values = evaluate(target, full_model()).values
    assert values.shape == (3,) and np.all(values > 0)


def hazards(n: int, relapse_per_year: float, progression_by_756: float) -> xr.Dataset:
    t = np.arange(0.0, 841.0)
    relapse = np.tile(relapse_per_year * t / 365.25, (n, 1))
    progression = np.tile(progression_by_756 * t / 756.0, (n, 1))
    return dataset(t, relapse_cumulative_hazard=(relapse, "1"), progression_cumulative_hazard=(progression, "1"))


def test_annualized_relapse_rate_is_poisson_with_the_hazard_mean():
    ds = hazards(4000, 0.3, 0.4)
    arr = compute_endpoint("annualized_relapse_rate", {"from_day": 0, "to_day": 672}, ds, EndpointContext(seed=3))
    years = 672 / 365.25
    counts = arr.values * years
    np.testing.assert_allclose(counts, np.round(counts))  # whole relapses per patient
    assert arr.values.mean() == pytest.approx(0.3, abs=0.03)  # standard error ~0.006
    assert counts.var() == pytest.approx(0.3 * years, rel=0.15)  # Poisson: variance = mean


def test_cdp12_fraction_is_one_minus_exp_of_hazard_12_weeks_earlier():
    ds = hazards(4000, 0.3, 0.4)
    cdp = compute_endpoint("cdp12", {"by_day": 840}, ds, EndpointContext(seed=3))
    assert set(np.unique(cdp.values)) <= {0.0, 1.0}
    assert cdp.values.mean() == pytest.approx(1 - math.exp(-0.4), abs=0.03)  # H(840 - 84) = 0.4


def test_random_endpoints_depend_only_on_seed_and_patient_id():
    ds = hazards(100, 1.0, 1.0)
    full = compute_endpoint("annualized_relapse_rate", {"to_day": 672}, ds, EndpointContext(seed=7)).values
    part = compute_endpoint(
        "annualized_relapse_rate", {"to_day": 672}, ds.isel(patient=slice(50, 60)), EndpointContext(seed=7, patient_ids=range(50, 60))
    ).values
    np.testing.assert_array_equal(part, full[50:60])
    other = compute_endpoint("annualized_relapse_rate", {"to_day": 672}, ds, EndpointContext(seed=8)).values
    assert not np.array_equal(full, other)


def test_missing_observable_and_bad_result():
    with pytest.raises(InputError, match="observable: got 'cart_blood'"):
        compute_endpoint("cart_peak_day", None, bcells())
    with pytest.raises(InputError, match="result"):
        compute_endpoint("cart_peak_day", None, {"time": [0, 1]})


def test_values_shape_checked():
    with pytest.raises(InputError, match="one flag per patient"):
        EndpointValues(np.zeros(3), np.zeros(2, dtype=bool))
