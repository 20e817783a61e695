"""Statistics over virtual patients: known values, censoring, NaN handling, reproducible intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cartsim import InputError
from cartsim.validation import Statistic, bootstrap, interval, parse_statistic, summarise

VALUES = np.array([1.0, 2.0, 3.0, 4.0, np.nan, 10.0])
NONE = np.zeros(VALUES.size, dtype=bool)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mean", 4.0),
        ("median", 3.0),
        ("sd", float(np.std([1, 2, 3, 4, 10], ddof=1))),
        ("quantile:0.25", 2.0),
        ("fraction_ge:3", 0.6),
        ("fraction_le:3", 0.6),
    ],
)
def test_known_values_ignore_nan(text, expected):
    assert summarise(parse_statistic(text), VALUES, NONE) == pytest.approx(expected)


def test_fraction_of_booleans():
    assert summarise(parse_statistic("fraction"), np.array([1.0, 0.0, 1.0, np.nan]), np.zeros(4, bool)) == pytest.approx(2 / 3)


def test_censored_event_counts_as_never_happening():
    days = np.array([10.0, 20.0, 365.0, 365.0])  # the last two censored at the horizon
    censored = np.array([False, False, True, True])
    assert summarise(parse_statistic("fraction_le:400"), days, censored) == 0.5
    assert summarise(parse_statistic("fraction_ge:400"), days, censored) == 0.5
    assert summarise(parse_statistic("mean"), days, censored) == pytest.approx(190)  # censored at the horizon


def test_all_nan_is_nan():
    for text in ("mean", "median", "sd", "quantile:0.5", "fraction", "fraction_ge:1"):
        assert np.isnan(summarise(parse_statistic(text), np.full(3, np.nan), np.zeros(3, bool)))


def test_parse_and_text_round_trip():
    for text in ("mean", "median", "sd", "quantile:0.9", "fraction", "fraction_ge:1", "fraction_le:-2.5", "ratio_to:opera-arr-interferon"):
        assert parse_statistic(text).text == text
    assert parse_statistic("quantile:0.9") == Statistic("quantile", 0.9)


@pytest.mark.parametrize(
    "text", ["average", "quantile", "quantile:0", "quantile:1", "quantile:nan", "fraction_ge:", "fraction_ge:inf", "ratio_to:", 3, "mean:1"]
)
def test_bad_statistics(text):
    with pytest.raises(InputError, match="statistic"):
        parse_statistic(text)


def test_bootstrap_is_reproducible_and_covers_the_mean():
    values = np.random.default_rng(0).normal(10, 2, 500)
    censored = np.zeros(500, bool)
    a = bootstrap(parse_statistic("mean"), values, censored, seed=5)
    b = bootstrap(parse_statistic("mean"), values, censored, seed=5)
    np.testing.assert_array_equal(a, b)
    low, high = interval(a)
    assert low < values.mean() < high
    assert high - low == pytest.approx(2 * 1.96 * 2 / np.sqrt(500), rel=0.25)
    assert not np.array_equal(a, bootstrap(parse_statistic("mean"), values, censored, seed=6))


def test_interval_collapses_when_patients_agree_and_is_none_without_values():
    assert interval(bootstrap(parse_statistic("fraction"), np.zeros(50), np.zeros(50, bool), seed=1)) == (0.0, 0.0)
    assert interval(np.full(10, np.nan)) is None


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40), st.floats(0.01, 0.99))
def test_quantile_between_min_and_max(values, q):
    array = np.array(values)
    result = summarise(Statistic("quantile", q), array, np.zeros(array.size, bool))
    assert array.min() <= result <= array.max()


def test_a_median_that_most_patients_do_not_reach_is_not_reached_as_kaplan_meier_says():
    from lifelines import KaplanMeierFitter

    from cartsim.validation.statistics import Statistic, bootstrap, interval, summarise

    horizon = 1095.0
    rng = np.random.default_rng(3)
    for share_events in (0.2, 0.45, 0.7):
        events = rng.exponential(400.0, 300)
        censored = rng.random(300) > share_events
        times = np.where(censored | (events > horizon), horizon, np.minimum(events, horizon))
        censored = censored | (events > horizon)
        simulated = summarise(Statistic("median"), times, censored, event_times=True)
        fitter = KaplanMeierFitter().fit(times, event_observed=~censored)
        kaplan_meier = fitter.median_survival_time_
        assert simulated == kaplan_meier or (np.isinf(simulated) and np.isinf(kaplan_meier))
    low_high = interval(bootstrap(Statistic("median"), np.full(10, horizon), np.ones(10, bool), 1, event_times=True))
    assert low_high is None  # nobody had the event: no interval, and the median is not reached
    assert np.isinf(summarise(Statistic("median"), np.full(10, horizon), np.ones(10, bool), event_times=True))
