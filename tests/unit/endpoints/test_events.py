"""Clinical events drawn from cumulative hazards: one set of events per patient and process,
so endpoints of the same process agree with each other and windows add up."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from cartsim.endpoints import EndpointContext, compute_endpoint

T = np.arange(0.0, 1101.0)
N = 3000
CONTEXT = EndpointContext(seed=11)


def _hazards(**per_year: float) -> xr.Dataset:
    """Linear cumulative hazards (events per year), the same for every patient, plus an EDSS step of 0.5."""
    variables = {name: (("patient", "time"), np.tile(rate * T / 365.25, (N, 1)), {"units": "1"}) for name, rate in per_year.items()}
    variables["edss_step"] = (("patient", "time"), np.full((N, T.size), 0.5), {"units": "1"})
    variables["status"] = (("patient",), np.zeros(N, dtype=int))
    return xr.Dataset(variables, coords={"patient": np.arange(N), "time": T})


def _values(name: str, options: dict, ds: xr.Dataset) -> np.ndarray:
    return compute_endpoint(name, options, ds, CONTEXT).values


def test_flare_counts_in_adjacent_windows_add_up_to_the_whole():
    ds = _hazards(flare_cumulative_hazard=0.8)
    per_year = {
        (a, b): _values("annualized_flare_rate", {"from_day": a, "to_day": b}, ds) * (b - a) / 365.25
        for a, b in ((0, 365), (365, 1095), (0, 1095))
    }
    counts = {k: np.round(v) for k, v in per_year.items()}
    np.testing.assert_array_equal(counts[(0, 365)] + counts[(365, 1095)], counts[(0, 1095)])
    assert counts[(0, 1095)].mean() == pytest.approx(0.8 * 1095 / 365.25, rel=0.05)
    assert counts[(0, 1095)].var() == pytest.approx(counts[(0, 1095)].mean(), rel=0.15)  # Poisson


def test_flare_free_and_first_flare_day_tell_the_same_story():
    ds = _hazards(flare_cumulative_hazard=0.5)
    free = _values("flare_free", {"by_day": 730}, ds)
    first = compute_endpoint("first_flare_day", {}, ds, CONTEXT)
    np.testing.assert_array_equal(free == 1.0, first.values > 730)
    assert free.mean() == pytest.approx(math.exp(-0.5 * 730 / 365.25), abs=0.03)
    later = _values("flare_free", {"from_day": 365, "by_day": 730}, ds)
    assert np.all(later >= free), "flare-free over two years means flare-free in the second"


def test_pira_and_24_week_confirmation_imply_12_week_confirmation():
    ds = _hazards(progression_cumulative_hazard=0.3, progression24_cumulative_hazard=0.285, pira_cumulative_hazard=0.2)
    cdp12, cdp24, pira = (_values(name, {"by_day": 1092}, ds) for name in ("cdp12", "cdp24", "pira"))
    assert np.all(cdp24 <= cdp12) and np.all(pira <= cdp12)
    assert cdp24.mean() == pytest.approx(1 - math.exp(-0.285 * (1092 - 168) / 365.25), abs=0.03)
    assert pira.mean() == pytest.approx(1 - math.exp(-0.2 * (1092 - 84) / 365.25), abs=0.03)
    edss = _values("edss_change", {"by_day": 1092}, ds)
    np.testing.assert_array_equal(edss > 0, cdp12 == 1.0)  # the first confirmed progression moves the EDSS
    np.testing.assert_allclose(edss / 0.5, np.round(edss / 0.5))  # whole steps of the patient's EDSS step
    assert edss.mean() == pytest.approx(0.5 * 0.3 * (1092 - 84) / 365.25, rel=0.08)


def test_serious_infections_are_one_set_of_events():
    ds = _hazards(infection_cumulative_hazard=0.3)
    rate = _values("serious_infection_rate", {"to_day": 730}, ds)
    any_infection = _values("serious_infection", {"by_day": 730}, ds)
    np.testing.assert_array_equal(any_infection == 1.0, rate > 0)
    assert rate.mean() == pytest.approx(30.0, rel=0.08)  # per 100 patient-years
    assert any_infection.mean() == pytest.approx(1 - math.exp(-0.3 * 730 / 365.25), abs=0.03)


def test_severe_neutropenia_days_count_the_time_below_the_level():
    anc = np.where((T >= 5) & (T < 14), 200.0, 3000.0)  # nine days below 500
    ds = xr.Dataset(
        {"anc": (("patient", "time"), np.tile(anc, (2, 1)), {"units": "cells/uL"}), "status": (("patient",), np.array([0, 1]))},
        coords={"patient": [0, 1], "time": T},
    )
    days = compute_endpoint("severe_neutropenia_days", {"to_day": 60}, ds, CONTEXT).values
    assert days[0] == pytest.approx(9.0, abs=1.0) and np.isnan(days[1])  # a failed solve has no value
    fewer = compute_endpoint("severe_neutropenia_days", {"to_day": 60, "level": "0.1e6 cells/mL"}, ds, CONTEXT).values
    assert fewer[0] == 0.0  # 100 cells/uL: never below
