"""Answers the explorer has given, kept in memory and in one folder on disk.

A question's key is the SHA-256 of the checked question, the cartsim version and the model's
hash, so a new release or model never serves an old answer. Each answer is a folder
``<key>/`` (``answer.json``, ``summary.csv``, ``summary.parquet``, ``patients.csv``), written
under a temporary name and renamed when complete: a reader sees all of it or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

from cartsim.trial import TrialResult
from cartsim.web.request import Question

__all__ = ["AnswerCache", "default_cache_folder", "question_key"]

#: Answers kept in memory (the disk keeps them all).
MEMORY_ANSWERS = 64
#: The files of an answer's folder: downloads by extension.
DOWNLOADS = {"summary.csv": "text/csv", "summary.parquet": "application/vnd.apache.parquet", "patients.csv": "text/csv"}


def default_cache_folder() -> Path:
    """``$XDG_CACHE_HOME/cartsim/web`` (``~/.cache/cartsim/web`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cartsim" / "web"


def question_key(question: Question) -> str:
    """The key of ``question``'s answer under this cartsim and model (24 hex digits)."""
    import cartsim
    from cartsim.models import full_model

    text = json.dumps({"question": question.model_dump(), "cartsim": cartsim.__version__, "model": full_model().hash}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class AnswerCache:
    """Answers by key: memory first, then the folder; ``put`` writes a complete folder or nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._memory: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.folder / key

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        try:
            found: dict[str, Any] = json.loads((self.path(key) / "answer.json").read_text())
        except (OSError, ValueError):
            return None
        self._remember(key, found)
        return found

    def put(self, key: str, answer: dict[str, Any], result: TrialResult) -> None:
        """Keep ``answer``; a folder that cannot be written (disk full) is warned about, the answer still served."""
        self._remember(key, answer)
        try:
            self._write(key, answer, result)
        except OSError as exc:
            warnings.warn(f"answer {key} not written to {self.folder}: {exc}", stacklevel=2)

    def _write(self, key: str, answer: dict[str, Any], result: TrialResult) -> None:
        final = self.path(key)
        if final.is_dir():
            return
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.folder))
        try:
            (staging / "answer.json").write_text(json.dumps(answer))
            result.summary_table.to_csv(staging / "summary.csv", index=False)
            result.summary_table.to_parquet(staging / "summary.parquet", index=False)
            result.endpoints.to_csv(staging / "patients.csv", index=False)
            os.replace(staging, final)
        except OSError:
            if final.is_dir():  # another request wrote the same answer first
                return
            raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def file(self, key: str, name: str) -> Path | None:
        """A download of a cached answer, or None."""
        path = self.path(key) / name
        return path if name in DOWNLOADS and path.is_file() else None

    def _remember(self, key: str, answer: dict[str, Any]) -> None:
        with self._lock:
            self._memory[key] = answer
            self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_ANSWERS:
                self._memory.popitem(last=False)
