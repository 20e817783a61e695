"""The web explorer under load: concurrent clients on loopback, latency percentiles and refusals.

``cartsim serve`` runs in a subprocess on a free 127.0.0.1 port with an empty cache folder and
its presets (the default question of each MS type, answered at start). Then, in one run:

1. cached presets: ``--clients`` clients ask the three presets over and over;
2. new questions, one at a time: the default question with a different weight each time (so
   never cached): the latency of a typical answer;
3. new questions, all clients at once: each asks a new question at the same moment; answers
   beyond the server's capacity wait up to its limit, then are refused (503, retry hint).

The peer, measured in the same run, is the same new question answered in-process
(:func:`cartsim.web.answer.answer`, no HTTP, no cache): the ratio shows what serving adds.
Writes a section of docs/performance.md between its markers with ``--out``.

Usage:  python benchmarks/web_load.py [--clients 4] [--requests 20] [--out docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

START, END = "<!-- web-load:start -->", "<!-- web-load:end -->"
MS_TYPES = ("rrms", "ppms", "spms")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ask(url: str, question: dict) -> tuple[float, int]:
    """(seconds, HTTP status) of one question."""
    request = urllib.request.Request(f"{url}/api/answer", json.dumps(question).encode(), {"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - started, status


def _row(name: str, results: list[tuple[float, int]], peer: float | None) -> str:
    answered = sorted(t for t, s in results if s == 200)
    refused = sum(s == 503 for _, s in results)
    other = len(results) - len(answered) - refused
    p50 = statistics.median(answered) if answered else float("nan")
    p95 = answered[min(len(answered) - 1, round(0.95 * (len(answered) - 1)))] if answered else float("nan")
    ratio = f"{p50 / peer:.2f} x" if peer else "-"
    return f"| {name} | {len(results)} | {p50:.3f} | {p95:.3f} | {refused / len(results):.0%} | {other} | {ratio} |"


def _wait_ready(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("cartsim serve stopped")
        try:
            urllib.request.urlopen(f"{url}/api/health", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("cartsim serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=20, help="requests per client against the cached presets")
    parser.add_argument("--new", type=int, default=6, help="new questions asked one at a time")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    from cartsim.web.answer import answer
    from cartsim.web.request import Question

    answer(Question())  # compile once in this process
    peer_times = []
    for weight in (71.0, 72.0, 73.0):
        started = time.perf_counter()
        answer(Question.model_validate({"situation": {"weight_kg": weight}}))
        peer_times.append(time.perf_counter() - started)
    peer = statistics.median(peer_times)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as cache:
        process = subprocess.Popen(
            [sys.executable, "-m", "cartsim", "serve", "--port", str(port), "--cache", cache], stdout=subprocess.DEVNULL
        )
        try:
            _wait_ready(url, process)
            presets = [{"situation": {"ms_type": t}} for t in MS_TYPES]
            for question in presets:  # the presets are being answered at start: wait until they are in
                _ask(url, question)
            health = statistics.median(_time_health(url) for _ in range(20))
            with ThreadPoolExecutor(args.clients) as pool:
                cached = list(pool.map(lambda i: _ask(url, presets[i % 3]), range(args.clients * args.requests)))
            weights = iter(range(80, 200))
            sequential = [_ask(url, {"situation": {"weight_kg": next(weights)}}) for _ in range(args.new)]
            with ThreadPoolExecutor(args.clients) as pool:
                burst = list(pool.map(lambda w: _ask(url, {"situation": {"weight_kg": w}}), [next(weights) for _ in range(args.clients)]))
        finally:
            process.terminate()
            process.wait(30)

    lines = [
        START,
        "## Web explorer under load",
        "",
        f"Measured by `benchmarks/web_load.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"2 cores: `cartsim serve` (one question simulated at a time, a question waits up to 10 s for its turn, "
        f"then 503) on loopback, {args.clients} concurrent clients. The default question: RRMS on ocrelizumab for 2 years, "
        "stay vs CD19 CAR-T, 20 virtual patients per option, 5 years, three reset hypotheses. The peer is the same "
        f"question answered in-process without HTTP or cache, in this run: median {peer:.2f} s; `/api/health` "
        f"round trip {health * 1000:.1f} ms.",
        "",
        "| requests | n | p50 (s) | p95 (s) | refused (503) | other errors | p50 / in-process answer |",
        "|---|---:|---:|---:|---:|---:|---:|",
        _row("cached presets, all clients at once", cached, peer),
        _row("new questions, one at a time", sequential, peer),
        _row(f"new questions, {args.clients} at once", burst, peer),
        "",
        "Goal (issue: web explorer): typical answers under 2 s, cached presets instantly. Cached answers are; a new "
        "question takes what its virtual trial takes, which is the engine's work (issue: the engine at the limit).",
        END,
    ]
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        page = args.out.read_text()
        if START in page:
            page = page[: page.index(START)] + text + page[page.index(END) + len(END) :]
        else:
            page = page.rstrip("\n") + "\n\n" + text + "\n"
        args.out.write_text(page)


def _time_health(url: str) -> float:
    started = time.perf_counter()
    urllib.request.urlopen(f"{url}/api/health", timeout=10).read()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
