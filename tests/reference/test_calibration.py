"""Every target of the built-in calibration set passes at the size its file gives
(``cartsim validate``; the published observations and their sources are in the file)."""

from __future__ import annotations

import cartsim
from cartsim.validation import load_calibration, run_scorecard
from cartsim.validation.evaluate import evaluate


def test_every_calibration_target_passes():
    model = cartsim.full_model()
    card = run_scorecard(load_calibration(), lambda target: evaluate(target, model))
    failed = [f"{r.id}: simulated {r.simulated:.4g}, accept {r.accept} {r.error}" for r in card.rows if not r.passed]
    assert not failed, failed
