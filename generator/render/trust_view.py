"""Per page of the site: the overdue-review banner and the "report a problem" link, as values
the theme's `main.html` shows (it escapes them: MkDocs' templates do not autoescape).

Worked out at build time against the build date (`Config.clock`), from the same facts as the
review-status page (core/facts.py), so the banner and that page agree.
"""

from __future__ import annotations

from typing import Any

from ..core import layout
from ..core.config import Config
from ..core.model import Document
from ..core.trust import overdue, report_url
from .context import RenderContext

PageInfo = dict[str, Any]


def sources(ctx: RenderContext) -> dict[str, Document]:
    """Docs path -> the document a page is written from (the framework page, not its overlay)."""
    g = ctx.graph
    out: dict[str, Document] = {}
    for doc in g.repo.documents:
        path = g.docs_path.get(doc.path)
        if path and (doc.kind != "overlay" or path not in out):
            out[path] = doc
    return out


def repository_path(ctx: RenderContext, docs: str, doc: Document | None) -> str:
    """The file a reader's report is about: the page's source, else its data file."""
    repo = ctx.graph.repo
    if doc is not None:
        return doc.path
    if docs == layout.RACI and repo.raci:
        return repo.raci.path
    made_from_organization = docs == layout.ORGANIZATION or docs.startswith("organization/roles/")
    if made_from_organization and repo.organization:
        return repo.organization.path
    return docs


def _overdue(ctx: RenderContext, config: Config, docs: str, doc: Document) -> PageInfo | None:
    g = ctx.graph
    late = overdue(doc, g.overlays, config.review_interval_days, config.clock())
    if late is None:
        return None
    here = layout.url_of(docs, ctx.directory_urls)
    role = g.roles.get(late.owner) if late.owner else None
    return {
        "due": late.due.isoformat(),
        "owner": str(role["title"]) if role else (late.owner or ""),
        "owner_href": layout.relative_url(here, layout.role_page(late.owner), ctx.directory_urls)
        if role and late.owner
        else "",
        "status_href": layout.relative_url(here, layout.REVIEW_STATUS, ctx.directory_urls),
    }


def page_info(
    ctx: RenderContext, config: Config, pages: dict[str, str], site_url: str
) -> dict[str, PageInfo]:
    """Docs path -> what the theme shows on that page, for `pages` (docs path -> title).

    Pages with nothing to show are left out. `{page_url}` is the page's address under
    `site_url`, or its path in the site when the site has no `site_url`.
    """
    docs_of = sources(ctx)
    out: dict[str, PageInfo] = {}
    for docs, title in pages.items():
        doc = docs_of.get(docs)
        info: PageInfo = {}
        if doc is not None and doc.kind != "overlay":
            late = _overdue(ctx, config, docs, doc)
            if late:
                info["overdue"] = late
        if config.report_issue_url:
            url = layout.url_of(docs, ctx.directory_urls)
            page_url = site_url.rstrip("/") + "/" + url if site_url else url
            path = repository_path(ctx, docs, doc)
            info["report"] = report_url(config.report_issue_url, title, path, page_url)
        if info:
            out[docs] = info
    return out
