"""A sensitivity analysis written to a folder, complete or not at all.

``FOLDER/indices.csv`` (one row per factor: range, indices, most influential first),
``tornado.csv``, ``indices.png``, ``tornado.png`` and ``sensitivity.json`` (what was run, the
counts of failed and missing samples, the disclaimer). The files are written into
``FOLDER.partial`` and the folder renamed when all are there; an existing non-empty folder is
never touched.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path

from cartsim.engine import DISCLAIMER
from cartsim.errors import InputError
from cartsim.sensitivity.figures import index_figure, tornado_figure
from cartsim.sensitivity.run import SensitivityResult
from cartsim.trial.files import current_umask

__all__ = ["check_folder", "describe", "write_sensitivity"]


def describe(result: SensitivityResult) -> dict[str, object]:
    """What was run and how it went, as JSON-ready values."""
    return {
        "scenario": result.scenario,
        "arm": result.arm,
        "hypothesis": result.hypothesis,
        "endpoint": result.endpoint,
        "unit": result.unit,
        "method": result.method,
        "samples": result.samples,
        "evaluations": result.evaluations,
        "failed_solves": result.failed,
        "samples_without_value": result.missing,
        "fill": result.fill,
        "censored": result.censored,
        "typical": result.typical if math.isfinite(result.typical) else None,
        "seconds": round(result.seconds, 2),
        "seed": result.seed,
        "solver": dict(result.solver),
        "factors": [
            {"name": f.name, "low": f.low, "high": f.high, "typical": f.typical, "unit": f.unit, "range": f.origin} for f in result.factors
        ],
        "disclaimer": DISCLAIMER,
    }


def check_folder(folder: Path) -> None:
    """Refuse a folder that exists and is not empty (it is never written into)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("--out", str(folder), "a folder that does not exist yet or is empty")


def write_sensitivity(result: SensitivityResult, folder: Path) -> Path:
    """Write ``result`` to ``folder`` (which must not exist or be empty); returns the folder."""
    folder = Path(folder)
    check_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))  # ours alone
    try:
        result.ranking().to_csv(partial / "indices.csv", index=False)
        result.tornado.to_csv(partial / "tornado.csv", index=False)
        (partial / "indices.png").write_bytes(index_figure(result).png)
        (partial / "tornado.png").write_bytes(tornado_figure(result).png)
        (partial / "sensitivity.json").write_text(json.dumps(describe(result), indent=2, allow_nan=False) + "\n", encoding="utf-8")
        os.chmod(partial, 0o777 & ~current_umask())  # mkdtemp makes it private (0700)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder
