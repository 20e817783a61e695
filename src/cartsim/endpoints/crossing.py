"""Threshold crossings of a trajectory: the basis of depletion and recovery endpoints."""

from __future__ import annotations

import numpy as np

__all__ = ["first_day_below", "first_day_at_or_above_after"]


def first_day_below(values: np.ndarray, times: np.ndarray, threshold: float) -> np.ndarray:
    """First output time at which ``values`` (patients x times) is below ``threshold``.

    NaN for a patient who never gets there within the horizon (censored).
    """
    below = values < threshold
    hit = below.any(axis=1)
    return np.where(hit, times[np.argmax(below, axis=1)], np.nan)


def first_day_at_or_above_after(values: np.ndarray, times: np.ndarray, threshold: float, after: np.ndarray) -> np.ndarray:
    """First output time after ``after`` (per patient) at which ``values`` is >= ``threshold``.

    NaN when ``after`` is NaN or the level is never reached again within the horizon.
    """
    later = times[None, :] > np.nan_to_num(after, nan=np.inf)[:, None]
    above = (values >= threshold) & later
    hit = above.any(axis=1)
    return np.where(hit, times[np.argmax(above, axis=1)], np.nan)
