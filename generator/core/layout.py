"""The URL layout of the built site, in one place.

Three kinds of path meet here: a *repository path* (`playbooks/raci.yml`), the *docs path* of
the page built from it (`organization/raci.md`, the path MkDocs calls `src_uri`), and the *URL*
MkDocs gives that page (`organization/raci.html`, or `organization/raci/` with
`use_directory_urls`). Every module that writes or checks a link asks this one.
"""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import SplitResult, unquote, urlsplit

from .model import Document, Repository

HOME = "index.md"
ORGANIZATION = "organization/index.md"
RACI = "organization/raci.md"
MATURITY = "organization/maturity.md"
ADOPTION = "organization/adoption/index.md"
CHARTER = "organization/steering-committee.md"
REVIEW_STATUS = "about/review-status.md"
CHECK_CODES = "about/check-codes.md"
CONTENT_MODEL = "about/content-model-reference.md"
PACKS = "packs/index.md"
WHAT_CHANGED = "framework/what-changed.md"

GENERATED = (
    HOME,
    ORGANIZATION,
    RACI,
    MATURITY,
    ADOPTION,
    REVIEW_STATUS,
    CHECK_CODES,
    CONTENT_MODEL,
    WHAT_CHANGED,
)
"""Docs paths of the generated pages every site has (role pages come on top, one per role)."""

PAGE_SUFFIXES = ("", ".md", ".html", ".htm")
"""Extensions of a site URL that names a page (none: `x` or `x/`)."""


UNITS = "organization/units/index.md"


def role_page(role_id: str) -> str:
    return f"organization/roles/{role_id}.md"


def unit_page(unit_id: str) -> str:
    return f"organization/units/{unit_id}.md"


def docs_path(doc: Document, content_dir: str, playbooks_dir: str) -> str | None:
    """Where a repository file lives in the built site's docs tree (None: not a page)."""
    if doc.path.startswith(content_dir + "/"):
        return doc.path[len(content_dir) + 1 :]
    rel = doc.path[len(playbooks_dir) + 1 :]
    if doc.kind == "unit-overlay":
        return None  # merged into the capability page, in the unit's view of it
    if doc.kind == "overlay":
        return f"capabilities/{doc.meta.get('capability')}.md"
    if doc.kind == "charter":
        return CHARTER
    if doc.kind == "adoption-phase":
        return f"organization/adoption/{doc.stem}.md"
    return f"organization/{rel}"


def virtual_paths(repo: Repository, content_dir: str, playbooks_dir: str) -> set[str]:
    """Docs paths of every page that exists only in the built site (generated or merged)."""
    paths = set(GENERATED) | {role_page(rid) for rid in repo.roles}
    if repo.units:
        paths |= {UNITS} | {unit_page(uid) for uid in repo.units}
    for doc in repo.documents:
        if not doc.path.startswith(content_dir + "/"):
            path = docs_path(doc, content_dir, playbooks_dir)
            if path:
                paths.add(path)
    return paths


def split_url(target: str) -> SplitResult | None:
    """`urlsplit(target)`, or None for what no URL can be (`http://[::1`, a bad port)."""
    try:
        return urlsplit(target)
    except ValueError:
        return None


@functools.lru_cache(maxsize=65536)  # the graph and the link rule resolve every link; many repeat
def resolve_link(source: str, target: str) -> tuple[str | None, str]:
    """(repository path or None for a same-page link, anchor) of a relative link in `source`.

    Returns ("", "") for links this function does not own: external URLs, mail, site-absolute
    paths (see `site_path`).
    """
    parts = split_url(target)
    if parts is None or parts.scheme or parts.netloc or target.startswith(("/", "\\")):
        return "", ""
    if not parts.path:
        return None, unquote(parts.fragment)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path)))
    return path, unquote(parts.fragment)


def site_path(target: str) -> tuple[str, str]:
    """(path from the site root, anchor) of a site-absolute link such as `/capabilities/x.md`.

    The path is `.` for the root, and starts with `../` when the link climbs out of the site.
    """
    parts = split_url(target)
    path, fragment = (parts.path, parts.fragment) if parts else (target.partition("#")[::2])
    raw = unquote(path).replace("\\", "/").lstrip("/")
    return (posixpath.normpath(raw) if raw else "."), unquote(fragment)


def page_candidates(rel: str, trailing_slash: bool) -> list[str]:
    """Docs paths of the page a site URL path can name: `x.md`, `x.html`, `x/`, `x`."""
    if rel == ".":
        return [HOME]
    stem, ext = posixpath.splitext(rel)
    if trailing_slash or ext not in PAGE_SUFFIXES[1:]:
        return [f"{rel}.md", f"{rel}/index.md"]
    if ext == ".md":
        return [rel]
    if posixpath.basename(stem) == "index":
        return [f"{stem}.md"]
    return [f"{stem}.md", f"{stem}/index.md"]


def url_of(docs: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives the page built from `docs`."""
    if not directory_urls:
        return docs[:-3] + ".html"
    if docs == HOME or docs.endswith("/index.md"):
        return docs[: -len("index.md")]
    return docs[:-3] + "/"


def page_file(docs: str, directory_urls: bool) -> str:
    """The file in the site that MkDocs writes for the page built from `docs`."""
    url = url_of(docs, directory_urls)
    return url + "index.html" if url.endswith("/") or url == "" else url


def relative(from_docs: str, to_docs: str, anchor: str = "") -> str:
    """A relative Markdown link between two docs paths (MkDocs turns it into the page's URL)."""
    link = relpath(to_docs, posixpath.dirname(from_docs) or ".")
    return f"{link}#{anchor}" if anchor else link


def relative_url(base: str, target: str, directory_urls: bool, anchor: str = "") -> str:
    """A relative URL, for raw HTML, from the file at site URL `base` to the page of `target`."""
    dest = url_of(target, directory_urls)
    rel = relpath(dest or ".", posixpath.dirname(base) or ".")
    if dest.endswith("/") or dest == "":
        rel = rel.rstrip("/") + "/"
    if ":" in rel.split("/", 1)[0]:  # a file named `x:y.md` must not read as a URL scheme
        rel = "./" + rel
    return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def relpath(path: str, start: str) -> str:
    """posixpath.relpath, remembered: pages link to the same few thousand targets from a few
    folders, and relpath was a third of the time spent writing pages."""
    return posixpath.relpath(path, start)
