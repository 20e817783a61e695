"""Relapses and disability progression on ocrelizumab, interferon beta-1a and placebo.

- Hauser SL, Bar-Or A, Comi G, et al. Ocrelizumab versus interferon beta-1a in relapsing
  multiple sclerosis. N Engl J Med 2017;376:221-234. doi:10.1056/NEJMoa1601277 (OPERA I/II)
- Montalban X, Hauser SL, Kappos L, et al. Ocrelizumab versus placebo in primary progressive
  multiple sclerosis. N Engl J Med 2017;376:209-220. doi:10.1056/NEJMoa1606468 (ORATORIO)

The MS activity module was calibrated to these numbers (``cartsim.parameters.Hauser2017``,
``Montalban2017``), so this file checks that the calibration holds in the combined model
(B-cell lineage, ocrelizumab PK/PD, MS activity) as the other modules evolve. It uses the
*expected* endpoints, which need no event draws: the annualised relapse rate is
:math:`(H_R(672) - H_R(0)) / (672/365.25)` and the probability of 12-week confirmed
progression by day :math:`T` is :math:`1 - e^{-H_P(T - 84)}`, averaged over virtual
patients. Ocrelizumab acts only through B-cell depletion; the interferon arm sets
``interferon_on = 1`` and gets no drug.
"""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen
from cartsim.biology import FIRST_MODEL_MODULES
from cartsim.biology.ms_activity import ms_activity
from cartsim.parameters import DEFAULT_PARAMETERS
from cartsim.parameters.MSActivity import MS_TYPE_PARAMETER_SETS, MSActivity
from cartsim.population import sample_parameters

PATIENTS = 400
YEAR = 365.25
CONFIRMATION = 84.0


def _ocrelizumab(maintenance_doses: int) -> Regimen:
    return Regimen.of(
        Dose("ocrelizumab_iv", "300 mg", day=0, duration="2.5 h"),
        Dose("ocrelizumab_iv", "300 mg", day=14, duration="2.5 h"),
        Dose("ocrelizumab_iv", "600 mg", day=168, duration="3.5 h", every_days=168, count=maintenance_doses),
    )


def _model(ms_type: str) -> cartsim.Model:
    modules = tuple(m for m in FIRST_MODEL_MODULES if m.name != ms_activity.name) + (ms_activity,)
    # Works before and after the MS parameters join the defaults.
    base = DEFAULT_PARAMETERS if "ms_relapse_rate" in DEFAULT_PARAMETERS else DEFAULT_PARAMETERS.union(MSActivity)
    return cartsim.compose(modules, base.replace(MS_TYPE_PARAMETER_SETS[ms_type].parameters), name=f"ms-{ms_type}")


def _arm(ms_type: str, regimen: Regimen, interferon: bool, by_day: float, horizon: float) -> dict[str, float]:
    model = _model(ms_type)
    parameters = sample_parameters(model, PATIENTS, seed=1)
    parameters["interferon_on"] = np.full(PATIENTS, 1.0 if interferon else 0.0)
    scans = [168.0, 336.0, 672.0]  # OPERA's MRI visits, weeks 24, 48 and 96
    times = np.array(sorted({0.0, *scans, by_day - CONFIRMATION, horizon}))
    ds = cartsim.simulate(model, regimen, parameters, times=times).dataset
    assert np.all(ds.status.values == 0)
    relapses = ds.relapse_cumulative_hazard.sel(time=horizon) - ds.relapse_cumulative_hazard.sel(time=0.0)
    progression = ds.progression_cumulative_hazard.sel(time=by_day - CONFIRMATION)
    return {
        "arr": float(relapses.mean()) / (horizon / YEAR),
        "cdp12": float((1.0 - np.exp(-progression)).mean()),
        "gd": float(ds.gd_lesion_rate.sel(time=scans).mean()),
    }


@pytest.fixture(scope="module")
def opera() -> dict[str, dict[str, float]]:
    return {
        "ocrelizumab": _arm("rrms", _ocrelizumab(3), interferon=False, by_day=672.0, horizon=672.0),
        "interferon": _arm("rrms", Regimen(), interferon=True, by_day=672.0, horizon=672.0),
    }


@pytest.fixture(scope="module")
def oratorio() -> dict[str, dict[str, float]]:
    return {
        "ocrelizumab": _arm("ppms", _ocrelizumab(4), interferon=False, by_day=840.0, horizon=840.0),
        "placebo": _arm("ppms", Regimen(), interferon=False, by_day=840.0, horizon=840.0),
    }


# (arm, endpoint, observed, accept) from data/targets/calibration.toml
OPERA_TARGETS = [
    ("ocrelizumab", "arr", 0.16, (0.12, 0.20)),
    ("interferon", "arr", 0.29, (0.23, 0.35)),
    ("ocrelizumab", "cdp12", 0.091, (0.06, 0.12)),
    ("interferon", "cdp12", 0.136, (0.10, 0.17)),
]
ORATORIO_TARGETS = [
    ("placebo", "cdp12", 0.393, (0.34, 0.44)),
    ("ocrelizumab", "cdp12", 0.329, (0.28, 0.38)),
]


@pytest.mark.parametrize(("arm", "endpoint", "observed", "accept"), OPERA_TARGETS)
def test_opera_expected_endpoints_fall_in_the_accept_range(opera, arm, endpoint, observed, accept):
    simulated = opera[arm][endpoint]
    assert accept[0] <= simulated <= accept[1], f"OPERA {arm} {endpoint}: {simulated:.3f}, observed {observed}"


@pytest.mark.parametrize(("arm", "endpoint", "observed", "accept"), ORATORIO_TARGETS)
def test_oratorio_expected_endpoints_fall_in_the_accept_range(oratorio, arm, endpoint, observed, accept):
    simulated = oratorio[arm][endpoint]
    assert accept[0] <= simulated <= accept[1], f"ORATORIO {arm} {endpoint}: {simulated:.3f}, observed {observed}"


def test_opera_relapse_rate_ratio(opera):
    # OPERA I/II: 46 % and 47 % fewer relapses on ocrelizumab (rate ratio 0.54 and 0.53).
    ratio = opera["ocrelizumab"]["arr"] / opera["interferon"]["arr"]
    assert ratio == pytest.approx(0.55, abs=0.05)


def test_opera_gd_lesions(opera):
    # 0.02 Gd+ lesions per scan on ocrelizumab versus 0.29 (OPERA I) and 0.42 (OPERA II) on interferon.
    assert 0.29 <= opera["interferon"]["gd"] <= 0.42
    assert opera["ocrelizumab"]["gd"] == pytest.approx(0.02, abs=0.01)
    assert 0.03 <= opera["ocrelizumab"]["gd"] / opera["interferon"]["gd"] <= 0.08  # -94 % and -95 %
