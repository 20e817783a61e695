"""Ctrl-C during a solve: numba's parallel solve must not be interrupted (that crashed the process
with a segmentation fault); the interrupt is raised as KeyboardInterrupt once the batch is solved,
and the command line then ends with exit status 130 and how to resume."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

import cartsim
from cartsim.engine.simulate import _DeferredInterrupt
from cartsim.population import POPULATIONS, sample_parameters
from cartsim.protocol import parse_regimen


def test_an_interrupt_waits_for_the_end_of_the_block():
    with pytest.raises(KeyboardInterrupt), _DeferredInterrupt() as deferred:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # delivered here, recorded, not raised
        assert deferred.received == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_during_a_solve_becomes_a_keyboard_interrupt():
    model = POPULATIONS["rrms"].apply(cartsim.full_model())
    treatment = parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg", "every_days": 168, "count": 20}])
    parameters = sample_parameters(model, 300, seed=1)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        timer.start()
        cartsim.simulate(model, treatment.regimen, parameters, times=np.arange(0.0, 3650.0))
        time.sleep(5)  # a machine fast enough to finish first gets the interrupt here
    timer.join()
