"""B-cell lineage: the initial state is the untreated steady state at the patient's own blood
count, whatever the parameters; about 30 % of blood B cells are memory cells; after depletion
the B cells that come back are naive (memory is rebuilt over a year or more); anti-CD20 spares
the CD20-negative marrow precursors, a CD19 CAR-T kills them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import bcell_lineage, cart_kinetics, lymphodepletion, ocrelizumab_pkpd, physiology
from cartsim.parameters import DEFAULT_PARAMETERS

TIGHT = SolverOptions(rtol=1e-10, atol=1e-12)
TIMES = np.arange(0.0, 731.0, 1.0)
BASELINE = DEFAULT_PARAMETERS["bcell_blood_baseline"].value
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=5.0))
OCRELIZUMAB = Regimen.of(Dose("ocrelizumab_iv", "600 mg", day=0.0, duration="3.5 h"))


@pytest.fixture(scope="module")
def alone() -> cartsim.Model:
    return cartsim.compose((bcell_lineage,), DEFAULT_PARAMETERS, name="unit-bcells")


@pytest.fixture(scope="module")
def anti_cd20() -> cartsim.Model:
    return cartsim.compose((bcell_lineage, ocrelizumab_pkpd), DEFAULT_PARAMETERS, name="unit-bcells-ocrelizumab")


@pytest.fixture(scope="module")
def cart_model() -> cartsim.Model:
    return cartsim.compose((physiology, lymphodepletion, cart_kinetics, bcell_lineage), DEFAULT_PARAMETERS, name="unit-cart-bcells")


@pytest.fixture(scope="module")
def cart(cart_model) -> cartsim.Simulation:
    return simulate(cart_model, LD + CAR, times=TIMES, include_states=True, solver=TIGHT)


@pytest.fixture(scope="module")
def ocrelizumab(anti_cd20) -> cartsim.Simulation:
    return simulate(anti_cd20, OCRELIZUMAB, times=TIMES, include_states=True, solver=TIGHT)


@given(
    baseline=st.floats(1.0, 5000.0),
    blood_share=st.floats(0.005, 0.2),
    tissue_exit=st.floats(0.1, 5.0),
    naive_loss=st.floats(0.001, 0.02),
    memory_loss=st.floats(0.005, 0.1),
    self_renewal=st.floats(0.0, 0.99),
    to_memory=st.floats(1e-4, 1e-2),
    maturation=st.floats(0.05, 1.0),
)
def test_untreated_steady_state_at_the_baseline_count(
    alone, baseline, blood_share, tissue_exit, naive_loss, memory_loss, self_renewal, to_memory, maturation
):
    parameters = {
        "bcell_blood_baseline": baseline,
        "bcell_blood_share": blood_share,
        "bcell_tissue_exit": tissue_exit,
        "bcell_naive_loss": naive_loss,
        "bcell_memory_loss": memory_loss,
        "bcell_memory_self_renewal": self_renewal,
        "bcell_naive_to_memory": to_memory,
        "bcell_maturation": maturation,
    }
    result = simulate(alone, Regimen(), parameters, times=[0.0, 30.0, 365.0, 730.0], include_states=True, solver=TIGHT)
    np.testing.assert_allclose(result["bcells_blood"].values, baseline, rtol=1e-7)
    for name in alone.state_names:
        values = result[name].values[0]
        np.testing.assert_allclose(values, values[0], rtol=1e-7, atol=1e-9 * baseline, err_msg=name)
    # the blood holds its share of the naive B cells
    naive_blood, naive_tissue = result["b_naive_blood"].values[0, 0], result["b_naive_tissue"].values[0, 0]
    assert naive_blood / (naive_blood + naive_tissue) == pytest.approx(blood_share, rel=1e-9)


@pytest.mark.parametrize("baseline", [30.0, 150.0, 330.0, 800.0])
def test_about_30_percent_of_blood_b_cells_are_memory(alone, baseline):
    result = simulate(alone, Regimen(), {"bcell_blood_baseline": baseline}, times=[0.0])
    share = result["bcells_memory_blood"].values[0, 0] / result["bcells_blood"].values[0, 0]
    assert share == pytest.approx(0.30, abs=0.02)
    assert result["memory_bcells_relative"].values[0, 0] == pytest.approx(1.0)


def _return_day(blood: np.ndarray, fraction: float) -> int:
    """First day after the nadir on which blood B cells are back to ``fraction`` of baseline."""
    nadir = int(np.argmin(blood))
    return nadir + int(np.argmax(blood[nadir:] >= fraction * BASELINE))


@pytest.mark.parametrize("therapy", ["cart", "ocrelizumab"])
def test_returning_b_cells_are_mostly_naive(therapy, request):
    result = request.getfixturevalue(therapy)
    blood = result["bcells_blood"].values[0]
    memory_share = result["bcells_memory_blood"].values[0] / blood
    assert blood.min() < 0.05 * BASELINE
    back = _return_day(blood, 0.2)
    assert back > int(np.argmin(blood)), "B cells do return within two years"
    assert memory_share[back] < 0.1, "returning cells come from precursors, as naive cells"
    # memory is rebuilt slowly, towards its steady-state share
    assert memory_share[back] < memory_share[-1] < 0.3


def test_anti_cd20_spares_precursors(ocrelizumab):
    precursors = ocrelizumab["bcell_precursors"].values[0]
    np.testing.assert_allclose(precursors, precursors[0], rtol=1e-9)
    assert ocrelizumab["bcells_blood"].values[0, 30] < 0.05 * BASELINE


def test_cd19_car_t_kills_precursors(cart_model, cart):
    chemo_only = simulate(cart_model, LD, times=TIMES, include_states=True, solver=TIGHT)
    with_car, without = cart["bcell_precursors"].values[0], chemo_only["bcell_precursors"].values[0]
    steady = with_car[0]
    assert without[4] == pytest.approx(with_car[4], rel=1e-9), "same chemotherapy before the infusion"
    assert with_car[30] < 0.5 * without[30]
    assert with_car[30] < 0.5 * steady
    assert with_car.min() < 0.5 * without.min()


def test_cns_b_cells_are_reseeded_from_the_periphery_slowly(anti_cd20):
    # With no killing in the CNS itself (antibody kept out), both CNS pools are reseeded from the
    # periphery: mobile CSF B cells follow memory B cells, compartmentalised ones the autoreactive
    # clones, each at its own turnover rate.
    result = simulate(anti_cd20, OCRELIZUMAB, {"antibody_cns_ratio": 0.0}, times=TIMES, include_states=True, solver=TIGHT)
    mobile, resident = result["b_cns"].values[0], result["b_cns_resident"].values[0]
    memory = result["memory_bcells_relative"].values[0]
    autoreactive = result["autoreactive_memory_relative"].values[0]
    assert memory[30] < 1e-3 and autoreactive[30] < 1e-3
    for pool, source, turnover in (
        (mobile, memory, DEFAULT_PARAMETERS["bcell_cns_turnover"].value),
        (resident, autoreactive, DEFAULT_PARAMETERS["bcell_cns_resident_turnover"].value),
    ):
        assert pool[30] == pytest.approx(np.exp(-turnover * 30.0), rel=0.01)  # source ~0: pure exponential loss
        assert np.all(pool >= np.exp(-turnover * TIMES) * (1 - 1e-9))
        assert np.all((pool >= 0.0) & (pool <= 1.0 + 1e-9))
        assert pool[-1] < source[-1], "and lag behind as their source returns"
    share = DEFAULT_PARAMETERS["bcell_cns_resident_share"].value
    np.testing.assert_allclose(result["bcells_cns"].values[0], (1 - share) * mobile + share * resident, rtol=1e-12)


def test_antibody_in_the_csf_reaches_compartmentalised_b_cells_only_in_part(anti_cd20):
    result = simulate(anti_cd20, OCRELIZUMAB, times=TIMES, include_states=True, solver=TIGHT)
    kept_out = simulate(anti_cd20, OCRELIZUMAB, {"antibody_cns_ratio": 0.0}, times=TIMES, include_states=True, solver=TIGHT)
    no_access = simulate(
        anti_cd20, OCRELIZUMAB, {"bcell_cns_resident_antibody_access": 0.0}, times=TIMES, include_states=True, solver=TIGHT
    )
    assert result["b_cns"].values[0, 30] < kept_out["b_cns"].values[0, 30], "CSF antibody kills mobile B cells"
    assert result["b_cns_resident"].values[0, 30] < kept_out["b_cns_resident"].values[0, 30]
    np.testing.assert_allclose(no_access["b_cns_resident"].values[0], kept_out["b_cns_resident"].values[0], rtol=1e-6)


# -- the immune reset (hypothesis) -----------------------------------------------------------
def _autoreactive(model: cartsim.Model, regimen: Regimen, **parameters: float) -> cartsim.Simulation:
    return simulate(model, regimen, parameters, times=TIMES, include_states=True, solver=TIGHT)


def test_reset_none_is_memory_in_general_and_stronger_resets_bring_less_back(cart_model):
    runs = {s: _autoreactive(cart_model, LD + CAR, reset_strength=s) for s in (0.0, 0.9, 1.0)}
    memory = runs[0.0]["memory_bcells_relative"].values[0]
    np.testing.assert_allclose(runs[0.0]["autoreactive_memory_relative"].values[0], memory, rtol=1e-6, atol=1e-9)
    for run in runs.values():  # the hypothesis changes the autoreactive share only
        np.testing.assert_allclose(run["memory_bcells_relative"].values[0], memory, rtol=1e-6, atol=1e-9)
    back = {s: run["autoreactive_memory_relative"].values[0, 730] for s, run in runs.items()}
    assert back[0.0] > 0.3 and back[0.9] == pytest.approx(0.1 * back[0.0], rel=0.05) and back[1.0] < 1e-6


def test_anti_cd20_leaves_follicular_clones_that_a_car_t_clears(cart_model, anti_cd20):
    antibody = _autoreactive(anti_cd20, OCRELIZUMAB, reset_strength=1.0)
    car_t = _autoreactive(cart_model, LD + CAR, reset_strength=1.0)
    follicles = antibody["autoreactive_follicular_relative"].values[0]
    assert antibody["autoreactive_memory_relative"].values[0, 30:120].max() < 1e-3, "recirculating clones are depleted"
    assert follicles.min() > 0.2, "the follicles keep clones (Kamburova2013, Tur2024)"
    assert antibody["autoreactive_memory_relative"].values[0, 730] > 0.5, "which re-seed the periphery once the drug is gone"
    assert car_t["autoreactive_clone_cells"].values[0].min() < 1.0, "a CAR-T leaves less than one clonal cell (Tur2024)"
    assert car_t["autoreactive_memory_relative"].values[0, 730] < 1e-6
    # The difference is the antibodies' access to follicles: with full access they clear them too.
    full_access = _autoreactive(anti_cd20, OCRELIZUMAB, reset_strength=1.0, follicular_antibody_access=1.0)
    assert full_access["autoreactive_follicular_relative"].values[0].min() < 1e-3


def test_clones_thinned_below_one_cell_do_not_re_expand(anti_cd20):
    many = _autoreactive(anti_cd20, OCRELIZUMAB, reset_strength=1.0, autoreactive_memory_clones=1e7)
    few = _autoreactive(anti_cd20, OCRELIZUMAB, reset_strength=1.0, autoreactive_memory_clones=3.0)
    assert few["autoreactive_clone_cells"].values[0].min() < 1.0 < many["autoreactive_clone_cells"].values[0].min()
    assert few["autoreactive_memory_relative"].values[0, 730] < 0.5 * many["autoreactive_memory_relative"].values[0, 730]
