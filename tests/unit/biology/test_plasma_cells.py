"""Plasma cells and antibodies: untreated steady state; a CD19 CAR-T removes plasmablasts and
CD19+ marrow plasma cells but spares CD19- long-lived plasma cells (Mei2015), so protective
IgG holds while the autoantibody falls; IgG clearance follows the FcRn salvage model of
Kim2007, so IgG never falls faster than its baseline half-life allows and falls less than
its production; a BCMA product removes every plasma cell.

Scenario: Flu 30 / Cy 300 mg/m**2 on days 0-2, 1e6 CAR T cells/kg on day 5, typical patient."""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions
from cartsim.parameters import DEFAULT_PARAMETERS
from tests.conftest import solved

TIGHT = SolverOptions(rtol=1e-9, atol=1e-12)
TIMES = np.arange(0.0, 731.0, 1.0)
LD = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)
CAR = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=5.0))
P = {
    name: DEFAULT_PARAMETERS[name].value
    for name in (
        "igg_half_life",
        "igg_baseline",
        "igg_share_plasmablast",
        "igg_share_pc_cd19",
        "igg_intrinsic_catabolism",
        "igg_fcrn_capacity",
        "igg_fcrn_km",
        "llpc_half_life",
        "llpc_baseline",
        "pc_cd19_baseline",
        "plasmablast_baseline",
        "autoantibody_share_pc_cd19",
        "autoantibody_share_llpc",
    )
}
IGG_CLEARANCE = np.log(2.0) / P["igg_half_life"]


def fractional_catabolism(igg: np.ndarray | float) -> np.ndarray:
    """Kim2007: intrinsic uptake minus saturable FcRn salvage, at IgG ``igg`` (g/L)."""
    return P["igg_intrinsic_catabolism"] - P["igg_fcrn_capacity"] / (P["igg_fcrn_km"] + np.asarray(igg))


@pytest.fixture(scope="module")
def model(cart_plasma_model) -> cartsim.Model:
    return cart_plasma_model


def _run(model: cartsim.Model, regimen: Regimen, **parameters: float) -> cartsim.Simulation:
    return solved(model, regimen, parameters, TIMES, TIGHT)


@pytest.fixture(scope="module")
def cd19(model) -> cartsim.Simulation:
    return _run(model, LD + CAR)


@pytest.fixture(scope="module")
def bcma(model) -> cartsim.Simulation:
    return _run(model, LD + CAR, cart_targets_cd19=0.0, cart_targets_bcma=1.0)


def test_untreated_patient_stays_at_steady_state(model):
    result = _run(model, Regimen(), igg_baseline=12.0)
    for name in (
        "plasmablasts",
        "pc_cd19",
        "llpc",
        "llpc_cns",
        "igg_total_rel",
        "igg_protective_rel",
        "autoantibody_rel",
        "igg_intrathecal_rel",
    ):
        values = result[name].values[0]
        np.testing.assert_allclose(values, values[0], rtol=1e-8, err_msg=name)
    for observable, baseline in (
        ("plasmablasts_blood", "plasmablast_baseline"),
        ("plasma_cells_cd19", "pc_cd19_baseline"),
        ("plasma_cells_long_lived", "llpc_baseline"),
    ):
        assert result[observable].values[0, -1] == pytest.approx(P[baseline])
    np.testing.assert_allclose(result["igg_total"].values, 12.0, rtol=1e-8)  # g/L: the patient's own baseline
    for name in ("igg_protective", "autoantibody", "igg_intrathecal"):
        np.testing.assert_allclose(result[name].values, 1.0, rtol=1e-8, err_msg=name)


def test_cd19_car_t_removes_plasmablasts_and_cd19_plasma_cells_only(cd19):
    plasmablasts = cd19["plasmablasts_blood"].values[0] / P["plasmablast_baseline"]
    assert np.all(plasmablasts[20:90] < 1e-3)
    assert cd19["plasma_cells_cd19"].values[0, 60] < 0.05 * P["pc_cd19_baseline"]
    long_lived = cd19["plasma_cells_long_lived"].values[0] / P["llpc_baseline"]
    # Not killed (Mei2015): without new plasmablasts they only wane at their own half-life of decades.
    assert np.all(long_lived >= np.exp(-np.log(2.0) / P["llpc_half_life"] * TIMES) - 1e-9)


def test_autoantibody_falls_at_the_fcrn_clearance_of_the_moment(cd19):
    # dY/dt = k_G (production - phi(C)/phi(C0) Y), where C is the total IgG of the moment and the
    # production is the autoreactive plasmablasts' and plasma cells' shares.
    y_q, y_l = P["autoantibody_share_pc_cd19"], P["autoantibody_share_llpc"]
    window = (TIMES >= 30.0) & (TIMES <= 90.0)
    igg = cd19["igg_total"].values[0]
    relative = fractional_catabolism(igg) / fractional_catabolism(P["igg_baseline"])
    auto = cd19["autoantibody"].values[0]
    states = {name: cd19[name].values[0] for name in ("pb_auto", "pc_cd19_auto", "llpc_auto")}
    production = (1 - y_q - y_l) * states["pb_auto"] + y_q * states["pc_cd19_auto"] + y_l * states["llpc_auto"]
    slope = np.gradient(auto, TIMES)
    np.testing.assert_allclose(slope[window], IGG_CLEARANCE * (production - relative * auto)[window], rtol=5e-3)
    assert np.all(relative[window] < 1.0), "IgG below baseline is cleared more slowly (less competition for FcRn)"
    # The CD19+ producers go, the CD19- long-lived ones stay (Mei2015): the autoantibody falls towards their share.
    assert np.all(states["llpc_auto"][:181] > 0.95)
    assert y_l < auto[180] < y_l + 0.1


def test_igg_falls_no_faster_than_its_baseline_half_life(bcma):
    # Every producer gone: the fall is at most exp(-k_G t), and slower as IgG falls (FcRn salvage frees up).
    total = bcma["igg_total"].values[0] / P["igg_baseline"]
    assert np.all(total >= np.exp(-IGG_CLEARANCE * TIMES) - 1e-9)
    late = (TIMES >= 120.0) & (TIMES <= 180.0)
    half_life = -np.log(2.0) / np.polyfit(TIMES[late], np.log(total[late]), 1)[0]
    assert half_life > 1.5 * P["igg_half_life"]


def test_protective_igg_stays_within_a_few_percent_for_months(cd19):
    protective = cd19["igg_protective"].values[0]
    assert np.all(protective[:181] > 0.97)


def test_total_igg_falls_less_than_its_production(cd19):
    # The CD19 product removes the plasmablasts' and CD19+ plasma cells' shares of production for months;
    # FcRn salvage (Kim2007) keeps the fall in serum IgG below that share.
    total = cd19["igg_total"].values[0] / P["igg_baseline"]
    lost = P["igg_share_plasmablast"] + P["igg_share_pc_cd19"]
    assert 0.5 * lost < 1 - total[:181].min() < lost


def test_bcma_product_removes_every_plasma_cell(bcma, cd19):
    # Plasmablasts keep coming from memory B cells (which lack BCMA) but die as they are made.
    for observable, most in (("plasmablasts_blood", 0.05), ("plasma_cells_cd19", 0.01), ("plasma_cells_long_lived", 0.01)):
        assert bcma[observable].values[0, 60] < most * bcma[observable].values[0, 0], observable
    assert bcma["igg_protective"].values[0, 180] < 0.25 * cd19["igg_protective"].values[0, 180]
    assert bcma["igg_total"].values[0, 180] < cd19["igg_total"].values[0, 180]


def test_autoantibody_returns_with_the_autoreactive_clones(model):
    # Without a reset (every autoreactive clone re-primed from returning naive cells), the
    # autoantibody comes back as autoreactive memory does; a full reset keeps it at the floor of
    # the long-lived producers the CD19 product spares.
    none = _run(model, LD + CAR, reset_strength=0.0)
    full = _run(model, LD + CAR, reset_strength=1.0)
    np.testing.assert_allclose(
        none["autoreactive_memory_relative"].values[0], none["memory_bcells_relative"].values[0], rtol=1e-6, atol=1e-9
    )
    returning, kept_down = none["autoantibody"].values[0], full["autoantibody"].values[0]
    assert returning[730] > returning[365] > returning[180]
    assert kept_down[730] < 0.5 * returning[730]
    assert np.all(kept_down[180:] < P["autoantibody_share_llpc"] + 0.05)


def test_bcma_car_t_in_the_csf_removes_cns_plasma_cells_and_intrathecal_igg(model, bcma, cd19):
    # CNS plasma cells are CD19- and BCMA+: a CD19 product leaves intrathecal IgG, a BCMA product in the CSF lowers it.
    assert cd19["igg_intrathecal"].values[0, 180] > 0.9
    assert bcma["igg_intrathecal"].values[0, 180] < 0.8
    no_entry = _run(model, LD + CAR, cart_targets_cd19=0.0, cart_targets_bcma=1.0, cart_csf_entry=0.0)
    assert no_entry["igg_intrathecal"].values[0, 180] > 0.9, "without CAR T cells in the CSF, antibodies there do not change"
