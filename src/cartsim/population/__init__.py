"""Virtual populations: reproducible per-patient parameter draws."""

from cartsim.population.populations import POPULATION_NAMES, POPULATIONS, Change, Population, sample_population
from cartsim.population.sampling import patient_normals, sample_parameters

__all__ = ["Change", "POPULATIONS", "POPULATION_NAMES", "Population", "patient_normals", "sample_parameters", "sample_population"]
