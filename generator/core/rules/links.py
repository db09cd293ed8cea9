"""Source-level link check: links between files, their `#anchors`, and where a link may point.

Relative links resolve from the file that holds them; site-absolute links (`/capabilities/x.md`,
`/capabilities/x.html`, `/capabilities/x/`) from the site root, the docs folder. A link must
stay inside the repository: `file:` URLs, absolute filesystem paths and `../` paths that climb
out are errors. The did-you-mean for a missing file or anchor costs the same for every broken
link, whatever the size of the repository (see `Suggester`).
"""

from __future__ import annotations

import bisect
import difflib
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import closest
from ..layout import (
    PAGE_SUFFIXES,
    page_candidates,
    resolve_link,
    site_path,
    split_url,
    virtual_paths,
)
from ..model import Document, Repository


class Suggester:
    """Did-you-mean over a fixed set of names, in time independent of how many there are.

    Every name is indexed under itself and each of its one-character deletions, so looking up
    a word and its own deletions finds every name within one edit (a wrong, missing or extra
    letter, or two swapped) in a few dict lookups. Prefixes (`budget` for `budgeting`) come
    next. difflib only orders the handful of candidates.
    """

    _LONGEST = 64  # longer names are not indexed by their deletions: nobody types them
    _FEW = 40  # up to this many names, difflib over all of them is faster than an index

    def __init__(self, names: list[str]) -> None:
        self._set = set(names)
        self.names = sorted(self._set)
        self._index: dict[str, list[str]] | None = None

    def _build(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            index[name].append(name)
            if len(name) <= self._LONGEST:
                for i in range(len(name)):
                    index[name[:i] + name[i + 1 :]].append(name)
        return index

    def suggest(self, word: str) -> str | None:
        if len(self.names) <= self._FEW:  # cheaper than building the index
            return closest(word, self.names)
        if self._index is None:
            self._index = self._build()
        keys = [word] + [word[:i] + word[i + 1 :] for i in range(min(len(word), self._LONGEST))]
        found = dict.fromkeys(n for k in keys for n in self._index.get(k, ()) if n != word)
        if not found and len(word) >= 4:
            found = dict.fromkeys(self._prefixed(word))
        best = difflib.get_close_matches(word, list(found)[:20], n=1, cutoff=0.0)
        return best[0] if best else None

    def _prefixed(self, word: str) -> list[str]:
        """Names whose stem starts with the stem of `word` (the first ten), or the reverse."""
        stem, dot, ext = word.rpartition(".") if "." in word[1:] else (word, "", "")
        at = bisect.bisect_left(self.names, stem)
        longer = [n for n in self.names[at : at + 10] if n.startswith(stem)]
        shorter = [
            c for k in range(len(stem) - 1, 2, -1) if (c := stem[:k] + dot + ext) in self._set
        ]
        return longer + shorter


@dataclass(slots=True)
class _Context:
    """What every link of one check run is checked against, built once."""

    config: Config
    docs: dict[str, Document]
    known: set[str]
    """Repository paths of every file and of every page that exists only in the site."""
    pages: set[str]
    """Docs-tree paths of every page of the site."""
    slugs: dict[str, set[str]] = field(default_factory=dict)
    """Heading anchors, only for pages that some link names an anchor of."""
    hints: dict[tuple[str, str], str] = field(default_factory=dict)
    """Did-you-mean per (folder of the linking file, missing target): each is found once."""
    by_name: dict[str, list[str]] = field(default_factory=dict)
    folders: dict[str, Suggester] = field(default_factory=dict)
    anchor_names: dict[str, Suggester] = field(default_factory=dict)
    is_file: dict[str, bool] = field(default_factory=dict)
    """Whether each missing path is a file on disk: a page may link to it thousands of times."""

    def file_hint(self, source: str, path: str) -> str:
        """A did-you-mean for a missing repository file `path` linked from `source`."""
        key = (posixpath.dirname(source), path)
        if key not in self.hints:
            close = self.close_file(path)
            rel = posixpath.relpath(close, key[0] or ".") if close else ""
            self.hints[key] = f"did you mean `{rel}`?" if rel else "check the file name and folder"
        return self.hints[key]

    def close_file(self, path: str) -> str | None:
        """The known file `path` most likely meant: the same name in another folder, or a
        close name in the same folder."""
        if not self.folders:  # built at the first broken link, once
            names: dict[str, list[str]] = defaultdict(list)
            for known in sorted(self.known):
                folder, name = posixpath.split(known)
                self.by_name.setdefault(name, []).append(known)
                names[folder].append(name)
            self.folders = {folder: Suggester(found) for folder, found in names.items()}
        folder, name = posixpath.split(path)
        moved = self.by_name.get(name)
        if moved:
            return max(moved, key=lambda p: len(posixpath.commonprefix([p, path])))
        suggester = self.folders.get(folder)
        close = suggester.suggest(name) if suggester else None
        return posixpath.join(folder, close) if close else None

    def anchors(self, page: str) -> set[str]:
        if page not in self.slugs:
            self.slugs[page] = {h.slug for h in self.docs[page].headings}
        return self.slugs[page]

    def anchor_hint(self, page: str, anchor: str) -> str:
        key = (page, "#" + anchor)
        if key not in self.hints:
            if page not in self.anchor_names:
                self.anchor_names[page] = Suggester(list(self.anchors(page)))
            close = self.anchor_names[page].suggest(anchor)
            self.hints[key] = (
                f"did you mean `#{close}`?"
                if close
                else f"`{page}` has no heading with that anchor; anchors are the heading text "
                "in lower case with hyphens"
            )
        return self.hints[key]


def run(repo: Repository, config: Config) -> list[Diagnostic]:

    content = config.content_dir + "/"
    virtual = virtual_paths(repo, config.content_dir, config.playbooks_dir)
    known = set(repo.files) | {content + p for p in virtual}
    pages = {p[len(content) :] for p in known if p.startswith(content)}
    ctx = _Context(config, {d.path: d for d in repo.documents}, known, pages)
    problems = Problems()
    for doc in repo.documents:
        for link in doc.links:
            found = _check(ctx, doc, link.target, link.line)
            if found is not None:
                problems.append(found)
    return problems


def _broken(doc: Document, line: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic(doc.path, line, "broken-link", message, hint)


def _check(ctx: _Context, doc: Document, target: str, line: int) -> Diagnostic | None:
    parts = split_url(target)
    if parts is None:
        return _broken(
            doc,
            line,
            f"link `{target}` is not a valid URL",
            "fix the address: a bracket, a port or a character that a URL cannot hold",
        )
    if parts.scheme or parts.netloc or target.startswith("\\"):
        return None  # other sites; `file:` and other unsafe URLs are rules/urls.py's
    if target.startswith("/"):
        return _check_site_absolute(ctx, doc, target, line)
    path, anchor = resolve_link(doc.path, target)
    if path is not None:
        problem = _check_file(ctx, doc, target, path, line)
        if problem is not None or not anchor:
            return problem
    return _check_anchor(ctx, doc, doc.path if path is None else path, anchor, target, line)


def _check_file(
    ctx: _Context, doc: Document, target: str, path: str, line: int
) -> Diagnostic | None:
    if path in ctx.known:
        return None
    if path == ".." or path.startswith("../"):
        return _broken(
            doc,
            line,
            f"link `{target}` points outside the repository",
            "link only to files inside the repository",
        )
    root = ctx.config.root
    if path not in ctx.is_file:
        ctx.is_file[path] = (root / path).is_file()
    if ctx.is_file[path]:
        if not path.startswith(ctx.config.content_dir + "/"):
            return _broken(
                doc,
                line,
                f"link `{target}` points to `{path}`, which is not part of the site",
                f"only pages and files under `{ctx.config.content_dir}/` are published; "
                "move the file there or link to it by its web address",
            )
        if not _inside(root, root / path):
            return _broken(
                doc,
                line,
                f"link `{target}` points to `{path}`, a link to a file outside the repository",
                "replace the symbolic link by the file itself",
            )
        return None
    return _broken(
        doc,
        line,
        f"link `{target}` points to a missing file `{path}`",
        ctx.file_hint(doc.path, path),
    )


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True


def _check_site_absolute(ctx: _Context, doc: Document, target: str, line: int) -> Diagnostic | None:
    rel, anchor = site_path(target)
    if rel == ".." or rel.startswith("../"):
        return _broken(
            doc,
            line,
            f"link `{target}` points outside the site",
            "link only to pages and files of the site",
        )
    ext = posixpath.splitext(rel)[1]
    if ext not in PAGE_SUFFIXES and not target.split("#")[0].endswith("/"):
        return _check_site_file(ctx, doc, target, rel, line)
    for page in page_candidates(rel, target.split("#", 1)[0].split("?", 1)[0].endswith("/")):
        if page in ctx.pages:
            source = f"{ctx.config.content_dir}/{page}"
            if not anchor or source not in ctx.docs:
                return None
            return _check_anchor(ctx, doc, source, anchor, target, line)
    wanted = page_candidates(rel, False)[0]
    if _on_this_computer(rel):
        return _absolute_path(doc, target, line)
    close = ctx.close_file(f"{ctx.config.content_dir}/{wanted}")
    content = ctx.config.content_dir + "/"
    hint = (
        f"did you mean `/{close[len(content) :]}`?"
        if close and close.startswith(content)
        else "site-absolute links start at the docs folder "
        f"(`{ctx.config.content_dir}/`); check the path, or use a relative link"
    )
    return _broken(
        doc,
        line,
        f"link `{target}` points to `{wanted}`, which is not a page of the site",
        hint,
    )


def _check_site_file(
    ctx: _Context, doc: Document, target: str, rel: str, line: int
) -> Diagnostic | None:
    """A site-absolute link to a file that is not a page (an image, a PDF, a stylesheet)."""
    in_docs = ctx.config.root / ctx.config.content_dir / rel
    if in_docs.is_file():
        return None
    if _on_this_computer(rel):
        return _absolute_path(doc, target, line)
    return None  # theme files and pack PDFs exist only in the built site: checked after the build


def _on_this_computer(rel: str) -> bool:
    """Whether a site path names a file of this computer (`/etc/passwd`): an absolute path."""
    try:
        return Path("/" + rel).exists()
    except OSError:
        return False


def _absolute_path(doc: Document, target: str, line: int) -> Diagnostic:
    return _broken(
        doc,
        line,
        f"link `{target}` is an absolute path to a file on this computer, not a page of the site",
        "link to pages and files of the repository with a relative path",
    )


def _check_anchor(
    ctx: _Context, doc: Document, page: str, anchor: str, target: str, line: int
) -> Diagnostic | None:
    if not anchor or page not in ctx.docs:
        return None
    if anchor in ctx.anchors(page):
        return None
    return Diagnostic(
        doc.path,
        line,
        "broken-anchor",
        f"anchor `#{anchor}` does not exist in `{page}`",
        ctx.anchor_hint(page, anchor),
    )
