"""Virtual populations: reproducible per-patient parameter draws."""

from cartsim.population.sampling import patient_normals, sample_parameters

__all__ = ["patient_normals", "sample_parameters"]
