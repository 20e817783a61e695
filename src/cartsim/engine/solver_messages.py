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
import math
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Captured", "capture_stderr", "solver_lines", "trouble_day"]

#: The openings of numbalsoda's LSODA messages (every prefix its library prints), and nothing else.
_OPENING = re.compile(r"^(?:lsoda -- |intdy -- |solsy -- |\[lsoda\] |\[intdy\] |\[prja\] )")
#: Notes that are not trouble (printed only when asked for, kept out for safety).
_HARMLESS = ("a switch to the stiff method", "a switch to the nonstiff method")
#: LSODA indents the continuation lines of a message by nine spaces.
_CONTINUATION = " " * 9
_DAY = re.compile(r"\bt = (-?[0-9.]+(?:e[-+]?[0-9]+)?|-?inf|nan)")
# One capture at a time: file descriptor 2 belongs to the whole process. Re-entrant, so that a
# capture inside a capture (same thread) nests instead of waiting for itself.
_LOCK = threading.RLock()


@dataclass
class Captured:
    """The solver's message lines printed while captured (filled when the capture ends)."""

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
    """The earliest day a solver message names (``t = ...``), a little earlier to allow for its
    six printed digits; ``-inf`` when none names a finite day."""
    days = [float(m.group(1)) for line in lines for m in _DAY.finditer(line)]
    finite = [d for d in days if math.isfinite(d)]
    if not finite:
        return float("-inf")
    first = min(finite)
    return first - 1e-5 * abs(first) - 1e-9


@contextlib.contextmanager
def capture_stderr() -> Iterator[Captured]:
    """Capture file descriptor 2; afterwards, pass non-solver text on and keep the solver's lines.

    Where the descriptor cannot be redirected (closed, or not a real file), nothing is
    captured and the solver's messages go where they always went. Text is held until the
    capture ends (one batch solve): a process that dies inside it loses what it printed there.
    """
    captured = Captured()
    with _LOCK:
        saved = _duplicate_stderr()
        if saved is None:
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
                    captured.lines, rest = solver_lines(sink.read().decode("utf-8", errors="replace"))
                    if rest:
                        with contextlib.suppress(OSError, ValueError, AttributeError):
                            sys.stderr.write(rest)
                            sys.stderr.flush()
        finally:
            os.close(saved)


def _duplicate_stderr() -> int | None:
    """A duplicate of file descriptor 2 (after flushing Python's buffer), or None where there is none."""
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    try:
        return os.dup(2)
    except OSError:
        return None
