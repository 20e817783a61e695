"""Typical-value CAR T-cell kinetics: Stein 2019's contraction and peak, liso-cel's doubling time.

- Stein AM, Grupp SA, Levine JE, et al. Tisagenlecleucel model-based cellular kinetic analysis
  of chimeric antigen receptor-T cells. CPT Pharmacometrics Syst Pharmacol 2019;8:285-295.
  doi:10.1002/psp4.12388 -- Table 1 typical values (pediatric B-ALL, n = 90): contraction
  rate alpha 0.16/day, terminal rate beta 0.0032/day, fraction of the peak entering the slow
  phase FB 0.0079, time of the peak Tmax 9.3 days (between-patient omega^2 0.38), fold
  expansion 3900.
- Population cellular kinetics of lisocabtagene maraleucel in relapsed/refractory large
  B-cell lymphoma (TRANSCEND NHL 001). Clin Pharmacokinet 2021. doi:10.1007/s40262-021-01039-5
  -- doubling time during expansion 0.755 days (95 % CI 0.667-0.821).

The CAR-T module takes alpha, beta and FB as the decline of its unstimulated and effector
cells, its memory decline and effector-to-memory share (k_EM = FB * alpha), and runs its
expansion as a division programme of D = log2(3900) divisions at liso-cel's doubling time
(t_d, measured after standard lymphodepletion, where the cytokine support g is 1 by
definition). Checked here on typical values (no variability):

1. Contraction without antigen (physiology and CAR-T only): the early log-slope of blood
   CAR-T is -alpha (1 - FB), the terminal one -beta, and the slow phase extrapolated to the
   infusion is FB * alpha / (alpha - beta) of the infused level: within beta/alpha of FB
   (the module's k_EM = FB * alpha hands the share over during the fast phase, not at once).
2. The programme on saturating CD19 antigen with full support and no losses: each engrafting
   cell leaves it as 2**D = Stein's 3,900 effectors, on average 1/k_on + D t_d days after the
   infusion (meeting the antigen, then D doubling times).
3. Standard lymphodepletion (liso-cel's fludarabine 30 / cyclophosphamide 300 mg/m**2 on
   days -5 to -3, infusion on day 0) and the same antigen: blood CAR T cells double within
   liso-cel's confidence interval over days 2-6 (the cells that do not engraft are gone by
   then; an earlier, four-stage programme doubled every 1.0 days there, too stepwise).
4. Stein's Tmax for a B-ALL-like burden (2e4-2e5 cells/uL, i.e. 1e11-1e12 cells): the peak
   (about 11.8 days, at the end of the programme whatever the burden) lies within one
   between-patient SD of Stein's typical 9.3 (5.0-17.2 days).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.biology import cart_kinetics, lymphodepletion, physiology, tumour
from cartsim.parameters import DEFAULT_PARAMETERS

STEIN_ALPHA = 0.16  # 1/day
STEIN_BETA = 0.0032  # 1/day
STEIN_FB = 0.0079
STEIN_TMAX = 9.3  # days
STEIN_TMAX_OMEGA = math.sqrt(0.38)
STEIN_FOLD = 3900.0
LISO_DOUBLING = 0.755  # days
LISO_DOUBLING_CI = (0.667, 0.821)

SOLVER = SolverOptions(rtol=1e-10, atol=1e-14)  # the slow phase is ~1e-4 of the infused level
CART = Regimen.of(Dose("cart_infusion", "1e6 cells/kg", day=0.0))
LYMPHODEPLETION = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(day))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for day in (-5, -4, -3)
    )
)
#: Whole-body CD19+ cells per uL of blood: 1e6 is ~5e12 cells, so that stimulation stays
#: saturated (S > 0.9999) through the first week whatever the CAR T cells kill.
SATURATING = 1e6
EXPANSION_TIMES = np.round(np.arange(-6.0, 30.0, 0.01), 6)


def test_typical_values_are_the_published_ones():
    assert DEFAULT_PARAMETERS["cart_alpha"].value == STEIN_ALPHA
    assert DEFAULT_PARAMETERS["cart_beta"].value == STEIN_BETA
    assert DEFAULT_PARAMETERS["cart_fb"].value == STEIN_FB
    assert DEFAULT_PARAMETERS["cart_doubling_time"].value == LISO_DOUBLING


# -- contraction without antigen -------------------------------------------------------------
@pytest.fixture(scope="module")
def contraction() -> tuple[np.ndarray, np.ndarray]:
    model = cartsim.compose((physiology, cart_kinetics), DEFAULT_PARAMETERS, name="stein2019-contraction")
    times = np.concatenate([np.arange(0.0, 1.0, 0.01), np.arange(1.0, 731.0, 1.0)])
    result = simulate(model, CART, times=times, solver=SOLVER)
    assert result.n_failed == 0
    return times, result["cart_blood"].values[0]


def test_early_contraction_rate_is_alpha(contraction):
    times, blood = contraction
    slope = math.log(blood[1] / blood[0]) / times[1]
    assert slope == pytest.approx(-STEIN_ALPHA, rel=0.02)
    # Exactly: effectors leave at alpha, and FB * alpha of them stay as memory cells.
    assert slope == pytest.approx(-STEIN_ALPHA * (1 - STEIN_FB), rel=1e-3)


def test_terminal_contraction_rate_is_beta(contraction):
    times, blood = contraction
    late = times >= 600.0  # the fast phase is below e^-96 of its start
    slope = np.polyfit(times[late], np.log(blood[late]), 1)[0]
    assert slope == pytest.approx(-STEIN_BETA, rel=1e-4)


def test_slow_phase_fraction_is_fb_within_beta_over_alpha(contraction):
    times, blood = contraction
    late = times >= 600.0
    slope, intercept = np.polyfit(times[late], np.log(blood[late]), 1)
    fraction = math.exp(intercept) / blood[0]
    assert fraction == pytest.approx(STEIN_FB * STEIN_ALPHA / (STEIN_ALPHA - STEIN_BETA), rel=1e-4)
    # FB * alpha / (alpha - beta) = FB (1 + beta/alpha + ...): above FB, by beta/alpha to first order.
    assert STEIN_FB <= fraction <= STEIN_FB * (1 + STEIN_BETA / (STEIN_ALPHA - STEIN_BETA)) * (1 + 1e-6)


# -- expansion on saturating antigen ---------------------------------------------------------
@pytest.fixture(scope="module")
def expansion_model() -> cartsim.Model:
    modules = (physiology, lymphodepletion, cart_kinetics, tumour)
    return cartsim.compose(modules, DEFAULT_PARAMETERS, name="stein2019-expansion")


def _expand(model: cartsim.Model, regimen: Regimen, **parameters: float) -> cartsim.Simulation:
    result = simulate(model, regimen, parameters, times=EXPANSION_TIMES, solver=SOLVER, include_states=True)
    assert result.n_failed == 0
    return result


def _window(result: cartsim.Simulation, name: str, start: float, end: float) -> float:
    """Mean log-slope of ``name`` over [start, end] days."""
    i, j = np.searchsorted(EXPANSION_TIMES, [start, end])
    values = result[name].values[0]
    return math.log(values[j] / values[i]) / (EXPANSION_TIMES[j] - EXPANSION_TIMES[i])


@pytest.fixture(scope="module")
def lossless_programme(expansion_model) -> tuple[np.ndarray, cartsim.Simulation]:
    # Full cytokine support (c0 >> 1 makes g = 1), no chemotherapy, no decline, exhaustion or
    # recall: every infused cell meets the antigen, and what leaves the programme stays.
    parameters = {
        "tumour_baseline": SATURATING,
        "cart_cytokine_independence": 1e9,
        "cart_alpha": 0.0,
        "cart_exhaustion": 0.0,
        "cart_memory_activation": 0.0,
    }
    times = np.round(np.arange(0.0, 80.0, 0.01), 6)
    result = simulate(expansion_model, CART, parameters, times=times, solver=SOLVER, include_states=True)
    assert result.n_failed == 0
    return times, result


def test_a_completed_programme_is_steins_fold_expansion(lossless_programme):
    times, result = lossless_programme
    infused = result["cart_infused"].values[0, 0]
    effectors = result["cart_effector"].values[0]
    divisions = DEFAULT_PARAMETERS["cart_divisions"].value
    engrafting = DEFAULT_PARAMETERS["cart_engraftment"].value
    assert 2.0**divisions == pytest.approx(STEIN_FOLD, rel=0.01)
    assert effectors[-1] == pytest.approx(engrafting * 2.0**divisions * infused, rel=1e-4)


def test_the_programme_lasts_d_doubling_times_after_meeting_the_antigen(lossless_programme):
    times, result = lossless_programme
    effectors = result["cart_effector"].values[0]
    mean_day = np.trapezoid(1.0 - effectors / effectors[-1], times)  # mean of the effectors' arrival times
    expected = 1.0 / DEFAULT_PARAMETERS["cart_activation_rate"].value + DEFAULT_PARAMETERS["cart_divisions"].value * LISO_DOUBLING
    assert mean_day == pytest.approx(expected, rel=2e-3)


@pytest.fixture(scope="module")
def lymphodepleted(expansion_model) -> cartsim.Simulation:
    return _expand(expansion_model, LYMPHODEPLETION + CART, tumour_baseline=SATURATING)


def test_growth_after_standard_lymphodepletion_matches_liso_cel(lymphodepleted):
    # Liso-cel's doubling time was estimated in patients given exactly this lymphodepletion,
    # so the model should reproduce it there, not only under ideal support. Blood CAR T
    # cells over days 2-6 (most of the fludarabine gone, well before the peak).
    result = lymphodepleted
    doubling = math.log(2) / _window(result, "cart_blood", 2.0, 6.0)
    assert LISO_DOUBLING_CI[0] <= doubling <= LISO_DOUBLING_CI[1], f"doubling time {doubling:.3f} days"


@pytest.mark.parametrize("burden", [2e4, 1e5, 2e5])
def test_time_of_peak_for_a_b_all_like_burden(expansion_model, burden):
    # B-ALL burden ~1e11-1e12 cells, i.e. 2e4-2e5 per uL of a 4.9 L blood volume. The peak comes
    # at the end of the division programme, whatever the burden; each must lie within one
    # between-patient SD of Stein's typical 9.3 days (omega 0.62).
    result = _expand(expansion_model, LYMPHODEPLETION + CART, tumour_baseline=burden)
    blood = result["cart_blood"].values[0]
    tmax = EXPANSION_TIMES[np.argmax(blood)]
    assert STEIN_TMAX * math.exp(-STEIN_TMAX_OMEGA) <= tmax <= STEIN_TMAX * math.exp(STEIN_TMAX_OMEGA), f"Tmax {tmax:.2f} days"
