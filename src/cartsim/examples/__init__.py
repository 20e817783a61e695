"""The shipped example scenarios (TOML files in this package), so they work from any folder.

``cartsim examples`` lists them and, with ``--copy DIR``, copies them for editing.

Examples
--------
>>> "cart-vs-ocrelizumab-rrms" in example_names()
True
>>> example_path("cd28-vs-41bb").name
'cd28-vs-41bb.toml'
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from cartsim.errors import InputError

__all__ = ["copy_examples", "example_names", "example_path", "example_summary"]


def _folder() -> Path:
    return Path(str(files("cartsim.examples")))


def example_names() -> tuple[str, ...]:
    """The names of the shipped scenarios (file names without ``.toml``), sorted."""
    return tuple(sorted(p.stem for p in _folder().glob("*.toml")))


def example_path(name: str) -> Path:
    """The file of the shipped scenario ``name``; an unknown name is an error listing them."""
    if name not in example_names():
        raise InputError("example", name, "one of " + ", ".join(example_names()))
    return _folder() / f"{name}.toml"


def example_summary(name: str) -> str:
    """The scenario's opening comment (what it asks), in one line."""
    lines = example_path(name).read_text(encoding="utf-8").splitlines()
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("# ").rstrip())
    return " ".join(c for c in comment if c and not c.startswith("Research tool"))


def copy_examples(folder: str | Path) -> list[Path]:
    """Copy every shipped scenario into ``folder`` (created if needed); an existing file is never overwritten.

    Raises
    ------
    InputError
        When a file of the same name is already there (nothing is copied then) or the folder cannot be made.
    """
    folder = Path(folder)
    targets = [folder / f"{name}.toml" for name in example_names()]
    taken = [t.name for t in targets if t.exists()]
    if taken:
        raise InputError("--copy", str(folder), f"a folder without files named like the examples (already there: {', '.join(taken)})")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--copy", str(folder), f"a folder that can be created ({exc.strerror})") from None
    if not folder.is_dir():
        raise InputError("--copy", str(folder), "a folder (this is a file)")
    for name, target in zip(example_names(), targets, strict=False):
        shutil.copyfile(example_path(name), target)
    return targets
