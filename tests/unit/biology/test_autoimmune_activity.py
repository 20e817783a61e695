"""Antibody-mediated autoimmune disease activity: the flare hazard and the clinical score against
their closed forms, with the autoantibody and the autoreactive memory set by a test-only probe.

With constant inputs the drive relaxes exponentially, :math:`D(t) = A + (1 - A) e^{-t/\\tau}`
with :math:`A = w_Y Y + (1 - w_Y) a`, so the cumulative flare hazard and the score have closed forms.
"""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import ModelDefinitionError
from cartsim.biology import autoimmune_activity
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity
from cartsim.parameters import DEFAULT_PARAMETERS

YEAR = 365.25
TIMES = np.array([0.0, 5.0, 28.0, 90.0, 365.0, 730.0])
TIGHT = cartsim.SolverOptions(rtol=1e-10, atol=1e-12)

_probe = Module(
    name="autoreactive_probe",
    description="test only: autoantibody and autoreactive memory set by parameters",
    parameters=(Quantity("probe_antibody", "1"), Quantity("probe_memory", "1")),
    provides=(Expression("autoantibody_level", "probe_antibody", "1"), Expression("autoreactive_activity", "probe_memory", "1")),
)
_VALUES = DEFAULT_PARAMETERS.union(
    ParameterSet(
        "probe", (Parameter("probe_antibody", 1.0, "1", "assumption: test"), Parameter("probe_memory", 1.0, "1", "assumption: test"))
    )
)


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.compose((_probe, autoimmune_activity), _VALUES, name="autoimmune-probe")


def _value(name: str) -> float:
    p = DEFAULT_PARAMETERS[name]
    return p.value / YEAR if p.unit == "1/year" else p.value


@pytest.mark.parametrize("antibody, memory", [(1.0, 1.0), (0.0, 0.0), (1.0, 0.0), (0.1, 0.5), (1.5, 1.0)])
def test_flares_and_score_match_the_closed_form(model, antibody, memory):
    ds = cartsim.simulate(model, parameters={"probe_antibody": antibody, "probe_memory": memory}, times=TIMES, solver=TIGHT).dataset
    w_y, tau = _value("drive_antibody_share"), _value("drive_delay")
    target = w_y * antibody + (1 - w_y) * memory
    drive = target + (1 - target) * np.exp(-TIMES / tau)
    integral = target * TIMES + (1 - target) * tau * (1 - np.exp(-TIMES / tau))
    w_b = _value("flare_bcell_share")
    flares = _value("flare_rate_untreated") * ((1 - w_b) * TIMES + w_b * integral)
    score = _value("disease_score_baseline") * (1 - _value("disease_score_bcell_share") * (1 - drive))
    np.testing.assert_allclose(ds["flare_cumulative_hazard"].values[0], flares, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(ds["disease_score"].values[0], score, rtol=1e-7)


def test_untreated_disease_keeps_its_flare_rate_and_score(model):
    ds = cartsim.simulate(model, times=TIMES, solver=TIGHT).dataset
    assert ds["flare_cumulative_hazard"].values[0, -1] / 2.0 == pytest.approx(_value("flare_rate_untreated") * YEAR, rel=1e-3)  # per year
    np.testing.assert_allclose(ds["disease_score"].values[0], _value("disease_score_baseline"), rtol=1e-9)


def test_without_the_lineage_the_module_does_not_build():
    with pytest.raises(ModelDefinitionError, match="autoantibody_level"):
        cartsim.compose((autoimmune_activity,), DEFAULT_PARAMETERS)
