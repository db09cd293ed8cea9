"""Live preview only: `check`'s problems on the pages they concern, and a preview that forgets
deleted pages.

`finops-kb serve` keeps one `Preview` per plugin for the whole session and, on every rebuild,
adds a small second plugin (`PreviewEvents`) to MkDocs' fresh plugin collection. A production
build never gets one: nothing here runs unless the site plugin is serving.

- Every page built from a file with problems starts with a banner listing them, and a
  "Problems" page (about/problems.md) lists all of them by file. A page is rendered again when
  its banner changes, also when its own source did not (a link that broke elsewhere).
- MkDocs' dirty build (what serve uses, see incremental.py) never empties the site folder, so
  the HTML of a deleted or renamed page stayed and was served until serve restarted. Each
  rebuild now removes what the previous one wrote for files that no longer exist.
- Edits under the theme folder (`theme.custom_dir`) rebuild the preview.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..core import layout
from ..core.diagnostics import Diagnostic
from ..core.model import Document, Repository
from ..render.context import RenderContext
from ..render.framework_pages import NOT_SEARCHED
from ..render.html_parts import Link, Parts, href, link, md, render
from .incremental import fingerprint

PROBLEMS_PAGE = "about/problems.md"
NAV_TITLE = "Problems"
_ABOUT = "About this site"
_TITLES = {layout.RACI: "Who does what (RACI)", layout.ADOPTION: "Adoption roadmap"}
"""Generated pages that views.titles leaves to their Markdown heading."""
_BACKTICKS = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, slots=True)
class Shown:
    """One problem as the templates show it."""

    where: str
    """`path:line` (just the path when the problem concerns the whole file)."""
    severity: str
    code: Link
    """The code, linked to its entry on the check codes page."""
    message: Markup
    hint: Markup
    edit: Link | None
    """The file in the repository's web editor; None without a `repository_url`."""
    local: str
    """The file on this machine, `path:line`, to open in an editor."""


class Preview:
    """What one `serve` session remembers between rebuilds (kept per site plugin)."""

    def __init__(self) -> None:
        self.banners: dict[str, str] = {}
        """Docs path -> fingerprint of the banner the page was last written with."""
        self.written: set[str] = set()
        """Site paths MkDocs wrote for the files of the last finished build."""


_SESSIONS: weakref.WeakKeyDictionary[Any, Preview] = weakref.WeakKeyDictionary()


def attach(config: Any, site: Any) -> None:
    """In `serve` only: add this rebuild's preview events to MkDocs' plugins (from on_config).

    `site` is the site plugin: its `serving`, `result`, `graph`, `ctx` and `core` of this build.
    """
    if not site.serving:
        return
    session = _SESSIONS.setdefault(site, Preview())
    config.plugins["finops-kb-preview"] = PreviewEvents(session, site)


def pages_of(repo: Repository, content_dir: str, playbooks_dir: str) -> dict[str, set[str]]:
    """Repository path -> docs paths of the pages built from that file (merged or generated)."""
    out: dict[str, set[str]] = {}
    for doc in [*repo.documents, *repo.invalid]:
        page = _docs_path(doc, content_dir, playbooks_dir)
        if page:
            out.setdefault(doc.path, set()).add(page)
    roles = {layout.role_page(rid) for rid in repo.roles}
    if repo.organization:
        org = out.setdefault(repo.organization.path, set())
        org |= {layout.ORGANIZATION, layout.ADOPTION, *roles}
        org |= {
            page
            for doc in repo.documents
            if doc.kind in ("charter", "adoption-phase")
            and (page := _docs_path(doc, content_dir, playbooks_dir))
        }
    if repo.raci:
        out.setdefault(repo.raci.path, set()).update({layout.RACI, *roles})
    return out


def _docs_path(doc: Document, content_dir: str, playbooks_dir: str) -> str | None:
    # Invalid documents keep whatever front matter they had: a path must not depend on it.
    if doc.kind == "overlay" and not isinstance(doc.meta.get("capability"), str):
        return None
    page = layout.docs_path(doc, content_dir, playbooks_dir)
    return page if page and page.endswith(".md") else None


def shown(d: Diagnostic, ctx: RenderContext, root: Path, here: str) -> Shown:
    """`d` as shown on the page built from `here`."""
    code = Link(href(ctx, here, layout.CHECK_CODES, d.code), d.code)
    where = f"{d.path}:{d.line}" if d.line else d.path
    edit = None
    if ctx.repo_url:  # as RenderContext.edit_url, for any file of the repository
        url = f"{ctx.repo_url.rstrip('/')}/edit/{ctx.edit_branch}/{d.path}"
        edit = link(url, f"Edit {d.path}")
    local = str(root / d.path) + (f":{d.line}" if d.line else "")
    return Shown(where, d.severity, code, _code_spans(d.message), _code_spans(d.hint), edit, local)


def _code_spans(text: str) -> Markup:
    """`text` escaped, with its `backticked` ids shown as code, as the terminal shows them."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text))))


def counts(problems: Iterable[Diagnostic]) -> str:
    """Say "2 errors, 1 warning" (leaving out a severity that has none)."""
    found = list(problems)
    out = []
    for severity in ("error", "warning"):
        n = sum(d.severity == severity for d in found)
        if n:
            out.append(f"{n} {severity}{'s' * (n != 1)}")
    return ", ".join(out) or "no problems"


class PreviewEvents(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """The events of one rebuild of the live preview; see the module's docstring."""

    def __init__(self, session: Preview, site: Any) -> None:
        self.session = session
        self.site = site
        self.ctx: RenderContext = site.ctx
        self.banners: dict[str, Markup] = {}
        self.parts = Parts()
        self.written: set[str] = set()

    @event_priority(-50)  # after the site plugin has added its pages and marked the changed ones
    def on_files(self, files: Files, config: Any) -> Files:
        site = self.site
        core = site.core
        by_file: dict[str, list[Diagnostic]] = {}
        for d in site.result.diagnostics:
            by_file.setdefault(d.path, []).append(d)
        sources = pages_of(site.result.repo, core.content_dir, core.playbooks_dir)
        by_page: dict[str, list[Diagnostic]] = {}
        for path, found in by_file.items():
            for page in sources.get(path, ()):
                by_page.setdefault(page, []).extend(found)
        if files.get_file_from_path(PROBLEMS_PAGE) is None:
            markdown = self._problems_page(by_file, sources)
            files.append(File.generated(config, PROBLEMS_PAGE, content=markdown))
            _add_to_nav(config)
        for file in files.documentation_pages():
            src = file.src_uri
            if src in by_page:
                self.banners[src] = self._banner(src, by_page[src])
            key = fingerprint(self.banners.get(src, ""))
            if self.session.banners.get(src, fingerprint("")) != key:
                file.is_modified = _always  # type: ignore[method-assign]
        self.written = {file.dest_uri for file in files}
        return files

    def _banner(self, here: str, problems: list[Diagnostic]) -> Markup:
        root = self.site.core.root
        return render(
            self.ctx,
            "preview-banner.html",
            summary=counts(problems),
            severity="error" if any(d.severity == "error" for d in problems) else "warning",
            problems=[shown(d, self.ctx, root, here) for d in problems],
            all_href=href(self.ctx, here, PROBLEMS_PAGE),
        )

    def _problems_page(
        self, by_file: dict[str, list[Diagnostic]], sources: dict[str, set[str]]
    ) -> str:
        root = self.site.core.root
        titles = {**_TITLES, **getattr(self.site, "titles", {})}  # as HTML; see views.titles
        out = [NOT_SEARCHED, "# Problems", ""]
        if not by_file:
            out.append("`finops-kb check` finds no problem. This page exists only in the preview.")
        else:
            out.append(
                f"`finops-kb check` finds {counts(d for v in by_file.values() for d in v)} in "
                f"{len(by_file)} file{'s' * (len(by_file) != 1)}. Each page built from one of "
                "these files shows its problems at the top. This page exists only in the preview."
            )
        for path in sorted(by_file):
            pages = [
                Link(href(self.ctx, PROBLEMS_PAGE, page), unescape(titles.get(page, page)))
                for page in sorted(sources.get(path, ()))
            ]
            problems = [shown(d, self.ctx, root, PROBLEMS_PAGE) for d in by_file[path]]
            out += [
                f"\n## {md(path)}",
                self.parts(render(self.ctx, "preview-file.html", problems=problems, pages=pages)),
            ]
        return "\n".join(out) + "\n"

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        src = page.file.src_uri
        if src == PROBLEMS_PAGE:
            return self.parts.fill(html)
        banner = self.banners.get(src)
        return str(banner) + html if banner else html

    def on_post_build(self, config: Any) -> None:
        _prune(Path(config.site_dir), self.session.written - self.written)
        self.session.written = self.written
        self.session.banners = {src: fingerprint(b) for src, b in self.banners.items()}

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        # MkDocs watches the theme only with --watch-theme, which would also watch Material's
        # installed files; the theme folder of the site is what editors change.
        if config.theme.custom_dir:
            server.watch(str(config.theme.custom_dir))
        return server


def _always() -> bool:
    return True


def _add_to_nav(config: Any) -> None:
    """Put the problems page under "About this site" (or at the end of the navigation)."""
    entry = {NAV_TITLE: PROBLEMS_PAGE}
    nav = config.nav
    if not isinstance(nav, list):
        return  # no navigation of its own: MkDocs lists every page, this one included
    for item in nav:
        if isinstance(item, dict) and isinstance(item.get(_ABOUT), list):
            item[_ABOUT].append(entry)
            return
    nav.append(entry)


def _prune(site: Path, gone: Iterable[str]) -> None:
    """Remove what the previous build wrote for files that no longer exist, and the folders
    that leaves empty. Only paths MkDocs' file list named are touched, inside `site`."""
    site = site.resolve()
    for dest in gone:
        path = (site / dest).resolve()
        if site not in path.parents or not path.is_file():
            continue
        path.unlink()
        _remove_empty(path.parent, site)


def _remove_empty(folder: Path, site: Path) -> None:
    while folder != site and site in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
