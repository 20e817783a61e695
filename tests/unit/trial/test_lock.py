"""One run per output folder: a second run on the same folder is refused, a dead run's lock is taken over."""

import os
import socket
import subprocess
import sys
import threading

import pytest

from cartsim.errors import CartsimWarning, InputError
from cartsim.trial import parse_scenario, run_trial
from cartsim.trial.files import folder_lock


def _scenario():
    return parse_scenario(
        {
            "population": "rrms",
            "patients": 4,
            "horizon_days": 20,
            "chunk_size": 2,
            "arm": [{"name": "ocrelizumab", "regimen": [{"therapy": "ocrelizumab", "day": 0, "dose": "600 mg"}]}],
        }
    )


def test_a_second_run_on_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "out"
    started, release = threading.Event(), threading.Event()
    results = {}

    def progress(done, total):
        started.set()
        release.wait(60)

    first = threading.Thread(target=lambda: results.setdefault("first", run_trial(_scenario(), out, progress=progress)))
    first.start()
    try:
        assert started.wait(120)
        with pytest.raises(InputError, match=rf"process {os.getpid()} on .* holds .*out\.lock"):
            run_trial(_scenario(), out)
        with pytest.raises(InputError, match="holds"):
            run_trial(_scenario(), out, resume=True)  # --resume too: the first run is alive
    finally:
        release.set()
        first.join(120)
    assert results["first"].folder == out
    assert not (tmp_path / "out.lock").exists(), "the lock goes with the run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_live_process_on_this_host_holds_the_lock(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "out.lock").write_text(f"{holder.pid} {socket.gethostname()}\n")
        with pytest.raises(InputError, match=f"process {holder.pid}"):
            run_trial(_scenario(), out)
        assert not out.exists() and not (tmp_path / "out.partial").exists(), "nothing written"
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / "out.lock").write_text(f"{gone.pid} {socket.gethostname()}\n")
    with pytest.warns(CartsimWarning, match=f"stale lock .*process {gone.pid} is gone"):
        result = run_trial(_scenario(), tmp_path / "out")
    assert result.folder == tmp_path / "out"
    assert not (tmp_path / "out.lock").exists()


def test_a_lock_of_another_host_is_never_taken_over(tmp_path):
    (tmp_path / "out.lock").write_text("1 some-other-host\n")
    with pytest.raises(InputError, match="process 1 on some-other-host"), folder_lock(tmp_path / "out"):
        pass
    assert (tmp_path / "out.lock").read_text() == "1 some-other-host\n", "another run's lock is left alone"
