"""Virtual patients: parameter values drawn from each parameter's between-patient variability.

Random numbers come from counter-based streams (Philox) keyed by ``(seed, patient id)``:
patient 17 of seed 1 gets the same parameters whether it is simulated alone, in a batch
of 10, or in a batch of 100,000, and whatever the number of workers.
"""

from __future__ import annotations

import numpy as np

from cartsim.errors import InputError
from cartsim.model import LogNormal, Model

__all__ = ["sample_parameters", "patient_normals"]


def patient_normals(seed: int, patient_ids: np.ndarray, k: int) -> np.ndarray:
    """``k`` standard normal numbers per patient, shape (len(patient_ids), k).

    Each patient's numbers depend only on ``(seed, patient id)``.
    """
    out = np.empty((len(patient_ids), k))
    for row, pid in enumerate(patient_ids):
        generator = np.random.Generator(np.random.Philox(key=np.array([seed, pid], dtype=np.uint64)))
        out[row] = generator.standard_normal(k)
    return out


def sample_parameters(model: Model, n_patients: int, seed: int = 1, first_patient: int = 0) -> dict[str, np.ndarray]:
    """Draw ``n_patients`` virtual patients from the model's parameter variability.

    Parameters
    ----------
    model
        The model; every parameter with a :class:`~cartsim.model.LogNormal` variability is
        drawn, the others keep their typical value (and are not returned).
    n_patients
        How many patients.
    seed
        Seed of the random streams (a non-negative integer).
    first_patient
        Id of the first patient (ids are ``first_patient ... first_patient + n - 1``), so a
        large population can be drawn in chunks.

    Returns
    -------
    dict
        Parameter name -> array of ``n_patients`` values (in the model's units), clipped to
        the parameter's bounds, ready for :func:`cartsim.simulate`.
    """
    for name, value, low in (("n_patients", n_patients, 1), ("seed", seed, 0), ("first_patient", first_patient, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise InputError(name, value, f"a whole number >= {low}")
    variable = [p for p in model.parameters if isinstance(p.variability, LogNormal)]
    ids = np.arange(first_patient, first_patient + n_patients)
    z = patient_normals(seed, ids, len(variable))
    values = {}
    for j, p in enumerate(variable):
        assert p.variability is not None
        drawn = p.value * np.exp(p.variability.omega * z[:, j])
        values[p.name] = np.clip(drawn, p.bounds[0], p.bounds[1])
    return values
