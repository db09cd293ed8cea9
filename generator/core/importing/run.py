"""`finops-kb import`: plan every page, check it as `check` would, then write (or not).

Everything a page needs an editor for is reported at the line of its source file: the import
findings (findings.py) and what `check` will say about the written page (missing keys and
sections of the chosen kind), so the report is the editor's to-do list.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import layout, load, schema
from ..codes import DEFAULTS
from ..config import Config
from ..diagnostics import Diagnostic, apply_severities
from ..model import Document
from ..rules.sections import check_document
from . import body as bodies
from . import front, links, sources, targets
from .findings import finding

_GENERATED_FOLDERS = frozenset(
    p.split("/", 1)[0] for p in (layout.ORGANIZATION, layout.PACKS, layout.role_page("x"))
)
"""Folders of the docs tree that only generated pages use."""


@dataclass(slots=True)
class Options:
    source: Path
    into: str | None = None
    kind: str = "page"
    force: bool = False
    dry_run: bool = False


@dataclass(slots=True)
class Page:
    src: sources.Source
    path: str
    """Repository-relative path of the imported file."""
    docs: str = ""
    """The same path relative to the content folder."""
    text: str = ""
    notes: list[str] = field(default_factory=list)
    ok: bool = True


@dataclass(slots=True)
class Outcome:
    pages: list[Page]
    diagnostics: list[Diagnostic]
    folder: str
    """Repository-relative folder the pages went to."""

    @property
    def imported(self) -> list[Page]:
        return [p for p in self.pages if p.ok]


@dataclass(slots=True)
class _Run:
    config: Config
    options: Options
    index: links.Index
    capabilities: targets.Capabilities
    personas: dict[str, str]
    problems: list[Diagnostic] = field(default_factory=list)


def run(config: Config, options: Options) -> Outcome:
    """Import SOURCE; raises ConfigError (exit 2) for a SOURCE or `--into` that cannot be used."""
    folder, rels = sources.find(options.source)
    into = targets.into_folder(config, options.into, options.kind, options.source)
    repo, _problems = load.load(config.root, [config.content_dir])
    prefix = config.content_dir.strip("/") + "/"
    shown = options.source.as_posix().rstrip("/")
    pages = []
    for rel in rels:
        name = shown if options.source.is_file() else f"{shown}/{rel}"
        pages.append(Page(sources.read(folder, rel, name), ""))
    state = _Run(
        config,
        options,
        links.Index({}, {d.path[len(prefix) :] for d in repo.documents}),
        targets.Capabilities.of(repo, config.content_dir),
        {d.id: d.title for d in repo.of_kind("persona") if d.id},
    )
    _plan(state, pages, into, prefix)
    for page in pages:
        if page.ok:
            _convert(state, page)
    for page in pages:
        if page.ok and not options.dry_run:
            targets.write(config, page.path, page.text, options.force)
    found = apply_severities(dict.fromkeys(state.problems), DEFAULTS, config.severity)
    return Outcome(pages, found, (prefix + into).rstrip("/"))


def _plan(state: _Run, pages: list[Page], into: str, prefix: str) -> None:
    """Docs paths for every readable page; conflicts and existing files are reported."""
    taken: dict[str, str] = {}
    for page in pages:
        src = page.src
        state.problems += src.problems
        docs = targets.docs_path(into, src.rel, state.options.kind)
        if src.syntax == "broken" or docs is None:
            page.ok = False
            if docs is None:
                state.problems.append(_no_name(src))
            continue
        page.path, page.docs = prefix + docs, docs
        if docs in layout.GENERATED or docs.split("/", 1)[0] in _GENERATED_FOLDERS:
            page.ok = False
            state.problems.append(_generated(src, page.path))
            continue
        if docs in taken:
            page.ok = False
            state.problems.append(_taken(src, page.path, taken[docs]))
            continue
        taken[docs] = src.shown
        target = state.config.root / page.path
        if (target.exists() or target.is_symlink()) and not state.options.force:
            page.ok = False
            state.problems.append(_exists(src, page.path))
            continue
        state.index.targets[src.rel] = docs
        state.index.add(src)


def _convert(state: _Run, page: Page) -> None:
    src, kind = page.src, state.options.kind
    docs = page.docs
    ident = posixpath.splitext(posixpath.basename(docs))[0]
    title = src.meta.get("title")
    body = bodies.convert(
        src.body,
        src.body_line,
        src.shown,
        lambda arg: state.index.hugo_ref(arg, src.rel),
        str(title) if isinstance(title, str | int | float) else None,
    )
    mapped = front.map_front(src, kind, ident, body.title)
    if not _capability_ok(state, page, mapped.meta, ident):
        return
    if kind == "capability":
        _aliases(src, mapped, ident)
    lines, count, problems = links.rewrite(body.lines, src, docs, state.index)
    page.notes = (
        mapped.notes
        + body.notes
        + ([f"{count} link{'s' * (count != 1)} rewritten"] if count else [])
    )
    state.problems += body.problems + mapped.problems + problems + _heading(src, body, mapped)
    if kind == "page":
        state.problems += _old_urls(src, page.path)
    while lines and not lines[0][0].strip():  # lines must keep matching the text's lines
        lines = lines[1:]
    text = "\n".join(t for t, _ in lines).rstrip("\n") + "\n"
    dumped = yaml.safe_dump(mapped.meta, sort_keys=False, allow_unicode=True, width=100)
    page.text = f"---\n{dumped}---\n{text}"
    state.problems += _as_check(state, src, mapped, lines, text)


def _capability_ok(state: _Run, page: Page, meta: dict[str, Any], ident: str) -> bool:
    """A page about a capability the knowledge base has is imported with a note (its text
    belongs in the overlay); a capability import with the id of one is refused."""
    match = state.capabilities.match(ident, str(meta.get("title", "")))
    if match is None:
        return True
    src, existing = page.src, state.capabilities.paths.get(match, "")
    line = src.key_lines.get("title", 1)
    if state.options.kind == "capability" and page.path.endswith("/" + existing):
        return True  # the same file, replaced on purpose with --force
    if state.options.kind == "capability":
        page.ok = False
        state.problems.append(
            finding(
                src.shown,
                line,
                "import-conflict",
                f"the knowledge base already has the capability `{match}`; not imported",
                f"import it as a page (`--kind page`), or move what your team does into the "
                f"overlay (`finops-kb new overlay {match}`)",
            )
        )
        return False
    state.problems.append(
        finding(
            src.shown,
            line,
            "import-capability-match",
            f"this page is about the capability `{match}`, which the knowledge base has",
            f"imported as a page; move how your team does it into the capability's overlay "
            f"(`finops-kb new overlay {match}`) and link the page from there",
        )
    )
    return True


def _aliases(src: sources.Source, mapped: front.Mapped, ident: str) -> None:
    """Old URLs of a capability become its former slugs: redirects and search keep them."""
    slugs = [targets.slug(links.key(url).rsplit("/", 1)[-1]) for url, _ in links.old_urls(src)]
    title = str(mapped.meta["title"])
    found = [{"slug": s, "title": title} for s in dict.fromkeys(slugs) if s and s != ident]
    if found:
        mapped.meta["aliases"] = found
        mapped.lines["aliases"] = links.old_urls(src)[0][1]
        mapped.notes.append("aliases from old URLs")


def _old_urls(src: sources.Source, path: str) -> list[Diagnostic]:
    urls = links.old_urls(src)
    if not urls:
        return []
    shown = ", ".join(f"`{u}`" for u, _ in urls[:4]) + (" …" if len(urls) > 4 else "")
    return [
        finding(
            src.shown,
            urls[0][1],
            "import-old-url",
            f"old URLs {shown} are not kept: a page has no aliases (links between the imported "
            "pages were rewritten)",
            f"redirect them on the old site or web server to the page built from {path}",
        )
    ]


def _heading(src: sources.Source, body: bodies.Body, mapped: front.Mapped) -> list[Diagnostic]:
    title = str(mapped.meta.get("title", ""))
    if not body.title or bodies.norm(body.title[0]) in (bodies.norm(title), ""):
        return []
    return [
        finding(
            src.shown,
            body.title[1],
            "import-heading",
            f"the first heading `{body.title[0]}` differs from the title `{title}`; the heading "
            "was dropped and the title kept",
            "if the heading was the better title, put it in `title:`",
        )
    ]


def _as_check(
    state: _Run, src: sources.Source, mapped: front.Mapped, lines: list[bodies.Line], text: str
) -> list[Diagnostic]:
    """What `check` will say about the written page's keys and sections, at source lines."""
    kind = state.options.kind

    def line_of(path: tuple[Any, ...]) -> int:
        return mapped.lines.get(str(path[0]), 1) if path else 1

    found = schema.validate(kind, dict(mapped.meta), line_of, src.shown)
    headings, link_list, sections = load.parse_body(text, 1)
    doc = Document(
        path=src.shown,
        meta=mapped.meta,
        key_lines={},
        body=text,
        body_line=1,
        headings=headings,
        links=link_list,
        sections=sections,
    )
    last = lines[-1][1] if lines else src.body_line
    for d in check_document(doc, state.personas):
        line = lines[d.line - 1][1] if 0 < d.line <= len(lines) else last
        found.append(Diagnostic(d.path, line, d.code, d.message, d.hint))
    return found


def _generated(src: sources.Source, path: str) -> Diagnostic:
    return finding(
        src.shown,
        1,
        "import-conflict",
        f"the site generates the page at {path}; this page was not imported",
        "import into a folder of its own, e.g. --into content/team",
    )


def _no_name(src: sources.Source) -> Diagnostic:
    return finding(
        src.shown,
        1,
        "import-conflict",
        "no file name can be made from this path (no letters or digits)",
        "rename the source file, e.g. `cost-allocation.md`, and import it again",
    )


def _taken(src: sources.Source, path: str, first: str) -> Diagnostic:
    return finding(
        src.shown,
        1,
        "import-conflict",
        f"{first} already becomes {path}; this page was not imported",
        "rename one of the two source files and import it again",
    )


def _exists(src: sources.Source, path: str) -> Diagnostic:
    return finding(
        src.shown,
        1,
        "import-exists",
        f"{path} exists and was not overwritten",
        "import with --force to replace it, or import into another folder with --into",
    )
