"""Post-build link check over the rendered HTML: every internal link and #anchor resolves.

Each broken link is reported once, at the file and line where it is written:

- a link written in Markdown, at its source line, also when that text is merged into another
  page (overlays) or shown on several pages (persona activities); found by where the link
  points, not by searching for text, so the line is exact;
- a link the generator wrote, at the data file entry it was made from (a role id in
  `raci.yml`, an alias of a capability);
- a link of the theme, at the template line that holds it.

A link that `check` already reports (broken-link, broken-anchor) is not reported again.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.diagnostics import Diagnostic
from ..core.graph import Graph
from ..core.layout import page_candidates, page_file, resolve_link, site_path, split_url
from ..core.model import DataFile, Document, KeyPath
from ..core.rules import links as link_rule
from .html_links import Finding, broken_links, target_of

Origin = tuple[str, int]
"""(repository path, 1-based line) where a link is written."""


def check_site(
    site: Path,
    g: Graph,
    config: Config,
    directory_urls: bool,
    found: list[Finding] | None = None,
    theme_dir: Path | None = None,
) -> list[Diagnostic]:
    """Diagnostics for the site's broken links (`found`, or a fresh scan of `site`)."""
    if found is None:
        found = broken_links(site)
    if not found:
        return []
    if theme_dir is None and (config.root / "theme").is_dir():
        theme_dir = config.root / "theme"  # the usual layout, when the caller names none
    sources = _Sources(g, config, directory_urls)
    reported = {(d.path, d.line) for d in link_rule.run(g.repo, config)}
    # One diagnostic per place a broken link is written, whatever the pages that show it.
    written: dict[tuple[Origin, str, tuple[str, str]], list[tuple[str, str]]] = defaultdict(list)
    generated: dict[tuple[Origin, str, tuple[str, str]], list[str]] = defaultdict(list)
    for page, href, what in sorted(found):
        target = _target(page, href, what)
        origins = (
            sources.of(target, what)
            or sources.as_written(page, href)
            or sources.raw_html(page, href)
        )
        if not origins:
            origin = sources.generator_origin(page, target, theme_dir, href)
            generated[(origin, what, target)].append(page)
        for origin in origins:
            if origin not in reported:
                written[(origin, what, target)].append((page, href))
    out = [
        _written(origin, what, sources.shown_on(origin[0], shown))
        for (origin, what, _target_), shown in written.items()
    ]
    out += [
        _generated(origin, what, target, pages)
        for (origin, what, target), pages in generated.items()
    ]
    return out


def _target(page: str, href: str, what: str) -> tuple[str, str]:
    """(site file, fragment) that `href` on `page` points to; no fragment for a missing file."""
    found = target_of(posixpath.dirname(page), href)
    if found is None:
        return page, ""
    return (found[0] or page), (found[1] if what == "anchor" else "")


def _code(what: str) -> str:
    return "site-broken-link" if what == "link" else "site-broken-anchor"


def _written(origin: Origin, what: str, shown: tuple[str, str, int]) -> Diagnostic:
    page, href, others = shown
    thing = "link" if what == "link" else "anchor of the link"
    more = f" and {others} other page{'s' * (others > 1)}" if others else ""
    return Diagnostic(
        origin[0],
        origin[1],
        _code(what),
        f"the {thing} `{href}` does not resolve in the built site (on {page}{more})",
        "fix the link here, or the page or heading it names"
        + (
            "; a site-absolute link stays as written unless MkDocs' "
            "`validation: links: absolute_links` is `relative_to_docs`"
            if href.startswith("/")
            else ""
        ),
        severity="error",
    )


def _generated(origin: Origin, what: str, target: tuple[str, str], pages: list[str]) -> Diagnostic:
    shown = ", ".join(pages[:3]) + (", ..." if len(pages) > 3 else "")
    where = f"{len(pages)} pages" if len(pages) > 1 else "page"
    path, line = origin
    theme = path.endswith(".html")
    return Diagnostic(
        path,
        line,
        _code(what),
        f"a generated link to `{_shown_target(target)}` does not resolve in the built site "
        f"(on {where} {shown})",
        "the link comes from this template line; fix it here"
        if theme
        else "the link was generated from this entry: check it, and if it is right, the "
        "generator wrote a wrong URL (please report it)",
        severity="error",
    )


def _shown_target(target: tuple[str, str]) -> str:
    return f"{target[0]}#{target[1]}" if target[1] else target[0]


@dataclass(slots=True)
class _Sources:
    """Where each internal link of the sources points in the built site."""

    g: Graph
    config: Config
    directory_urls: bool
    by_target: dict[tuple[str, str], list[Origin]] = field(default_factory=dict)
    by_file: dict[str, list[Origin]] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)
    built: set[str] = field(default_factory=set)
    """Site files built from a source file (the others are generated)."""
    values: dict[str, Origin | None] = field(default_factory=dict)
    by_page: dict[str, list[Document]] = field(default_factory=dict)
    """Site file -> the source files built into it (a page and the overlay merged in)."""
    raw: dict[str, list[Origin]] = field(default_factory=dict)
    templates: dict[Path, list[str]] | None = None

    def __post_init__(self) -> None:
        content = self.config.content_dir + "/"
        self.pages = set(self.g.docs_path.values())
        for doc in self.g.repo.documents:
            if doc.path in self.g.docs_path:
                built = page_file(self.g.docs_path[doc.path], self.directory_urls)
                self.by_page.setdefault(built, []).append(doc)
        self.built = set(self.by_page)
        for doc in self.g.repo.documents:
            for link in doc.links:
                target = self._site_target(doc, link.target, content)
                if target is not None:
                    origin = (doc.path, link.line)
                    self.by_target.setdefault(target, []).append(origin)
                    self.by_file.setdefault(target[0], []).append(origin)

    def of(self, target: tuple[str, str], what: str) -> list[Origin]:
        """The source lines of links to `target` (the file alone for a missing page)."""
        if what == "anchor":
            return self.by_target.get(target, [])
        return self.by_file.get(target[0], [])

    def _site_target(self, doc: Document, target: str, content: str) -> tuple[str, str] | None:
        parts = split_url(target)
        if parts is None or parts.scheme or parts.netloc or target.startswith("\\"):
            return None
        if target.startswith("/"):
            rel, anchor = site_path(target)
            if posixpath.splitext(rel)[1] not in ("", ".md", ".html", ".htm"):
                return rel, anchor
            candidates = page_candidates(rel, parts.path.endswith("/"))
            docs = next((c for c in candidates if c in self.pages), candidates[0])
            return page_file(docs, self.directory_urls), anchor
        path, anchor = resolve_link(doc.path, target)
        if path is None:
            own = self.g.docs_path.get(doc.path)
            return (page_file(own, self.directory_urls), anchor) if own else None
        found = self.g.docs_path.get(path)
        if found is None and path.startswith(content):
            found = path[len(content) :]
        if found is None:
            return None
        return (page_file(found, self.directory_urls) if found.endswith(".md") else found), anchor

    def as_written(self, page: str, href: str) -> list[Origin]:
        """Links of the page's own sources written exactly as `href`: MkDocs leaves a link it
        cannot resolve (or a site-absolute one) as written."""
        return [
            (doc.path, link.line)
            for doc in self.by_page.get(page, [])
            for link in doc.links
            if link.target == href
        ]

    def raw_html(self, page: str, href: str) -> list[Origin]:
        """Lines of raw HTML (`<a href="...">`) that hold `href` as written: the page's own
        sources first, else any source (text shown on several pages). MkDocs passes raw HTML
        through unchanged, so the href is found as written."""
        needles = (f'="{href}"', f"='{href}'")
        for doc in self.by_page.get(page, []):
            found = _lines_with(doc, needles)
            if found:
                return found
        if href not in self.raw:
            self.raw[href] = [o for d in self.g.repo.documents for o in _lines_with(d, needles)]
        return self.raw[href]

    def shown_on(self, path: str, pages: list[tuple[str, str]]) -> tuple[str, str, int]:
        """(page, href, how many other pages) to name for a link written in `path`: the page
        built from it if it shows the link, else the first."""
        own = self.g.docs_path.get(path)
        mine = page_file(own, self.directory_urls) if own else ""
        page, href = next(((p, h) for p, h in pages if p == mine), pages[0])
        return page, href, len({p for p, _h in pages}) - 1

    def generator_origin(
        self, page: str, target: tuple[str, str], theme_dir: Path | None, href: str
    ) -> Origin:
        """The template line or data entry a link no source file holds was made from."""
        needles = [f'"{href}"', f"/{target[0]}", target[0]]
        if self.templates is None:
            self.templates = _templates(theme_dir)
        in_theme = _in_theme(self.templates, needles, self.config.root)
        if in_theme:
            return in_theme
        words = [_stem(target[0]), target[1]]
        if page not in self.built:
            words.insert(0, _stem(page))  # a generated page: named after its entry
        for word in words:
            origin = self._value(word) if word else None
            if origin:
                return origin
        return "(theme or generated part)", 0  # nothing holds it: one report per target

    def _value(self, word: str) -> Origin | None:
        if word not in self.values:
            self.values[word] = _find_value(self.g, word)
        return self.values[word]


def _lines_with(doc: Document, needles: tuple[str, ...]) -> list[Origin]:
    if not any(n in doc.body for n in needles):
        return []
    return [
        (doc.path, doc.body_line + i)
        for i, text in enumerate(doc.body.split("\n"))
        if any(n in text for n in needles)
    ]


def _stem(site_file: str) -> str:
    name = site_file[: -len("/index.html")] if site_file.endswith("/index.html") else site_file
    return posixpath.basename(name).rsplit(".", 1)[0]


def _templates(theme_dir: Path | None) -> dict[Path, list[str]]:
    """The lines of every template under `theme_dir`."""
    found: dict[Path, list[str]] = {}
    if theme_dir is None:
        return found
    try:
        for template in sorted(theme_dir.rglob("*.html")):
            found[template] = template.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return found  # an unreadable theme: its links are reported without a template line
    return found


def _in_theme(templates: dict[Path, list[str]], needles: list[str], root: Path) -> Origin | None:
    """The first template line that holds one of `needles` (tried in order)."""
    for needle in needles:
        for template, lines in templates.items():
            for i, text in enumerate(lines, 1):
                if needle in text:
                    return _shown_path(template, root), i
    return None


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _find_value(g: Graph, word: str) -> Origin | None:
    """The first data file or front-matter entry whose key or value is `word`."""
    files: list[DataFile | Document] = [f for f in (g.repo.organization, g.repo.raci) if f]
    for source in files + list(g.repo.documents):
        data = source.data if isinstance(source, DataFile) else source.meta
        for key in _paths_of(data, word, ()):
            return source.path, source.line_of(key)
    return None


def _paths_of(value: Any, word: str, path: KeyPath) -> Iterator[KeyPath]:
    """Key paths in `value` whose key or scalar value equals `word`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == word:
                yield path + (key,)
            yield from _paths_of(item, word, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths_of(item, word, path + (i,))
    elif value == word:
        yield path
