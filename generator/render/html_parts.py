"""The generated parts of pages (facts, tables, link lists, credits) as ready HTML.

Python-Markdown spends as long on a page's generated tables and link lists as on the prose
around them, and has nothing to do to them. So pages keep these parts out of their Markdown:
`Parts` leaves a placeholder comment there, and the plugin puts the HTML back after MkDocs has
converted the rest. Anything that reads a page as Markdown (the PDF packs) gets the HTML
inlined as raw HTML blocks instead.

Every part is a Jinja2 template with autoescape in `templates/parts/`; a site overrides one by
putting a file of the same name in `<theme custom_dir>/parts/`, as Material's partials are
overridden. Text from data reaches HTML only through those templates, and reaches Markdown
only through `md()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape as escape_text
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup, escape

from ..core.layout import relative_url, url_of
from ..core.model import Document
from ..core.rules.url_schemes import safe_url
from .context import RenderContext

LICENSE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
FOUNDATION = ("FinOps Foundation", "https://www.finops.org/")
_PLACEHOLDER = re.compile(r"<!-- finops-kb part (\d+) -->")
PARTS = Path(__file__).parent / "templates" / "parts"
# Characters Python-Markdown gives a meaning to inline, and honours a backslash escape for.
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


class Parts:
    """HTML parts of one page, and the placeholders that stand for them in its Markdown."""

    def __init__(self, inline: bool = False) -> None:
        self.inline = inline
        self.html: list[str] = []

    def __call__(self, html: str) -> str:
        """A Markdown block standing for `html`."""
        if not html:
            return ""
        if self.inline:
            return f"\n\n{html}\n\n"
        self.html.append(html)
        return f"\n\n<!-- finops-kb part {len(self.html) - 1} -->\n\n"

    def fill(self, text: str) -> str:
        """`text` (Markdown or HTML) with every placeholder replaced by its HTML."""
        if not self.html:
            return text
        return _PLACEHOLDER.sub(self._part, text)

    def _part(self, m: re.Match[str]) -> str:
        # An author may write a placeholder into a page by hand: one that names no part of
        # this page stays the comment it is.
        i = int(m.group(1))
        return self.html[i] if i < len(self.html) else m.group(0)


def href(ctx: RenderContext, here: str, target: str, anchor: str = "") -> str:
    """A relative URL from the page built from `here` to the one built from `target`."""
    return href_from_url(ctx, url_of(here, ctx.directory_urls), target, anchor)


def href_from_url(ctx: RenderContext, base: str, target: str, anchor: str = "") -> str:
    """A relative URL from the file at site URL `base` to the page built from `target`."""
    return relative_url(base, target, ctx.directory_urls, anchor)


def md(text: Any) -> str:
    """`text` as literal Markdown inline text: HTML-escaped, Markdown syntax backslashed.

    For data that must sit in Markdown (headings, for the table of contents): no tag, link,
    emphasis or attribute list (`{ onclick=... }`) in a title can become live.
    """
    return _MD_ACTIVE.sub(r"\\\1", escape_text(str(text), quote=False)).replace("\n", " ")


@dataclass(frozen=True, slots=True)
class Link:
    """A link for a template; `href` is None when the URL is unsafe (it shows as text).

    `{{ link }}` writes `<a href>` with both parts escaped (markupsafe calls `__html__`); a
    template that wants other markup uses `link.href` and `link.text`. Links are the one atom
    written here rather than in a template: a site has tens of thousands of them, and a Jinja
    macro per link made page generation ten times slower.
    """

    href: str | None
    text: str
    cls: str = ""

    def __html__(self) -> str:
        text = escape(self.text)
        if self.href is None:
            return text
        cls = f' class="{escape(self.cls)}"' if self.cls else ""
        return "".join(('<a href="', escape(self.href), '"', cls, ">", text, "</a>"))


@dataclass(frozen=True, slots=True)
class Code:
    """An id shown as code (a reference that names nothing)."""

    code: str

    def __html__(self) -> str:
        return "".join(("<code>", escape(self.code), "</code>"))


_NOTHING = Markup("—")


def show(value: Any, sep: str = ", ") -> Markup:
    """The `show` filter: a `Cell` as HTML; None and empty lists as a dash."""
    if value is None:
        return _NOTHING
    if isinstance(value, list | tuple):
        return Markup(escape(sep)).join(show(v) for v in value) if value else _NOTHING
    return escape(value)


Cell = str | Link | Code | None | list[Any]
"""What templates show: text, a link, code, nothing (—) or a list of these (comma-separated)."""


def link(url: str, text: Any, cls: str = "") -> Link:
    return Link(url if safe_url(url) else None, str(text), cls)


@lru_cache(maxsize=16)
def environment(overrides: tuple[str, ...] = ()) -> Environment:
    """The parts' templates: a theme's `parts/` folder first, then the bundled ones."""
    loader = ChoiceLoader([FileSystemLoader(list(overrides)), FileSystemLoader(str(PARTS))])
    env = Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = show
    return env


def render(ctx: RenderContext, name: str, **context: Any) -> Markup:
    """The part `name` (a template in `templates/parts/`), rendered with autoescape."""
    return Markup(environment(ctx.parts_dirs).get_template(name).render(context).strip())


def page_a(ctx: RenderContext, here: str, doc: Document, anchor: str = "") -> Link:
    # A URL between two pages of the site is relative by construction: no need to test it.
    return Link(href(ctx, here, ctx.graph.docs_path[doc.path], anchor), doc.title)


def role_a(ctx: RenderContext, here: str, role_id: str) -> Link | Code:
    role = ctx.graph.roles.get(role_id)
    if not role:
        return Code(role_id)
    return Link(href(ctx, here, f"organization/roles/{role_id}.md"), str(role["title"]))


def table(
    ctx: RenderContext, head: Iterable[str], rows: Iterable[Iterable[Cell]], cls: str = ""
) -> Markup:
    """A table of cells (see `Cell`)."""
    return render(ctx, "table.html", head=list(head), rows=rows, cls=cls)


def attribution(ctx: RenderContext, doc: Document) -> Markup:
    """The CC BY 4.0 credit of a page adapted from the framework ("" without `sources`)."""
    sources = doc.meta.get("sources")
    if not isinstance(sources, list) or not sources:
        return Markup("")
    named = [link(str(s.get("url")), s.get("title")) for s in sources if isinstance(s, dict)]
    return render(
        ctx,
        "credit.html",
        sources=named,
        foundation=link(FOUNDATION[1], FOUNDATION[0]),
        license=link(LICENSE[1], LICENSE[0]),
    )


def _activity(ctx: RenderContext, here: str, act: dict[str, Any]) -> Link:
    url = href(ctx, here, "organization/raci.md", f"act-{act.get('id')}")
    return Link(url, str(act.get("title")))


def _capability(ctx: RenderContext, here: str, act: dict[str, Any]) -> Cell:
    cap = ctx.graph.capabilities.get(str(act.get("capability")))
    return page_a(ctx, here, cap) if cap else str(act.get("capability"))


def raci_table(
    ctx: RenderContext, here: str, rows: list[dict[str, Any]], with_capability: bool
) -> Markup:
    head = ["Activity", *(["Capability"] if with_capability else []), "R", "A", "C", "I"]
    body: list[list[Cell]] = []
    for act in rows:
        by_letter: dict[str, list[Cell]] = {k: [] for k in "RACI"}
        for role, letter in (act.get("assignments") or {}).items():
            by_letter.setdefault(str(letter), []).append(role_a(ctx, here, role))
        row: list[Cell] = [_activity(ctx, here, act)]
        if with_capability:
            row.append(_capability(ctx, here, act))
        body.append(row + [by_letter[k] or None for k in "RACI"])
    return table(ctx, head, body)


def role_raci_table(ctx: RenderContext, here: str, role: str, rows: list[dict[str, Any]]) -> Markup:
    """A role's own RACI rows: its letter and who is accountable, not the whole matrix row."""
    body = []
    for act in rows:
        letters = act.get("assignments") or {}
        body.append(
            {
                "activity": _activity(ctx, here, act),
                "capability": _capability(ctx, here, act),
                "letter": str(letters.get(role)),
                "accountable": [role_a(ctx, here, r) for r, x in letters.items() if x == "A"],
            }
        )
    return render(ctx, "role-raci-table.html", rows=body)


def kpi_table(ctx: RenderContext, overlay: Document, with_formula: bool) -> Markup:
    """The overlay's local KPIs ("" when it has none)."""
    kpis = [k for k in overlay.meta.get("kpis") or [] if isinstance(k, dict)]
    if not kpis:
        return Markup("")
    head = ["Our KPI", "Target", "Current", *(["How it is measured"] if with_formula else [])]
    keys = ("name", "target", "current", *(("formula",) if with_formula else ()))
    return table(ctx, head, [[str(k.get(key, "—")) for key in keys] for k in kpis])
