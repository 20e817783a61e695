"""Kaplan-Meier curves, log-rank tests and hazard ratios (cartsim.trial.survival)."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

from cartsim.endpoints.values import EndpointValues
from cartsim.errors import InputError
from cartsim.trial.survival import Comparison, KMCurve, compare_arms, kaplan_meier, km_by_arm, plot_km

matplotlib.use("Agg")


def exponential_arm(rate: float, n: int = 400, censor_day: float = 365.0, seed: int = 0) -> EndpointValues:
    """Exponential event days with administrative censoring at ``censor_day``."""
    days = np.random.default_rng(seed).exponential(1 / rate, n)
    return EndpointValues(np.minimum(days, censor_day), days > censor_day)


def test_median_of_exponential_data_is_within_its_interval() -> None:
    rate = math.log(2) / 120
    arm = exponential_arm(rate, n=500, censor_day=2000, seed=3)
    curve = kaplan_meier(arm.values, ~arm.censored, label="x")
    assert isinstance(curve, KMCurve)
    assert curve.median_lower <= math.log(2) / rate <= curve.median_upper
    assert curve.n == 500 and curve.events == 500 - arm.n_censored
    assert curve.timeline[0] == 0 and curve.survival[0] == 1
    assert np.all(np.diff(curve.survival) <= 0)
    assert np.all(curve.lower <= curve.survival + 1e-12) and np.all(curve.survival <= curve.upper + 1e-12)


def test_small_example_steps() -> None:
    curve = kaplan_meier([1.0, 2.0, 3.0, 4.0], [True, True, False, True])
    np.testing.assert_allclose(curve.timeline, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(curve.survival, [1, 3 / 4, 1 / 2, 1 / 2, 0])
    np.testing.assert_allclose(curve.censor_times, [3.0])
    np.testing.assert_allclose(curve.at([0.5, 1.0, 3.5, 10]), [1, 3 / 4, 1 / 2, 0])


def test_nan_values_are_dropped_and_counted() -> None:
    curve = kaplan_meier([5.0, np.nan, 7.0, np.nan], [True, True, False, False])
    assert (curve.n, curve.dropped, curve.events) == (2, 2, 1)


def test_all_censored_curve_stays_at_one() -> None:
    curve = kaplan_meier([10.0, 20.0, 30.0], [False, False, False])
    assert curve.events == 0
    assert np.all(curve.survival == 1) and np.all(np.isfinite(curve.lower))
    assert math.isinf(curve.median)


@pytest.mark.parametrize(
    ("times", "events"),
    [([1.0, -2.0], [True, True]), ([1.0, np.inf], [True, False]), ([np.nan, np.nan], [True, False]), ([1.0, 2.0], [True]), ([1.0], [2])],
)
def test_bad_input_raises(times: list[float], events: list[object]) -> None:
    with pytest.raises(InputError):
        kaplan_meier(times, events)


def test_km_by_arm_labels_each_curve() -> None:
    curves = km_by_arm({"CAR-T": exponential_arm(0.01, seed=1), "ocrelizumab": exponential_arm(0.02, seed=2)})
    assert list(curves) == ["CAR-T", "ocrelizumab"]
    assert curves["CAR-T"].label == "CAR-T"
    assert curves["CAR-T"].median > curves["ocrelizumab"].median


def test_different_arms_have_small_p_and_hazard_ratio_of_the_rates() -> None:
    rate_a, rate_b = 0.01, 0.005
    result = compare_arms(exponential_arm(rate_a, n=600, seed=4), exponential_arm(rate_b, n=600, seed=5), "a", "b")
    assert isinstance(result, Comparison) and result.reason is None
    assert result.p_value < 1e-6
    assert result.hr_lower <= rate_b / rate_a <= result.hr_upper
    assert result.hazard_ratio == pytest.approx(rate_b / rate_a, rel=0.15)


def test_identical_arms_have_large_p_and_unit_hazard_ratio() -> None:
    arm = exponential_arm(0.01, seed=6)
    result = compare_arms(arm, arm)
    assert result.p_value > 0.99
    assert result.hazard_ratio == pytest.approx(1.0, abs=1e-6)
    same_distribution = compare_arms(exponential_arm(0.01, seed=7), exponential_arm(0.01, seed=8))
    assert same_distribution.p_value > 0.05
    assert same_distribution.hr_lower <= 1 <= same_distribution.hr_upper


def test_arm_without_events_has_no_hazard_ratio() -> None:
    none = EndpointValues(np.full(50, 365.0), np.ones(50, dtype=bool))
    result = compare_arms(exponential_arm(0.01, n=50, seed=9), none, "ocrelizumab", "CAR-T")
    assert result.events_b == 0 and result.p_value < 0.05
    assert math.isnan(result.hazard_ratio) and math.isnan(result.hr_lower) and math.isnan(result.hr_upper)
    assert "CAR-T" in (result.reason or "")


def test_all_censored_gives_no_test() -> None:
    none = EndpointValues(np.full(20, 100.0), np.ones(20, dtype=bool))
    result = compare_arms(none, none)
    assert math.isnan(result.p_value) and math.isnan(result.statistic) and math.isnan(result.hazard_ratio)
    assert "censored" in (result.reason or "")


def test_nan_patients_are_dropped_with_a_count() -> None:
    arm = exponential_arm(0.01, n=100, seed=10)
    values = arm.values.copy()
    values[:7] = np.nan
    result = compare_arms(EndpointValues(values, arm.censored), exponential_arm(0.01, n=100, seed=11))
    assert (result.n_a, result.dropped_a, result.n_b, result.dropped_b) == (93, 7, 100, 0)


def test_compare_arms_rejects_other_inputs() -> None:
    with pytest.raises(InputError):
        compare_arms([1.0, 2.0], exponential_arm(0.01))  # type: ignore[arg-type]


def test_plot_km_draws_each_arm() -> None:
    import matplotlib.pyplot as plt

    curves = km_by_arm({"a": exponential_arm(0.01, n=60, seed=12), "b": exponential_arm(0.004, n=60, seed=13)})
    ax = plot_km(curves)
    assert ax.get_xlabel() == "days"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[0].startswith("a (n=60") and labels[1].startswith("b (n=60")
    assert len(ax.collections) == 2  # one band per arm
    plt.close(ax.figure)
    fig, ax = plt.subplots()
    assert plot_km(list(curves.values()), ax=ax, ci=False, censor_ticks=False) is ax
    assert len(ax.collections) == 0
    plt.close(fig)


def test_a_hazard_ratio_is_shown_only_where_hazards_are_proportional():
    rng = np.random.default_rng(1)
    horizon = 1000.0

    def arm(times):
        censored = times > horizon
        return EndpointValues(np.minimum(times, horizon), censored)

    proportional = compare_arms(arm(rng.exponential(200.0, 400)), arm(rng.exponential(400.0, 400)), "a", "b", horizon=horizon)
    assert proportional.proportional and proportional.record()["hazard_ratio"] == pytest.approx(0.5, rel=0.25)
    # crossing hazards: early events in one arm, late ones in the other
    early, late = rng.uniform(0.0, 200.0, 400), rng.uniform(300.0, 600.0, 400)
    crossing = compare_arms(arm(np.where(rng.random(400) < 0.5, early, late)), arm(rng.exponential(350.0, 400)), "a", "b", horizon=horizon)
    row = crossing.record()
    assert crossing.ph_p < 0.05 and np.isnan(row["hazard_ratio"]) and "not proportional" in row["reason"]
    assert np.isfinite(row["rmst_difference"]) and row["rmst_lower"] < row["rmst_difference"] < row["rmst_upper"]
