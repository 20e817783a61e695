"""The SALib methods on a function whose indices are known (Ishigami), with a factor that does nothing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cartsim.errors import InputError
from cartsim.sensitivity.methods import analyse, evaluations

# Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: known first-order and total indices (Sobol' & Levitan 1999).
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
NAMES = ["x1", "x2", "x3", "unused"]
BOX = [(-math.pi, math.pi)] * 4


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def _measure(table, measure: str) -> dict[str, float]:
    return table[table["measure"] == measure].set_index("factor")["value"].to_dict()


@pytest.mark.parametrize(("method", "samples"), [("sobol", 2048), ("fast", 1024)])
def test_variance_based_indices_match_the_known_ones(method: str, samples: int) -> None:
    table = analyse(NAMES, BOX, ishigami, method, samples, seed=3)
    s1, st = _measure(table, "S1"), _measure(table, "ST")
    for name in S1:
        assert s1[name] == pytest.approx(S1[name], abs=0.05)
        assert st[name] == pytest.approx(ST[name], abs=0.05)
    assert abs(s1["unused"]) < 0.02 and abs(st["unused"]) < 0.02


def test_morris_screens_out_a_factor_that_does_nothing() -> None:
    table = analyse(NAMES, BOX, ishigami, "morris", 64, seed=3)
    mu_star = _measure(table, "mu_star")
    assert mu_star["unused"] == 0.0
    assert min(mu_star["x1"], mu_star["x2"], mu_star["x3"]) > 1.0


@pytest.mark.parametrize(("method", "samples"), [("sobol", 64), ("morris", 8), ("fast", 65)])
def test_evaluations_are_counted_as_the_sampler_draws(method: str, samples: int) -> None:
    calls: list[int] = []
    analyse(NAMES, BOX, lambda x: calls.append(len(x)) or ishigami(x), method, samples)
    assert calls == [evaluations(method, samples, len(NAMES))]


def test_a_missing_value_makes_every_index_nan() -> None:
    table = analyse(NAMES, BOX, lambda x: np.where(x[:, 0] > 3.0, np.nan, ishigami(x)), "sobol", 64)
    assert table["value"].isna().all()


@pytest.mark.parametrize(
    ("method", "samples", "names", "field"),
    [("anova", 64, NAMES, "method"), ("sobol", 100, NAMES, "samples"), ("morris", 2, NAMES, "samples"), ("sobol", 64, ["x1"], "factors")],
)
def test_bad_settings_are_named(method: str, samples: int, names: list[str], field: str) -> None:
    with pytest.raises(InputError) as error:
        analyse(names, BOX[: len(names)], ishigami, method, samples)
    assert error.value.field == field
