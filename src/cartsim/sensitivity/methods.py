"""Sensitivity methods (SALib): sample a box of factors, evaluate, and analyse, in one call.

- ``sobol``: Sobol' first-order (S1) and total (ST) indices, Saltelli's sampling scheme with
  Sobol' sequences, ``samples * (factors + 2)`` evaluations; the variance-based reference.
- ``morris``: elementary effects (mu*, the mean absolute effect, and sigma, its spread over the
  space: interactions or non-linearity), ``samples * (factors + 1)`` evaluations; a cheap screen.
- ``fast``: extended FAST (S1 and ST from Fourier amplitudes), ``samples * factors`` evaluations.

Each returns a tidy table: ``factor, measure, value, conf`` (conf: the half-width of SALib's
95 % bootstrap interval; none for eFAST, whose bootstrap SALib itself calls unreliable).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cartsim.errors import InputError

__all__ = ["METHODS", "analyse", "evaluations"]

#: Method -> (what it gives, smallest sample count).
METHODS = {
    "sobol": ("first-order and total Sobol' indices (S1, ST)", 8),
    "morris": ("elementary effects (mu_star, sigma)", 4),
    "fast": ("extended FAST indices (S1, ST)", 65),
}
#: Interference factor of eFAST (SALib's default) and grid levels of Morris.
_FAST_M, _MORRIS_LEVELS = 4, 4


def evaluations(method: str, samples: int, factors: int) -> int:
    """How many evaluations (virtual patients) ``method`` takes."""
    per = {"sobol": factors + 2, "morris": factors + 1, "fast": factors}[method]
    return samples * per


def _check(method: str, samples: int, bounds: Sequence[tuple[float, float]]) -> None:
    if method not in METHODS:
        raise InputError("method", method, "one of " + ", ".join(METHODS))
    smallest = METHODS[method][1]
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < smallest:
        raise InputError("samples", samples, f"a whole number of at least {smallest} for {method}")
    if method == "sobol" and samples & (samples - 1):
        raise InputError("samples", samples, "a power of 2 for sobol (Sobol' sequences are balanced at powers of 2)")
    if len(bounds) < 2:
        raise InputError("factors", len(bounds), "at least two factors")


def analyse(
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    evaluate: Callable[[np.ndarray], np.ndarray],
    method: str = "sobol",
    samples: int = 256,
    seed: int = 1,
) -> pd.DataFrame:
    """Sample the box ``bounds`` of the factors ``names``, evaluate each row, analyse.

    ``evaluate(X)`` gets the whole sample (one row per evaluation, one column per factor) and
    returns one value per row. Rows whose value is not finite make every index NaN (SALib's
    estimators need them all); the caller reports them.

    Examples
    --------
    >>> import numpy as np
    >>> table = analyse(["a", "b"], [(0, 1), (0, 1)], lambda x: x[:, 0] + 0.1 * x[:, 1], "sobol", 64)
    >>> s1 = table[table.measure == "S1"].set_index("factor")["value"]
    >>> bool(s1["a"] > 0.9 > s1["b"])
    True
    """
    _check(method, samples, bounds)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(map(float, b)) for b in bounds]}
    x, analyse_with = _sample(method, problem, samples, seed)
    y = np.asarray(evaluate(x), dtype=float)
    if y.shape != (x.shape[0],):
        raise ValueError(f"evaluate returned shape {y.shape} for {x.shape[0]} rows")
    if not np.all(np.isfinite(y)):
        return _table(names, {m: np.full(len(names), np.nan) for m in _MEASURES[method]})
    return _table(names, analyse_with(x, y))


_MEASURES = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma"), "fast": ("S1", "ST")}


def _sample(method: str, problem: dict[str, Any], samples: int, seed: int) -> tuple[np.ndarray, Callable[..., Any]]:
    if method == "sobol":
        from SALib.analyze import sobol
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
        return x, lambda x, y: sobol.analyze(problem, y, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.analyze import morris
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(problem, samples, num_levels=_MORRIS_LEVELS, seed=seed)
        return x, lambda x, y: morris.analyze(problem, x, y, num_levels=_MORRIS_LEVELS, seed=seed)
    from SALib.analyze import fast
    from SALib.sample import fast_sampler

    def fast_indices(x: np.ndarray, y: np.ndarray) -> Any:
        # SALib warns that its bootstrap intervals for eFAST are unreliable: none are reported.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            indices = fast.analyze(problem, y, M=_FAST_M, seed=seed)
        return {k: v for k, v in indices.items() if not k.endswith("_conf")}

    return fast_sampler.sample(problem, samples, M=_FAST_M, seed=seed), fast_indices


def _table(names: Sequence[str], indices: Any) -> pd.DataFrame:
    rows = []
    for measure in [k for k in ("S1", "ST", "mu_star", "sigma") if k in indices]:
        conf = indices.get(f"{measure}_conf")
        for i, name in enumerate(names):
            rows.append(
                {
                    "factor": name,
                    "measure": measure,
                    "value": float(indices[measure][i]),
                    "conf": float(conf[i]) if conf is not None else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["factor", "measure", "value", "conf"])
