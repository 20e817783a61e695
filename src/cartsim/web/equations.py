"""The model's equations as one HTML page, one section per module (anchors ``#<module>``).

The text is :func:`cartsim.model.latex.model_markdown`, the same as ``cartsim equations`` and
docs/equations.md; LaTeX is shown as written (nothing is loaded from the internet to typeset it).
"""

from __future__ import annotations

import html
from functools import lru_cache

__all__ = ["equations_page"]


@lru_cache(maxsize=1)
def equations_page() -> str:
    from cartsim import full_model
    from cartsim.model.latex import model_markdown
    from cartsim.parameters.hypotheses import HYPOTHESES

    parts: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            parts.append("<pre>" + html.escape("\n".join(block)) + "</pre>")
            block.clear()

    for line in model_markdown(full_model(), tuple(HYPOTHESES.values())).splitlines():
        if line.startswith("## "):
            flush()
            title = line[3:].strip().strip("`")
            parts.append(f'<h2 id="{html.escape(title)}">{html.escape(title)}</h2>')
        elif line.startswith("# "):
            flush()
            parts.append(f"<h1>{html.escape(line[2:])}</h1>")
        else:
            block.append(line)
    flush()
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>cartsim equations</title><link rel="stylesheet" href="/static/style.css"></head><body><main class="equations">'
        '<p><a href="/">Back to the explorer</a></p>' + "".join(parts) + "</main></body></html>"
    )
