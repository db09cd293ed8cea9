"""Find the internal links of a built site that do not resolve, optionally on a second core.

Only the standard library is imported here: the background scanner is a child process whose
start-up should cost an interpreter, not the generator.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from ..core.layout import split_url

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


def target_of(base: str, href: str) -> tuple[str, str] | None:
    """(file in the site, fragment) that `href` on a page in folder `base` points to.

    A site-absolute href (`/capabilities/x.html`) starts at the site root, and a folder URL
    (`x/`) means its `index.html`. The file climbs (`../x`) when the href leaves the site.
    None for links this check does not own: other sites, mail, theme internals (`#__...`).
    """
    parts = split_url(href)
    if parts is None or parts.scheme or parts.netloc or href.startswith(("//", "#__")):
        return None  # no URL at all, or one this check does not own
    if not href:
        return None
    if not parts.path:
        return "", unquote(parts.fragment)  # same page
    path = unquote(parts.path)
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/") or ".")
    else:
        target = posixpath.normpath(posixpath.join(base, path))
    if path.endswith("/") or target == ".":
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
                resolved[key] = target_of(base, href)
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


def _serve(inp: BinaryIO, out: BinaryIO) -> None:
    """The background scanner: pages in, findings out, pickled over its own pipes."""
    seen: dict[str, Refs] = {}
    while True:
        try:
            kind, name, data = pickle.load(inp)
        except EOFError:  # the build stopped early
            return
        if kind == "page":
            seen[name] = page_refs(data)
        else:
            pickle.dump(broken_links(Path(name), seen), out)
            out.flush()
            return


class Scanner:
    """Reads pages as MkDocs writes them, in a second process, so the link check at the end of
    a build only has to resolve what it collected. Falls back to reading the site from disk."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            # A plain child process, not multiprocessing: spawn would re-run the caller's
            # __main__, and fork is unsafe next to `serve`'s threads.
            self.proc = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError) as exc:  # no interpreter to start: check at the end
            log.debug(f"link check runs after the build instead: {exc}")

    def add(self, page: str, html: str) -> None:
        self._send(("page", page, html.encode("utf-8")))

    def _send(self, message: tuple[str, str, bytes]) -> bool:
        if self.proc is None or self.proc.stdin is None:
            return False
        try:
            pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            return True
        except OSError as exc:
            log.debug(f"background link scan stopped: {exc}")
            self.close()
            return False

    def finish(self, site: Path) -> list[Finding]:
        """The broken links of the finished site."""
        found = None
        if self._send(("check", str(site), b"")) and self.proc and self.proc.stdout:
            try:
                self.proc.stdin.flush()  # type: ignore[union-attr]
                found = pickle.load(self.proc.stdout)
            except Exception as exc:  # whatever went wrong there, the scan from disk is exact
                log.debug(f"background link scan failed, scanning again: {exc}")
        self.close()
        return found if found is not None else broken_links(site)

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):  # a pipe the child already closed
                if stream:
                    stream.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
