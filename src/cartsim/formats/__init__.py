"""The file formats cartsim reads, as Markdown shipped with the package (``cartsim formats NAME``).

Examples
--------
>>> format_text("targets").splitlines()[0]
'# Targets files (schema cartsim-targets/1)'
"""

from __future__ import annotations

from importlib.resources import files

from cartsim.errors import InputError

__all__ = ["FORMATS", "format_text"]

#: The documented formats.
FORMATS = ("scenario", "targets", "population")


def format_text(name: str) -> str:
    """The Markdown description of format ``name`` (one of :data:`FORMATS`)."""
    if name not in FORMATS:
        raise InputError("format", name, "one of " + ", ".join(FORMATS))
    return files("cartsim.formats").joinpath(f"{name}.md").read_text(encoding="utf-8")
