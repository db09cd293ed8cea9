"""Build step: hand the theme, per page, the overdue-review banner and the "report a problem"
link (worked out in render/trust_view.py).

The theme reads them from `config.extra.finops_kb_pages` (keyed by the page's docs path): MkDocs
passes `config` to every template, and the navigation's pages do not exist yet when the files
are known. A site whose theme has no `main.html` from finops-kb simply shows neither.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from typing import Any

from mkdocs.structure.files import File, Files

from ..render.trust_view import page_info, sources

EXTRA_KEY = "finops_kb_pages"
_H1 = re.compile(r"^# (.+?)\s*(?:\{[^}\n]*\})?\s*$", re.M)


def _title(file: File, known: dict[str, str]) -> str:
    """The page's title as a reader sees it: from the model, else the page's own heading."""
    if file.src_uri in known:
        return known[file.src_uri]
    if file.generated_by is not None:
        match = _H1.search(file.content_string)
        if match:
            return unescape(match.group(1).replace("\\", ""))  # md() escaped it
    return posixpath.splitext(posixpath.basename(file.src_uri))[0].replace("-", " ").capitalize()


def _titles(plugin: Any) -> dict[str, str]:
    ctx = plugin.ctx
    g = ctx.graph
    out = {docs: doc.title for docs, doc in sources(ctx).items() if doc.title}
    out.update({f"organization/roles/{r}.md": str(v["title"]) for r, v in g.roles.items()})
    out.update({f"organization/units/{u}.md": str(v["name"]) for u, v in g.repo.units.items()})
    out["organization/index.md"] = ctx.org_name
    return out


def remember(plugin: Any, files: Files, config: Any) -> None:
    known = _titles(plugin)
    pages = {f.src_uri: _title(f, known) for f in files.documentation_pages()}
    config.extra[EXTRA_KEY] = page_info(plugin.ctx, plugin.core, pages, config.site_url or "")
