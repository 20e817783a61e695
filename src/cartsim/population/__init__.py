"""Virtual populations, cohorts and the one path by which a group of patients is simulated."""

from cartsim.population.cohort import AS_GIVEN, Cohort, CohortResult, cohort_model, simulate_cohort
from cartsim.population.populations import POPULATION_NAMES, POPULATIONS, Correlation, Population, builtin_population
from cartsim.population.sampling import patient_ids, patient_normals, sample_parameters

__all__ = [
    "AS_GIVEN",
    "Cohort",
    "CohortResult",
    "Correlation",
    "POPULATIONS",
    "POPULATION_NAMES",
    "Population",
    "builtin_population",
    "cohort_model",
    "patient_ids",
    "patient_normals",
    "sample_parameters",
    "simulate_cohort",
]
