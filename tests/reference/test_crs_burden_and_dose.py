"""CRS severity tracks the cells CAR T cells kill, so it rises with dose and with antigen burden.

- Neelapu SS, Locke FL, Bartlett NL, et al. Axicabtagene ciloleucel CAR T-cell therapy in
  refractory large B-cell lymphoma. N Engl J Med 2017;377:2531-2544 (ZUMA-1): CRS in 93 % of
  patients with bulky lymphoma, grade >= 3 in 13 %.
- Awasthi R, Pacaud L, Waldron E, et al. Tisagenlecleucel cellular kinetics, dose, and
  immunogenicity in relation to clinical factors in relapsed/refractory DLBCL. Blood Adv
  2020;4:560-572 (JULIET CK): patients with severe CRS had higher expansion (Cmax, AUC);
  within the dose range given, dose was not clearly related to expansion.
- Hardiansyah D, Ng CM. Quantitative systems pharmacology model of chimeric antigen receptor
  T-cell therapy. Clin Transl Sci 2019;12:343-349: in a mechanistic model, expansion and
  cytokine release grow with the antigen (tumour) burden.
- Mackensen A, et al. Nat Med 2022;28:2124-2132: the same kind of CD19 product in lupus gave
  grade 1 CRS in 3 of 5 patients and none of grade >= 2.
- Abramson JS, et al. Lancet 2020;396:839-852 (TRANSCEND, liso-cel, 4-1BB): grade >= 3 CRS
  in 2 % of patients with large B-cell lymphoma.

With the full model and 200 virtual patients per arm (seed 1), the distribution of the
maximal CRS grade (observable ``crs_grade``) must move the right way:

(a) with antigen burden: one 4-1BB CD19 CAR-T (1e6 cells/kg, day 5, after Flu 30 / Cy 300
    mg/m**2 on days 0-2) gives a higher mean grade and more grade >= 2 in lymphoma (``lbcl``)
    than in lupus (``sle``), severe in few (as TRANSCEND); ten times the tumour makes no
    lymphoma patient's CRS milder and raises the mean grade by half a grade (its macrophages);
(b) with dose: 1e5 -> 1e6 -> 1e7 cells/kg in lymphoma never lowers the share with grade >= 1
    or the mean grade (patients whose peak IL-6 sits at a grade threshold could move either
    way, so a decrease is tolerated up to one patient changing by one grade); and CRS starts
    (fever) earlier after a larger dose, in every patient.

The peak of IL-6 (half-life 3 h) is caught on a 0.02-day grid with tight tolerances; a
coarse grid moves individual patients across thresholds and can reorder the dose arms.
"""

from __future__ import annotations

import numpy as np
import pytest

import cartsim
from cartsim import Dose, Regimen, SolverOptions, simulate
from cartsim.population import POPULATIONS, sample_parameters

N = 200
SEED = 1
ONE_PATIENT_GRADE = 1.0 / N  # the smallest change of a mean grade or a share over N patients
INFUSION_DAY = 5.0
TIMES = np.concatenate([[0.0], np.arange(INFUSION_DAY, 45.0 + 1e-9, 0.02)])
SOLVER = SolverOptions(rtol=1e-8, atol=1e-10)
FLU_CY = Regimen(
    tuple(
        Dose(f"{drug}_iv", f"{amount} mg/m**2", day=float(i))
        for drug, amount in (("fludarabine", 30), ("cyclophosphamide", 300))
        for i in range(3)
    )
)


def _cart(cells_per_kg: str) -> Regimen:
    return FLU_CY + Regimen.of(Dose("cart_infusion", f"{cells_per_kg} cells/kg", day=INFUSION_DAY))


@pytest.fixture(scope="module")
def model() -> cartsim.Model:
    return cartsim.full_model()


def _patients(model: cartsim.Model, population: str) -> tuple[cartsim.Model, dict[str, np.ndarray]]:
    """The population's model and its virtual patients."""
    varied = POPULATIONS[population].apply(model)
    return varied, sample_parameters(varied, N, seed=SEED)


def _crs(patients: tuple[cartsim.Model, dict[str, np.ndarray]], regimen: Regimen) -> dict[str, np.ndarray]:
    """Per patient: maximal CRS grade, peak IL-6 and the day CRS starts (fever; NaN without CRS)."""
    model, parameters = patients
    result = simulate(model, regimen, parameters, times=TIMES, solver=SOLVER, seed=SEED)
    assert result.n_failed == 0, result.failures()
    il6 = result["il6_serum"].values
    grade = result["crs_grade"].values.max(axis=1)
    assert np.all(grade == np.round(grade)) and grade.min() >= 0 and grade.max() <= 4
    fever = result["crs_grade"].values >= 1
    onset = np.where(fever.any(axis=1), TIMES[fever.argmax(axis=1)], np.nan)
    return {"grade": grade, "il6": il6.max(axis=1), "day": onset}


@pytest.fixture(scope="module")
def lymphoma(model) -> dict[str, np.ndarray]:
    return _patients(model, "lbcl")


@pytest.fixture(scope="module")
def lymphoma_by_dose(model, lymphoma) -> dict[str, dict[str, np.ndarray]]:
    return {dose: _crs(lymphoma, _cart(dose)) for dose in ("1e5", "1e6", "1e7")}


def test_lymphoma_gives_more_severe_crs_than_lupus(model, lymphoma_by_dose):
    lupus = _crs(_patients(model, "sle"), _cart("1e6"))["grade"]
    bulky = lymphoma_by_dose["1e6"]["grade"]
    assert bulky.mean() > lupus.mean() + 0.5
    assert np.mean(bulky >= 2) > np.mean(lupus >= 2) + 0.05
    # the clinical pattern of a 4-1BB product in lymphoma: CRS in most patients, severe in few (TRANSCEND 2 %) ...
    assert np.mean(bulky >= 1) > 0.9
    assert np.mean(bulky >= 3) < 0.1
    # ... and mild, if any, in lupus
    assert np.mean(lupus >= 2) < 0.1
    assert lupus.max() <= 2


def test_ten_times_the_tumour_never_makes_crs_milder(lymphoma, lymphoma_by_dose):
    varied, parameters = lymphoma
    more = _crs((varied, dict(parameters, tumour_baseline=10.0 * parameters["tumour_baseline"])), _cart("1e6"))
    base = lymphoma_by_dose["1e6"]
    assert more["grade"].mean() >= base["grade"].mean()
    assert np.all(more["grade"] >= base["grade"]), "no patient's CRS is milder with more tumour"
    assert np.all(more["il6"] > base["il6"])
    assert more["grade"].mean() > base["grade"].mean() + 0.5, "and the shift is large"


def test_more_cells_never_lower_the_crs_distribution_in_lymphoma(lymphoma_by_dose):
    doses = ("1e5", "1e6", "1e7")
    any_crs = [np.mean(lymphoma_by_dose[d]["grade"] >= 1) for d in doses]
    mean_grade = [lymphoma_by_dose[d]["grade"].mean() for d in doses]
    for lower, higher in zip(range(2), range(1, 3), strict=False):
        assert any_crs[higher] >= any_crs[lower] - ONE_PATIENT_GRADE - 1e-12, (doses[higher], any_crs)  # float rounding
        assert mean_grade[higher] >= mean_grade[lower] - ONE_PATIENT_GRADE - 1e-12, (doses[higher], mean_grade)
    assert mean_grade[-1] >= mean_grade[0], "over the hundred-fold range the mean grade does not fall"


def test_more_cells_bring_crs_on_earlier(lymphoma_by_dose):
    days = [lymphoma_by_dose[d]["day"] for d in ("1e5", "1e6", "1e7")]
    for earlier, later in zip(days[1:], days[:-1], strict=False):
        assert not np.any(np.isnan(earlier) & ~np.isnan(later)), "CRS at a lower dose means CRS at a higher one"
        both = ~np.isnan(earlier) & ~np.isnan(later)
        assert np.all(earlier[both] <= later[both])
        assert np.median(earlier[both]) < np.median(later[both]) - 1.0  # days
    assert np.all(days[-1][~np.isnan(days[-1])] > INFUSION_DAY)
