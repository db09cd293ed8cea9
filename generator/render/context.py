"""What every page renderer gets besides the graph: the organization, URLs, theme overrides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from ..core.graph import Graph
from ..core.model import Document

OVERRIDES = "parts"
"""Folder of the theme's custom_dir whose templates replace the bundled parts of the same name."""


@dataclass(slots=True)
class RenderContext:
    """What page generation needs besides the graph."""

    graph: Graph
    org_name: str = "Our organization"
    repo_url: str = ""
    edit_branch: str = "main"
    directory_urls: bool = False
    """MkDocs' `use_directory_urls`: decides the URLs written into raw HTML."""
    parts_dirs: tuple[str, ...] = ()
    """Folders whose templates override the bundled HTML parts (a theme's `parts/`)."""

    @property
    def org_html(self) -> Markup:
        """The organization's name as HTML, for theme templates (MkDocs' do not autoescape)."""
        return escape(self.org_name)

    def edit_url(self, doc: Document) -> str:
        return self.edit_path(doc.path)

    def edit_path(self, path: str) -> str:
        """The web address that edits repository file `path` ("" without `repository_url`)."""
        return (
            f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{path}" if self.repo_url else ""
        )


def render_context(
    graph: Graph, directory_urls: bool = False, custom_dir: str | None = None
) -> RenderContext:
    """`custom_dir`: the theme folder, whose `parts/` templates override the bundled ones."""
    org = graph.repo.organization.data if graph.repo.organization else {}
    return RenderContext(
        graph,
        str(org.get("name") or "Our organization"),
        str(org.get("repository_url") or ""),
        str(org.get("edit_branch") or "main"),
        directory_urls,
        override_dirs(custom_dir),
    )


def override_dirs(custom_dir: str | Path | None) -> tuple[str, ...]:
    """Where a theme overrides parts, for `RenderContext.parts_dirs`."""
    return (str(Path(custom_dir) / OVERRIDES),) if custom_dir else ()
