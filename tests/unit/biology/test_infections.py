"""Serious infections and neutrophils: the infection hazard against its closed form with the
defects set by a probe; neutrophils at steady state without chemotherapy, and a nadir and
recovery after Flu/Cy (Friberg transit model)."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen
from cartsim.biology import infections, lymphodepletion, neutrophils, physiology
from cartsim.model import Expression, Module, Parameter, ParameterSet, Quantity
from cartsim.parameters import DEFAULT_PARAMETERS

YEAR = 365.25
TIMES = np.arange(0.0, 61.0)
TIGHT = cartsim.SolverOptions(rtol=1e-10, atol=1e-12)
_DEFECTS = ("neutropenia", "igg_deficit", "t_cell_deficit", "bcell_deficit")
_FACTORS = ("infection_neutropenia_factor", "infection_low_igg_factor", "infection_lymphopenia_factor", "infection_bcell_factor")

_probe = Module(
    name="defects_probe",
    description="test only: host-defence defects set by parameters",
    parameters=tuple(Quantity(f"probe_{d}", "1") for d in _DEFECTS),
    provides=tuple(Expression(d, f"probe_{d}", "1") for d in _DEFECTS),
)
_VALUES = DEFAULT_PARAMETERS.union(ParameterSet("probe", tuple(Parameter(f"probe_{d}", 0.0, "1", "assumption: test") for d in _DEFECTS)))
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 500))
        for i in range(3)
    )
)


@pytest.fixture(scope="module")
def probe_model() -> cartsim.Model:
    return cartsim.compose((_probe, infections), _VALUES, name="infections-probe")


@pytest.fixture(scope="module")
def marrow_model() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion, neutrophils, infections), DEFAULT_PARAMETERS, name="marrow")


@pytest.mark.parametrize("defects", [(0, 0, 0, 0), (1, 0, 0, 0), (0, 0.5, 0, 0), (0, 0, 1, 1), (0.3, 0.2, 0.9, 1)])
def test_the_hazard_is_the_baseline_rate_raised_by_each_defect(probe_model, defects):
    values = dict(zip((f"probe_{d}" for d in _DEFECTS), defects, strict=True))
    ds = cartsim.simulate(probe_model, parameters=values, times=TIMES, solver=TIGHT).dataset
    p = {n: DEFAULT_PARAMETERS[n].value for n in (*_FACTORS, "infection_rate_baseline")}
    rate = p["infection_rate_baseline"] / YEAR * (1 + sum(p[f] * x for f, x in zip(_FACTORS, defects, strict=True)))
    np.testing.assert_allclose(ds["infection_cumulative_hazard"].values[0], rate * TIMES, rtol=1e-8, atol=1e-14)


def test_neutrophils_stay_at_baseline_without_chemotherapy(marrow_model):
    ds = cartsim.simulate(marrow_model, times=TIMES, solver=TIGHT).dataset
    np.testing.assert_allclose(ds["anc"].values[0], DEFAULT_PARAMETERS["anc_baseline"].value, rtol=1e-9)


def test_flu_cy_gives_a_nadir_then_recovery_and_infections_while_neutropenic(marrow_model):
    with_ld = cartsim.simulate(marrow_model, LD, times=TIMES, solver=TIGHT).dataset
    without = cartsim.simulate(marrow_model, times=TIMES, solver=TIGHT).dataset
    anc = with_ld["anc"].values[0]
    nadir = int(np.argmin(anc))
    assert 5 <= nadir <= 14, "the nadir comes one to two weeks after chemotherapy (transit time ~5 days)"
    assert anc[nadir] < 500 and anc[-1] > 1500, "grade 4 neutropenia, then recovery"
    days_below = int(np.sum(anc < 500))
    assert 4 <= days_below <= 14
    hazard = with_ld["infection_cumulative_hazard"].values[0, -1] / without["infection_cumulative_hazard"].values[0, -1]
    assert hazard > 5, "severe neutropenia and T-cell depletion multiply the serious-infection hazard"
