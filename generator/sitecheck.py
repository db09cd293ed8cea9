"""Post-build link check over the rendered HTML: every internal link and #anchor resolves.

A broken link is reported at the source file (and line) that produced the page, so a mistake in
a template, a generated view or a Markdown file is found where it was written.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config
from .diagnostics import Diagnostic
from .graph import Graph
from .linkscan import Finding, broken_links
from .model import Document


def _page_url(docs: str, directory_urls: bool) -> str:
    if not directory_urls:
        return docs[:-3] + ".html"
    if docs == "index.md" or docs.endswith("/index.md"):
        return docs[: -len("md")] + "html"
    return docs[:-3] + "/index.html"


def check_site(
    site: Path,
    g: Graph,
    config: Config,
    directory_urls: bool,
    found: list[Finding] | None = None,
) -> list[Diagnostic]:
    """Diagnostics for the site's broken links (`found`, or a fresh scan of `site`)."""
    by_url: dict[str, list[Document]] = {}  # a page and the files merged into it
    for doc in g.repo.documents:
        if doc.path in g.docs_path:
            by_url.setdefault(_page_url(g.docs_path[doc.path], directory_urls), []).append(doc)
    problems = []
    if found is None:
        found = broken_links(site)
    by_target: dict[str, list[str]] = {}
    for page, href, _what in found:
        by_target.setdefault(_absolute(page, href), []).append(page)
    shared = {t for t, pages in by_target.items() if len(pages) >= 3}
    for target in sorted(shared):
        pages = by_target[target]
        problems.append(
            Diagnostic(
                "(theme or generated part)",
                0,
                "site-broken-link",
                f"`{target}` is linked from {len(pages)} pages "
                f"({', '.join(pages[:3])}, ...) and does not exist",
                "a link shared by many pages comes from a template in theme/ or a "
                "generated section; fix it there",
                severity="error",
            )
        )
    for page, href, what in found:
        if _absolute(page, href) in shared:
            continue
        path, line = _source_of(by_url.get(page, []), href, page)
        code = "site-broken-link" if what == "link" else "site-broken-anchor"
        problems.append(
            Diagnostic(
                path,
                line,
                code,
                f"`{href}` in {page} does not resolve",
                "fix the link in the source, or the page or heading it names",
                severity="error",
            )
        )
    return problems


def _source_of(sources: list[Document], href: str, page: str) -> tuple[str, int]:
    """The file and line that wrote `href`: the page's own source or a playbook merged in."""
    for needle in _needles(href):  # most specific first, across every merged file
        for doc in sources:
            for i, line in enumerate(doc.body.split("\n")):
                if needle in line:
                    return doc.path, doc.body_line + i
    if sources:
        return sources[0].path, sources[0].body_line
    return f"(generated page {page})", 0


def _absolute(page: str, href: str) -> str:
    path = urlsplit(href).path
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page


def _needles(href: str) -> list[str]:
    """Strings the Markdown source of `href` contains: file and anchor, anchor, file name."""
    parts = urlsplit(href)
    stem = posixpath.basename(parts.path).rsplit(".", 1)[0] if parts.path else ""
    found = [
        f"{stem}.md#{parts.fragment}" if stem and parts.fragment else "",
        f"#{parts.fragment}" if parts.fragment else "",
        stem,
    ]
    return [n for n in found if n]
