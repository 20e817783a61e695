"""LSODA's warnings, caught: the messages numbalsoda prints while its solver goes on.

numbalsoda's LSODA reports some trouble only by printing to the process's standard error
and carrying on with a success flag: "t + h = t on the next step" (the step size underflowed)
and "intdy -- t illegal" (an output interpolated outside the last step). The solution that
follows can be garbage (an infusion of 1e150 mg vanishes: a peak of 5e-30 mg/L). The only
trace is that text, so the CPU engine captures the error stream (file descriptor 2) while
it solves, turns solver messages into a per-patient failure and passes any other text on.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Captured", "capture_stderr", "solver_lines", "trouble_day"]

#: The opening of a message from numbalsoda's LSODA ("lsoda -- ...", "intdy -- ...", "[lsoda] ...").
_OPENING = re.compile(r"^(?:[a-z]+ -- |\[[a-z]+\] )")
#: Notes that are not trouble (printed only when asked for, kept out for safety).
_HARMLESS = ("a switch to the stiff method", "a switch to the nonstiff method")
#: LSODA indents the continuation lines of a message by nine spaces.
_CONTINUATION = " " * 9
_DAY = re.compile(r"\bt = (-?[0-9.]+(?:e[-+]?[0-9]+)?|-?inf|nan)")
# One capture at a time: file descriptor 2 belongs to the whole process.
_LOCK = threading.Lock()


@dataclass
class Captured:
    """What the solver printed while captured (filled when the capture ends)."""

    text: str = ""
    lines: list[str] = field(default_factory=list)


def solver_lines(text: str) -> tuple[list[str], str]:
    """The solver's message lines in ``text`` (with their indented continuations), and the rest."""
    solver: list[str] = []
    rest: list[str] = []
    within = False
    for line in text.splitlines(keepends=True):
        if _OPENING.match(line):
            within = True
        elif not (within and line.startswith(_CONTINUATION) and line.strip()):
            within = False
        (solver if within else rest).append(line)
    return [line.rstrip("\n") for line in solver if not any(note in line for note in _HARMLESS)], "".join(rest)


def trouble_day(lines: list[str]) -> float:
    """The earliest day a solver message names (``t = ...``); ``-inf`` when none names one."""
    days = [float(m.group(1)) for line in lines for m in _DAY.finditer(line)]
    return min(days) if days else float("-inf")


@contextlib.contextmanager
def capture_stderr() -> Iterator[Captured]:
    """Capture file descriptor 2; afterwards, pass non-solver text on and keep the solver's lines.

    Where the descriptor cannot be redirected (closed, or not a real file), nothing is
    captured and the solver's messages go where they always went.
    """
    captured = Captured()
    with _LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):
            yield captured
            return
        try:
            with tempfile.TemporaryFile() as sink:
                os.dup2(sink.fileno(), 2)
                try:
                    yield captured
                finally:
                    with contextlib.suppress(OSError, ValueError, AttributeError):
                        sys.stderr.flush()
                    os.dup2(saved, 2)
                    sink.seek(0)
                    text = sink.read().decode("utf-8", errors="replace")
                    captured.lines, rest = solver_lines(text)
                    captured.text = text
                    if rest:
                        with contextlib.suppress(OSError, ValueError, AttributeError):
                            sys.stderr.write(rest)
                            sys.stderr.flush()
        finally:
            os.close(saved)
