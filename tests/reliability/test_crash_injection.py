"""A run killed at any write point recovers: already complete, ``--resume``, or the same command again.

One undisturbed run counts the write points (see ``crash``), then a run is killed just before
each of them in a fresh process (``os._exit``: no clean-up) and recovered as a user would.
Every recovered result must equal the undisturbed one and leave nothing behind.
"""

from __future__ import annotations

import pytest

from tests.reliability.crash import kill_everywhere, write_points


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory):
    return write_points(tmp_path_factory.mktemp("undisturbed"))


def test_a_run_has_many_write_points(undisturbed):
    count, reference = undisturbed
    assert count >= 20, "the lock, the stamp, chunks, result files, figures, the report and the final rename"
    assert len(reference) == 4


def test_a_kill_at_every_write_point_is_recovered(undisturbed, tmp_path):
    count, reference = undisturbed
    stuck = [o for o in kill_everywhere(tmp_path, count, reference) if o.recovery == "stuck"]
    assert not stuck, "\n".join(f"write point {o.point}: {o.detail}" for o in stuck)
