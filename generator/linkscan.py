"""Find the internal links of a built site that do not resolve, optionally on a second core.

Only the standard library is imported here: the background scanner is a spawned process, and
its start-up should cost an interpreter, not the generator.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import posixpath
import re
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger("mkdocs.plugins.finops-kb")

# Literal prefixes let the regex engine jump between candidates (~6x faster than `\s(...)`);
# pages are read with newlines and tabs turned into spaces so `<a\nhref=...>` still counts.
_SPACES = bytes.maketrans(b"\n\t\r", b"   ")
_ID = re.compile(rb' id="([^"]+)"')
_HREF = re.compile(rb' href="([^"]*)"')
_SRC = re.compile(rb' src="([^"]*)"')
_SKIP = ("404.html",)

Refs = tuple[set[str], list[str]]
"""The ids a page defines and the distinct hrefs and srcs it uses."""
Finding = tuple[str, str, str]
"""(page, href, "link" or "anchor")."""


def page_refs(data: bytes) -> Refs:
    data = data.translate(_SPACES)
    found = _HREF.findall(data) + _SRC.findall(data)
    return {m.decode() for m in _ID.findall(data)}, [m.decode() for m in dict.fromkeys(found)]


def scan(site: Path, seen: dict[str, Refs] | None = None) -> tuple[dict[str, Refs], set[str]]:
    """(ids and hrefs per HTML page, every file) of a built site; pages in `seen` are not
    read again."""
    pages = dict(seen or {})
    files: set[str] = set()
    for folder, _dirs, names in os.walk(site):
        rel_dir = os.path.relpath(folder, site)
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            files.add(rel)
            if name.endswith(".html") and rel not in _SKIP and rel not in pages:
                pages[rel] = page_refs((Path(folder) / name).read_bytes())
    return {p: r for p, r in pages.items() if p in files}, files


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


def broken_links(site: Path, seen: dict[str, Refs] | None = None) -> list[Finding]:
    """Every internal reference of the site that does not resolve."""
    pages, files = scan(site, seen)
    out = []
    resolved: dict[tuple[str, str], tuple[str, str] | None] = {}  # pages share their nav links
    for page, (_ids, hrefs) in pages.items():
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
            elif fragment and target in pages and fragment not in pages[target][0]:
                out.append((page, href, "anchor"))
    return out


def _serve(conn: Connection) -> None:
    seen: dict[str, Refs] = {}
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the build stopped early
            return
        if message[0] == "page":
            seen[message[1]] = page_refs(message[2])
        else:
            conn.send(broken_links(Path(message[1]), seen))
            return


class Scanner:
    """Reads pages as MkDocs writes them, in a second process, so the link check at the end of
    a build only has to resolve what it collected. Falls back to reading the site from disk."""

    def __init__(self) -> None:
        self.conn: Connection | None = None
        self.proc: multiprocessing.process.BaseProcess | None = None
        try:
            # spawn, not fork: `serve` runs threads, and forking those is unsafe.
            ctx = multiprocessing.get_context("spawn")
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
            self.proc.start()
            child.close()
        except OSError as exc:
            log.debug(f"link check runs after the build instead: {exc}")
            self.conn = None

    def add(self, page: str, html: str) -> None:
        if self.conn is None:
            return
        try:
            self.conn.send(("page", page, html.encode("utf-8")))
        except OSError as exc:
            log.debug(f"background link scan stopped: {exc}")
            self.conn = None

    def finish(self, site: Path) -> list[Finding]:
        """The broken links of the finished site."""
        found = None
        if self.conn is not None:
            try:
                self.conn.send(("check", str(site)))
                found = self.conn.recv()
            except (OSError, EOFError) as exc:
                log.debug(f"background link scan failed, scanning again: {exc}")
        self.close()
        return found if found is not None else broken_links(site)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.kill()
            self.proc = None
