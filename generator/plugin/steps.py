"""Steps that features add to the site build, without touching the plugin's event wiring.

Each list runs in order. `ON_FILES` steps get (plugin, files, config) once the generated pages
are in MkDocs' files; `AFTER_PAGES` steps get (plugin, config) after every page is written and
the packs are rendered, before the site's link check, so what they write can be linked to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from ..core.exports.files import write_into_site
from . import markdown_pages, page_trust


def _exports(plugin: Any, config: Any) -> None:
    write_into_site(Path(config.site_dir), plugin.graph)  # the RACI and maturity pages link them


ON_FILES: list[Callable[[Any, Files, Any], None]] = [
    markdown_pages.remember_files,
    page_trust.remember,
]
AFTER_PAGES: list[Callable[[Any, Any], None]] = [_exports, markdown_pages.write_pages]
