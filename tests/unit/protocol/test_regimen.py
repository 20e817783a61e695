"""Doses carry units and are checked when made; errors name the field, value and what is allowed."""

from __future__ import annotations

import numpy as np
import pytest

from cartsim import Dose, InputError, Regimen, UnitError
from cartsim.protocol import MAX_DOSES


def test_repeat_times():
    d = Dose("ocrelizumab_iv", "600 mg", day=168, every_days=168, count=3)
    np.testing.assert_allclose(d.times, [168, 336, 504])


def test_infusion_duration_in_hours():
    assert Dose("ocrelizumab_iv", "600 mg", duration="3.5 h").duration_days == pytest.approx(3.5 / 24)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5 mg", "dose.amount: got '-5 mg'; allowed: a finite, non-negative number"),
        ("five mg", "dose.amount: got 'five mg'; allowed: a number followed by a unit"),
        ("600", "dose.amount: got '600'; allowed: a number followed by a unit"),
        (600, "dose.amount: got 600; allowed: a string with a number and a unit"),
        ("600 furlongs/fortnight/bogus", "dose.amount"),
        ("inf mg", "finite"),
    ],
)
def test_bad_amounts(amount, message):
    with pytest.raises(UnitError, match=message):
        Dose("ocrelizumab_iv", amount)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"day": float("nan")}, "dose.day"),
        ({"day": "10"}, "dose.day"),
        ({"count": 0}, "dose.count"),
        ({"count": MAX_DOSES + 1, "every_days": 1}, "dose.count"),
        ({"count": 2}, "dose.every_days"),
        ({"every_days": -7, "count": 2}, "dose.every_days"),
        ({"duration": -1}, "dose.duration"),
        ({"duration": "3 mg"}, "dose.duration"),
    ],
)
def test_bad_dose_fields(kwargs, field):
    with pytest.raises(InputError, match=field):
        Dose("ocrelizumab_iv", "600 mg", **kwargs)


def test_bad_route_name():
    with pytest.raises(InputError, match="dose.route"):
        Dose("not a route!", "1 mg")


def test_regimen_holds_only_doses():
    with pytest.raises(InputError, match=r"regimen.doses\[0\]"):
        Regimen(("600 mg",))  # type: ignore[arg-type]


def test_regimen_dose_limit():
    dose = Dose("ocrelizumab_iv", "1 mg", every_days=1, count=MAX_DOSES)
    with pytest.raises(InputError, match="at most"):
        Regimen.of(dose, dose)
