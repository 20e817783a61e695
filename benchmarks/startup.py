"""Start-up time: ``import cartsim`` and ``cartsim --help`` against the bare interpreter, in one run.

Each command runs in a fresh process, ``--repeat`` times, alternating so that machine noise
hits all of them alike; the median wall time of each and its ratio to the bare interpreter
(``python -c pass``) are printed as a Markdown table (goals: ``cartsim --help`` under 1 s,
``import cartsim`` under 2 s on the 2-core development machine).

Usage:  python benchmarks/startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "python -c pass (peer)": [sys.executable, "-c", "pass"],
    "python -c 'import cartsim'": [sys.executable, "-c", "import cartsim"],
    "cartsim --help": [shutil.which("cartsim") or str(Path(sys.executable).with_name("cartsim")), "--help"],
    "python -c 'import cartsim.trial' (what a run loads)": [sys.executable, "-c", "import cartsim.trial"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, command in COMMANDS.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    peer = statistics.median(times["python -c pass (peer)"])
    print(f"| command | median wall time (s), {args.repeat} runs | ratio to the bare interpreter |")
    print("|---|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {median / peer:.1f} x |")


if __name__ == "__main__":
    main()
