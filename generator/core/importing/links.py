"""Old URLs and links: which imported page a link of the old site meant, written as a relative
`.md` link between the imported files.

A page is known by its source path (`docs/cost/allocation.md`, with or without `.md`, `.html`
or a trailing slash, `index.md` and Hugo's `_index.md` as their folder) and by the URLs its
front matter gave it (`permalink`, `url`, `aliases`, `redirect_from`, Hugo's `slug`).
Site-absolute links that name none of them may still name a page of the knowledge base.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote

from .. import layout
from ..diagnostics import Diagnostic
from ..markdown_scan import read
from .body import Line
from .findings import finding
from .sources import MARKDOWN, Source

_PAGE_EXT = (*MARKDOWN, ".html", ".htm")
_INDEX = ("index", "_index", "readme")
_SITE_FOLDERS = ("content", "docs", "src")


def key(path: str) -> str:
    """The form under which a page path or URL is looked up."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0]).strip("/")
    path = posixpath.normpath(path) if path else ""
    stem, ext = posixpath.splitext(path)
    if ext.lower() in _PAGE_EXT:
        path = stem
    head, _sep, last = path.rpartition("/")
    return head if last.lower() in _INDEX else ("" if path == "." else path)


def old_urls(src: Source) -> list[tuple[str, int]]:
    """The URLs the front matter gave the page, with their lines (Jekyll placeholders such as
    `:title` are not URLs of one page, and the site root is every site's: both left out)."""
    found = []
    for name in ("permalink", "url", "aliases", "redirect_from", "slug"):
        value = src.meta.get(name)
        values = value if isinstance(value, list) else [value]
        line = src.key_lines.get(name, 1)
        for v in values:
            if not isinstance(v, str) or not v.strip("/ ") or ":" in v:
                continue
            url = posixpath.join(posixpath.dirname("/" + key(src.rel)), v) if name == "slug" else v
            found.append((url, line))
    return found


@dataclass(slots=True)
class Index:
    targets: dict[str, str]
    """Source path -> docs path of the imported page."""
    content: set[str]
    """Docs paths of the pages already in the knowledge base."""
    by_key: dict[str, set[str]] = field(default_factory=dict)
    by_stem: dict[str, set[str]] = field(default_factory=dict)

    def add(self, src: Source) -> None:
        rel = src.rel
        names = [rel]
        first, _sep, rest = rel.partition("/")
        if rest and (first in _SITE_FOLDERS or first.startswith("_")):
            names += [rest, first.lstrip("_") + "/" + rest]
        names += [url for url, _line in old_urls(src)]
        for name in names:
            self.by_key.setdefault(key(name), set()).add(rel)
        stem = posixpath.splitext(posixpath.basename(rel))[0]
        self.by_stem.setdefault(stem, set()).add(rel)

    def site(self, path: str) -> str | None:
        """The imported page a site-absolute path names; a base URL in front is skipped."""
        parts = key(path).split("/")
        for j in range(len(parts)):
            found = self.by_key.get("/".join(parts[j:]))
            if found and len(found) == 1:
                return next(iter(found))
        return None

    def hugo_ref(self, arg: str, here: str) -> str | None:
        """A Hugo `ref`/`relref` argument as a site-absolute link to the imported source."""
        path, _sep, anchor = arg.partition("#")
        tail = f"#{anchor}" if anchor else ""
        if not path:
            return tail or None
        if path.startswith("/"):
            found = self.site(path)
        else:
            near = self.by_key.get(key(posixpath.join(posixpath.dirname(here), path)), set())
            stem = posixpath.splitext(posixpath.basename(path))[0]
            found = _one(near) or _one(self.by_stem.get(stem, set()))
        return f"/{found}{tail}" if found else None

    def resolve(self, target: str, here: str) -> str | None:
        """Docs path of the page `target` (written in source page `here`) leads to, or None."""
        if target.startswith("/"):
            found = self.site(target)
            return self.targets[found] if found else self._content(target)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(target)))
        found = _one(self.by_key.get(key(path), set())) if not path.startswith("..") else None
        return self.targets.get(found) if found else None

    def _content(self, target: str) -> str | None:
        path, _anchor = layout.site_path(target)
        for docs in layout.page_candidates(path, target.split("#", 1)[0].endswith("/")):
            if docs in self.content:
                return docs
        return None


def _one(found: set[str]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


def rewrite(
    lines: list[Line], src: Source, docs: str, index: Index
) -> tuple[list[Line], int, list[Diagnostic]]:
    """Links of the body rewritten into relative `.md` links; (lines, rewritten, problems)."""
    scanned = read("\n".join(text for text, _ in lines))
    problems, count = [], 0
    for target, i in scanned.links + list(scanned.definitions.values()):
        parts = layout.split_url(target)
        if parts is None or parts.scheme or parts.netloc or not parts.path:
            continue  # external, mail, same-page anchors, no URL at all: as they were
        found = index.resolve(target, src.rel)
        if found is None:
            problems.append(_unmapped(src, lines[i][1], target, docs))
            continue
        new = layout.relative(docs, found, parts.fragment)
        if new != target and _replace(lines, i, target, new):
            count += 1
    return lines, count, problems


def _replace(lines: list[Line], i: int, old: str, new: str) -> bool:
    """Put `new` where the destination `old` is written, on line `i` or the next few (a link
    whose text runs over several lines)."""
    for k in range(i, min(i + 4, len(lines))):
        text, src = lines[k]
        for before in ("](", "](<", "]: ", "]:"):
            at = text.find(before + old)
            if at >= 0:
                start = at + len(before)
                lines[k] = (text[:start] + new + text[start + len(old) :], src)
                return True
    return False


def _unmapped(src: Source, line: int, target: str, docs: str) -> Diagnostic:
    parts = layout.split_url(target)
    ext = posixpath.splitext(parts.path if parts else target)[1].lower()
    if ext and ext not in _PAGE_EXT:
        return finding(
            src.shown,
            line,
            "import-link",
            f"`{target}` was not imported: only Markdown pages are",
            f"copy the file next to the imported page (beside {docs} in the content folder)",
        )
    return finding(
        src.shown,
        line,
        "import-link",
        f"link `{target}` does not lead to an imported page or a page of the knowledge base",
        "import that page too, link to a page of the knowledge base, or write the old site's "
        "full https:// address",
    )
