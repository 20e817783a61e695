"""Atomic file writes, the output-folder lock and a small TOML writer for result folders.

Every file is written to a temporary name in its folder and then renamed over the final
name, so a reader (or a resumed run) sees either the whole file or none of it. A run that
writes ``OUT`` holds ``OUT.lock`` (its process id and host) from start to finish, so a second
run on the same folder is refused instead of computing alongside it; a lock whose process is
gone (a killed run) is taken over with a warning.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cartsim.errors import CartsimWarning, InputError

__all__ = ["atomic_write", "atomic_write_text", "current_umask", "folder_lock", "toml_text"]

#: A lock file still empty after this many seconds was left by a run killed while taking it.
_EMPTY_LOCK_SECONDS = 10.0


def current_umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary_path)``, flush it to disk and rename it to ``path`` (same folder, same file system).

    The file gets the permissions of any file the user creates (``0666`` less the umask), not
    the private ``0600`` of a temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~current_umask())
        _sync(temporary)  # on disk before the rename makes it visible: a power cut leaves the old file or the new one
        os.replace(temporary, path)
        _sync(path.parent)
    except BaseException:
        # Ctrl-C included: never leave a stray temporary behind.
        temporary.unlink(missing_ok=True)
        raise


def _sync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # e.g. folders cannot be opened on Windows
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not support fsync on folders
    finally:
        os.close(fd)


def _holder(lock: Path) -> tuple[int, str] | None:
    """The (process id, host) written in ``lock``, or None when it is empty or unreadable."""
    try:
        pid, host = lock.read_text(encoding="utf-8").split()
        return int(pid), host
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _stale(lock: Path) -> str | None:
    """Why ``lock`` is stale (its process is gone), or None when a run may still hold it."""
    holder = _holder(lock)
    if holder is None:
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            return "it was just released"
        return f"empty for {age:.0f} s" if age > _EMPTY_LOCK_SECONDS else None
    pid, host = holder
    if host != socket.gethostname():
        return None  # another machine's process cannot be checked from here
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"process {pid} is gone"
    except PermissionError:
        return None  # alive, owned by another user
    return None


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold ``OUT.lock`` while a run writes ``out`` (and ``OUT.partial``).

    Raises
    ------
    InputError
        When another live run holds the lock (its process id and host are named).
    """
    lock = out.with_name(out.name + ".lock")
    owner = f"{os.getpid()} {socket.gethostname()}\n"
    lock.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            why = _stale(lock)
            if why is None:
                holder = _holder(lock)
                who = f"process {holder[0]} on {holder[1]}" if holder else "a run that is starting"
                raise InputError(
                    "out", str(out), f"a folder no other run is writing ({who} holds {lock}; wait for it, or delete the lock if it is gone)"
                ) from None
            warnings.warn(f"took over the stale lock {lock} ({why})", CartsimWarning, stacklevel=3)
            lock.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(owner)
        break
    try:
        yield
    finally:
        if lock.is_file() and _holder(lock) == (os.getpid(), socket.gethostname()):
            lock.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string (same escapes for quotes, backslashes, controls).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key)


def toml_text(table: Mapping[str, Any]) -> str:
    """TOML for a scenario table: scalars and lists first, then arrays of tables (``[[arm]]``)."""
    lines: list[str] = []
    tables = {
        k: v for k, v in table.items() if isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v) and k in ("arm", "endpoint")
    }
    for key, value in table.items():
        if key not in tables:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, rows in tables.items():
        for row in rows:
            lines += ["", f"[[{key}]]"]
            lines += [f"{_key(k)} = {_value(v) if k != 'regimen' else _regimen(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def _regimen(entries: list[Mapping[str, Any]]) -> str:
    """One regimen entry per line, for people reading the copied scenario."""
    return "[\n" + "".join(f"  {_value(e)},\n" for e in entries) + "]"
