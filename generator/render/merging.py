"""Markdown of one file shown inside another page: links re-pointed, headings pushed down."""

from __future__ import annotations

import re

from ..core.graph import Graph
from ..core.layout import relative, resolve_link
from ..core.model import Document

_LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.M)


def rewrite_links(body: str, source: Document, dest: str, g: Graph) -> str:
    """Re-point relative links of a file that is shown at another place in the site."""

    def fix(m: re.Match[str]) -> str:
        path, anchor = resolve_link(source.path, m.group(2))
        if path is None or path == "":
            return m.group(0)
        target = g.docs_path.get(path)
        if target is None:
            return m.group(0)
        return m.group(1) + relative(dest, target, anchor) + m.group(3)

    return _LINK.sub(fix, body)


def demote(body: str, levels: int = 1) -> str:
    """Push every heading down so a merged file nests under a generated heading."""
    out, fenced = [], False
    for line in body.split("\n"):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        out.append(line if fenced else _HEADING.sub(lambda m: m.group(1) + "#" * levels, line))
    return "\n".join(out)
