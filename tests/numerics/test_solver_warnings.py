"""LSODA's printed warnings ("t + h = t", "intdy -- t illegal") fail the patient who caused them.

numbalsoda's LSODA reports this trouble only as text on standard error, with a success flag:
before, an ocrelizumab infusion of 1e150 mg gave status 0, a peak of 5e-30 mg/L and no B-cell
depletion.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import cartsim
from cartsim import simulate
from cartsim.engine import Status
from cartsim.engine.solver_messages import capture_stderr, solver_lines, trouble_day
from cartsim.protocol import Dose, Regimen

WARNING = (
    "lsoda -- warning..internal t = 3.5 and h_ = 0 are\n"
    "         such that in the machine, t + h_ = t on the next step\n"
    "         solver will continue anyway.\n"
)


@pytest.fixture(scope="module")
def full():
    return cartsim.full_model()


def _ocrelizumab(amount: str) -> Regimen:
    return Regimen.of(Dose("ocrelizumab_iv", amount, 0.0, "3.5 h"))


def test_solver_lines_are_told_from_other_text():
    text = "progress 10%\n" + WARNING + "  indented user text\nintdy -- t = 0.145833 illegal. t not in interval tcur - hu to tcur\ndone\n"
    lines, rest = solver_lines(text)
    assert len(lines) == 4 and lines[0].startswith("lsoda --") and lines[-1].startswith("intdy --")
    assert rest == "progress 10%\n  indented user text\ndone\n"
    assert 0.1458 < trouble_day(lines) < 0.145833  # a little before the day printed to six digits
    assert trouble_day(["[lsoda] illegal itask = 3"]) == float("-inf")
    assert solver_lines("[info] warning -- not the solver's\n") == ([], "[info] warning -- not the solver's\n")


def test_text_that_is_not_the_solvers_passes_through(capfd):
    with capture_stderr() as captured:
        os.write(2, b"a message of the user's own\n" + WARNING.encode())
    assert captured.lines[0].startswith("lsoda -- warning")
    assert capfd.readouterr().err == "a message of the user's own\n"


def test_a_warned_solve_fails_that_patient_alone(full):
    """Patient 1 gets 1e150 mg; patients 0 and 2 the label's 600 mg and are unaffected."""
    times = np.arange(0.0, 60.0)
    regimens = [_ocrelizumab("600 mg"), _ocrelizumab("1e150 mg"), _ocrelizumab("600 mg")]
    batch = simulate(full, regimens, times=times, n_patients=3)
    assert [Status.of(code) for code in batch.status] == [Status.SUCCESSFUL, Status.SOLVER_WARNING, Status.SUCCESSFUL]
    assert np.all(np.isnan(batch["ocrelizumab_concentration"].values[1]))  # the warning names day 0
    assert batch.failures()["patient"].tolist() == [1]
    alone = simulate(full, [regimens[0], regimens[2]], times=times, n_patients=2)
    good = [0, 2]
    np.testing.assert_array_equal(batch["bcells_blood"].values[good], alone["bcells_blood"].values)
    assert np.all(alone["bcells_blood"].values[:, -1] < 10)  # 600 mg depletes


def test_an_ordinary_batch_prints_nothing_and_is_not_solved_again(full, monkeypatch):
    def never(*args):
        raise AssertionError("a batch without solver messages was solved again")

    monkeypatch.setattr(sys.modules["cartsim.engine.simulate"], "_warned", never)
    result = simulate(full, _ocrelizumab("600 mg"), times=np.arange(0.0, 400.0), n_patients=3)
    assert result.n_failed == 0
