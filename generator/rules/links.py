"""Source-level link check: relative links between files and their `#anchors`."""

from __future__ import annotations

import difflib
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Config
from ..diagnostics import Diagnostic
from ..model import Document, Repository


def resolve(source: str, target: str) -> tuple[str | None, str]:
    """(repository-relative path or None for a same-page link, anchor) of a relative link.

    Returns ("", "") for links this check does not own: external URLs, mail, site-absolute paths.
    """
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return "", ""
    if not parts.path:
        return None, unquote(parts.fragment)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
    return path, unquote(parts.fragment)


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    docs = {d.path: d for d in repo.documents}
    slugs: dict[str, set[str]] = {}  # only for pages that some link names an anchor of
    from ..views import virtual_paths  # views import this module; import here to avoid a cycle

    virtual = virtual_paths(repo, config.content_dir, config.playbooks_dir)
    known = set(repo.files) | {f"{config.content_dir}/{p}" for p in virtual}
    problems = []
    for doc in repo.documents:
        for link in doc.links:
            problems += _check(doc, link.target, link.line, docs, slugs, known, config.root)
    return problems


def _check(
    doc: Document,
    target: str,
    line: int,
    docs: dict[str, Document],
    slugs: dict[str, set[str]],
    known: set[str],
    root: Path,
) -> list[Diagnostic]:
    path, anchor = resolve(doc.path, target)
    if path == "":
        return []
    if path is not None and path not in known:
        if path.startswith("../") or path == "..":
            return [
                Diagnostic(
                    doc.path,
                    line,
                    "broken-link",
                    f"link `{target}` points outside the repository",
                    "link only to files inside the repository",
                )
            ]
        if not (root / path).is_file():
            rel = [posixpath.relpath(k, posixpath.dirname(doc.path)) for k in known]
            wanted = posixpath.relpath(path, posixpath.dirname(doc.path))
            close = difflib.get_close_matches(wanted, rel, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else "check the file name and folder"
            return [
                Diagnostic(
                    doc.path,
                    line,
                    "broken-link",
                    f"link `{target}` points to a missing file `{path}`",
                    hint,
                )
            ]
        return []
    if not anchor:
        return []
    page = doc.path if path is None else path
    if page not in docs:
        return []
    if page not in slugs:
        slugs[page] = {h.slug for h in docs[page].headings}
    if anchor not in slugs[page]:
        close = difflib.get_close_matches(anchor, sorted(slugs[page]), n=1, cutoff=0.6)
        hint = (
            f"did you mean `#{close[0]}`?"
            if close
            else (
                f"`{page}` has no heading with that anchor; anchors are the heading text in "
                "lower case with hyphens"
            )
        )
        return [
            Diagnostic(
                doc.path,
                line,
                "broken-anchor",
                f"anchor `#{anchor}` does not exist in `{page}`",
                hint,
            )
        ]
    return []
