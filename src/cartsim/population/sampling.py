"""Virtual patients: parameter values drawn from each parameter's between-patient variability.

Random numbers come from counter-based streams (Philox), one per parameter keyed by ``(seed,
parameter name)`` and read at the patient id: patient 17 of seed 1 gets the same parameters
whether it is simulated alone, in a batch of 10, or in a batch of 100,000, whatever the
number of workers, and whichever other parameters vary between patients.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from scipy import special

from cartsim.errors import InputError
from cartsim.model import LogNormal, Model

__all__ = ["patient_ids", "patient_normals", "sample_parameters"]


#: Counter word that keeps the parameter streams apart from the event streams (``cartsim.endpoints.events.STREAMS``).
PARAMETER_BLOCK = 7


def _name_key(name: str) -> int:
    """A stable 64-bit key of a parameter name (the same in every run, Python version and platform)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _runs(ids: np.ndarray) -> list[tuple[int, int, int]]:
    """Runs of consecutive ids as (first row, first id, length)."""
    breaks = np.flatnonzero(np.diff(ids) != 1) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [ids.size]))
    return [(int(a), int(ids[a]), int(b - a)) for a, b in zip(starts, ends, strict=True)]


def patient_normals(seed: int, patient_ids: np.ndarray | Sequence[int], names: Sequence[str]) -> np.ndarray:
    """One standard normal number per patient and name, shape (len(patient_ids), len(names)).

    The number of patient ``p`` for ``name`` is the ``p``-th output of a Philox stream keyed
    by ``(seed, name)``: it depends on nothing else, so a patient keeps its value of every
    parameter when parameters gain or lose a spread, are reordered, or other patients are drawn.
    """
    ids = np.asarray(patient_ids, dtype=np.int64)
    out = np.empty((ids.size, len(names)))
    runs = _runs(ids) if ids.size else []
    for column, name in enumerate(names):
        key = np.array([seed, _name_key(name)], dtype=np.uint64)
        for row, first, length in runs:
            block, skip = divmod(first, 4)
            counter = np.array([block, 0, 0, PARAMETER_BLOCK], dtype=np.uint64)
            raw = np.random.Philox(counter=counter, key=key).random_raw(skip + length)[skip:]
            uniform = ((raw >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
            out[row : row + length, column] = special.ndtri(uniform)
    return out


def patient_ids(patients: int | range | Sequence[int] | np.ndarray, field: str = "patients") -> np.ndarray:
    """Patient ids: ``0 .. n-1`` for a count, else the ids given (whole numbers >= 0, at least one)."""
    if isinstance(patients, (int, np.integer)) and not isinstance(patients, bool):
        if patients < 1:
            raise InputError(field, patients, "a whole number >= 1, or a sequence of patient ids")
        return np.arange(int(patients), dtype=np.int64)
    try:
        ids = np.asarray(patients)
    except (TypeError, ValueError):
        raise InputError(field, patients, "a whole number >= 1, or a sequence of patient ids") from None
    if ids.ndim != 1 or ids.size == 0 or not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0:
        raise InputError(field, patients, "a whole number >= 1, or a non-empty sequence of whole-number patient ids >= 0")
    return ids.astype(np.int64)


def sample_parameters(
    model: Model, patients: int | range | Sequence[int] | np.ndarray, seed: int = 1, *, correlations: tuple = ()
) -> dict[str, np.ndarray]:
    """Draw virtual patients from the model's parameter variability.

    Parameters
    ----------
    model
        The model (with a population applied: :meth:`cartsim.population.Population.apply`);
        every parameter with a :class:`~cartsim.model.LogNormal` variability is drawn, the
        others keep their typical value (and are not returned).
    patients
        How many patients (ids ``0 .. n-1``), or their ids (``range(1000, 2000)``): a
        patient's values depend only on the seed and its id.
    seed
        Seed of the random streams (a whole number >= 0).
    correlations
        :class:`~cartsim.population.Correlation` values between drawn parameters (those the
        model does not draw are skipped).

    Returns
    -------
    dict
        Parameter name -> array of values (in the model's units), clipped to the
        parameter's bounds, ready for :func:`cartsim.simulate`.

    Examples
    --------
    >>> from cartsim import full_model
    >>> drawn = sample_parameters(full_model(), 3, seed=1)
    >>> drawn["body_weight"].shape
    (3,)
    >>> bool((sample_parameters(full_model(), range(2, 3), seed=1)["body_weight"] == drawn["body_weight"][2]).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise InputError("seed", seed, "a whole number from 0 to 2**63 - 1")
    ids = patient_ids(patients)
    variable = [p for p in model.parameters if isinstance(p.variability, LogNormal)]
    names = [p.name for p in variable]
    z = patient_normals(seed, ids, names)
    used = [c for c in correlations if c.first in names and c.second in names]
    if used:
        from cartsim.population.populations import correlation_matrix

        involved = sorted({n for c in used for n in (c.first, c.second)}, key=names.index)
        columns = [names.index(n) for n in involved]
        z[:, columns] = z[:, columns] @ np.linalg.cholesky(correlation_matrix(tuple(used), involved)).T
    values = {}
    for j, p in enumerate(variable):
        assert p.variability is not None
        drawn = p.value * np.exp(p.variability.omega * z[:, j])
        values[p.name] = np.clip(drawn, p.bounds[0], p.bounds[1])
    return values
