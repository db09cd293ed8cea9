"""Post-build link check over the rendered HTML: every internal link and #anchor resolves.

A broken link is reported at the source file (and line) that produced the page, so a mistake in
a template, a generated view or a Markdown file is found where it was written.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import Config
from .diagnostics import Diagnostic
from .graph import Graph
from .model import Document

# Literal prefixes let the regex engine jump between candidates (~6x faster than `\s(...)`);
# pages are read with newlines and tabs turned into spaces so `<a\nhref=...>` still counts.
_SPACES = bytes.maketrans(b"\n\t\r", b"   ")
_ID = re.compile(rb' id="([^"]+)"')
_HREF = re.compile(rb' href="([^"]*)"')
_SRC = re.compile(rb' src="([^"]*)"')
_SKIP = ("404.html",)


def _page_url(docs: str, directory_urls: bool) -> str:
    if not directory_urls:
        return docs[:-3] + ".html"
    if docs == "index.md" or docs.endswith("/index.md"):
        return docs[: -len("md")] + "html"
    return docs[:-3] + "/index.html"


def scan(site: Path) -> tuple[dict[str, set[str]], dict[str, list[str]], set[str]]:
    """(ids per HTML page, hrefs per HTML page, every file) of a built site."""
    ids: dict[str, set[str]] = {}
    refs: dict[str, list[str]] = {}
    files: set[str] = set()
    for folder, _dirs, names in os.walk(site):
        rel_dir = os.path.relpath(folder, site)
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            files.add(rel)
            if name.endswith(".html") and rel not in _SKIP:
                data = (Path(folder) / name).read_bytes()
                data = data.translate(_SPACES)
                ids[rel] = {m.decode() for m in _ID.findall(data)}
                found = _HREF.findall(data) + _SRC.findall(data)
                refs[rel] = [m.decode() for m in dict.fromkeys(found)]
    return ids, refs, files


def _target(base: str, href: str) -> tuple[str, str] | None:
    """(file in the site, fragment) that `href` on a page in folder `base` points to.

    None for links this check does not own: other sites, mail, absolute paths, theme internals.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "#__")) or not href:
        return None
    if not parts.path:
        return "", unquote(parts.fragment)  # same page
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if parts.path.endswith("/") or target == ".":
        target = "index.html" if target == "." else posixpath.join(target, "index.html")
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[tuple[str, str, str]]:
    """(page, href, "link" or "anchor") for every internal reference that does not resolve."""
    ids, refs, files = scan(site)
    out = []
    resolved: dict[tuple[str, str], tuple[str, str] | None] = {}  # pages share their nav links
    for page, hrefs in refs.items():
        base = posixpath.dirname(page)
        for href in hrefs:
            key = (base, href)
            if key not in resolved:
                resolved[key] = _target(base, href)
            found = resolved[key]
            if found is None:
                continue
            target, fragment = found
            target = target or page
            if target not in files:
                out.append((page, href, "link"))
            elif fragment and target in ids and fragment not in ids[target]:
                out.append((page, href, "anchor"))
    return out


def check_site(site: Path, g: Graph, config: Config, directory_urls: bool) -> list[Diagnostic]:
    by_url: dict[str, list[Document]] = {}  # a page and the files merged into it
    for doc in g.repo.documents:
        if doc.path in g.docs_path:
            by_url.setdefault(_page_url(g.docs_path[doc.path], directory_urls), []).append(doc)
    problems = []
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
