"""Assemble one print-ready HTML document per pack: cover, contents, chapters.

Chapters reuse the site's page generation; links between chapters become in-document anchors
and links to pages outside the pack become plain text, so the PDF never points nowhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..core import layout
from ..core.graph import Graph, section_text
from ..core.model import Document
from ..core.pack_specs import Pack, audience_capabilities, audience_raci
from ..core.rules.url_schemes import safe_url
from ..render import org_pages as org_views
from ..render.context import RenderContext
from ..render.framework_pages import maturity_cell
from ..render.html_parts import (
    Cell,
    Parts,
    attribution,
    kpi_table,
    md,
    raci_table,
    render,
    role_a,
    table,
)
from ..render.merging import demote
from ..render.unit_pages import unit_page
from .leaders import executive, expected, summaries
from .version import version

_ID = re.compile(r'\sid="([^"]+)"')
_A = re.compile(r'<a\s+([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', re.S)
_EMBED = re.compile(r"<(?:img|link|source|embed|video|audio|track|input)\b[^>]*>", re.I)
_EMBED_URL = re.compile(r"""(\s(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
EXTENSIONS = [
    "toc",
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "def_list",
    "pymdownx.tasklist",
]
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(slots=True)
class Chapter:
    id: str
    title: str
    docs: str
    """Docs-tree path the chapter's links are relative to."""
    markdown: str
    html: Markup = Markup("")


def _body(ctx: RenderContext, doc: Document) -> str:
    return doc.body.rstrip() + Parts(inline=True)(attribution(ctx, doc))


def _capability(ctx: RenderContext, pack: Pack, cap: Document) -> str:
    g = ctx.graph
    here = g.docs_path[cap.path]
    inline = Parts(inline=True)
    out = [f"*{md(cap.meta.get('summary', ''))}*", ""]
    for name in ("Definition", "Why it matters"):
        heading = next((h for h in cap.headings if h.level == 2 and h.text == name), None)
        if heading:
            out += [
                f"## {name}",
                "",
                section_text(cap, heading, [h for h in cap.headings if h.level <= 2]),
                "",
            ]
    mine = [a for p in pack.personas for a in g.activities.get(p, []) if a.capability is cap]
    for act in mine:
        out += [f"## What {act.heading.text} does here", "", act.text, ""]
    overlay = g.overlays.get(cap.id)
    if overlay:
        facts = render(
            ctx,
            "overlay-facts.html",
            owner=role_a(ctx, here, str(overlay.meta.get("owner"))),
            maturity=maturity_cell(g, cap.id),
            kpis=kpi_table(ctx, overlay, with_formula=False),
        )
        out += [f"## In {md(ctx.org_name)}", inline(facts)]
    rows = [
        a
        for a in g.raci_by_capability.get(cap.id, [])
        if set(pack.roles) & set(a.get("assignments") or {})
    ]
    if rows:
        out += ["## Your part in our RACI", inline(raci_table(ctx, here, rows, False))]
    return "\n".join(out) + inline(attribution(ctx, cap))


Piece = tuple[str, str, str]
"""(title, docs-tree path its links are relative to, Markdown) of one chapter."""


def _content_pages(g: Graph) -> tuple[dict[str, str], dict[str, Document]]:
    """(docs-tree path -> repository path of content pages, repository path -> document)."""
    pages = {p: d for d, p in g.docs_path.items() if d.startswith(g.content_dir + "/")}
    return pages, {d.path: d for d in g.repo.documents}


def _page(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    pages, docs = _content_pages(ctx.graph)
    doc = docs[pages[arg]]
    return [(doc.title, arg, _body(ctx, doc))]


def _section(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    pages, docs = _content_pages(ctx.graph)
    members = sorted(
        (d for p, d in pages.items() if p.startswith(arg + "/")),
        key=lambda p: (docs[p].meta.get("order", 999), docs[p].title),
    )
    text = "\n\n".join(f"## {md(docs[p].title)}\n\n{demote(_body(ctx, docs[p]))}" for p in members)
    return [(arg.replace("-", " ").capitalize(), f"{arg}/index.md", text)]


def _capabilities(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    g = ctx.graph
    return [
        (cap.title, g.docs_path[cap.path], _capability(ctx, pack, cap))
        for cap in audience_capabilities(g, pack, arg)
    ]


def _raci(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    here = "organization/raci.md"
    text = (
        "Activities in which your roles are responsible (R), accountable (A), consulted "
        "(C) or informed (I)."
        + Parts(inline=True)(raci_table(ctx, here, audience_raci(ctx.graph, pack), True))
    )
    return [("Who does what: your activities", here, text)]


def _charter(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    charter = ctx.graph.charter
    if not charter:
        return []
    text = _strip_h1(org_views.charter(ctx, charter))
    return [(charter.title, ctx.graph.docs_path[charter.path], text)]


def _adoption(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    g, here = ctx.graph, "organization/adoption/index.md"
    if not g.adoption:
        return []
    text = Parts(inline=True)(org_views.adoption_progress(ctx, here)) + "\n\n".join(
        f"## {md(d.title)}\n\n{demote(_strip_h1(org_views.adoption_phase(ctx, d)))}"
        for d in g.adoption
    )
    return [("Adoption roadmap", here, text)]


def _maturity(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    text = _strip_h1(org_views.maturity_overview(ctx))
    return [("Maturity overview", "organization/maturity.md", text)]


def _unit(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    if pack.unit is None:
        return []
    name = str(ctx.graph.repo.units[pack.unit]["name"])
    text = _strip_h1(unit_page(ctx, pack.unit, whole_matrix=False))
    return [(f"{name}: how we work", layout.unit_page(pack.unit), text)]


def _key_contacts(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    return [("Key contacts", "organization/index.md", _contacts(ctx, pack))]


def _roles(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    return [
        (
            str(ctx.graph.roles[rid]["title"]),
            f"organization/roles/{rid}.md",
            _strip_h1(org_views.role_page(ctx, rid)),
        )
        for rid in pack.roles
    ]


KINDS: dict[str, Callable[[RenderContext, Pack, Any], list[Piece]]] = {
    "page": _page,
    "section": _section,
    "capabilities": _capabilities,
    "raci": _raci,
    "charter": _charter,
    "adoption": _adoption,
    "maturity": _maturity,
    "contacts": _key_contacts,
    "roles": _roles,
    "unit": _unit,
    "expected": expected,
    "summaries": summaries,
}
"""What each `include:` entry of a pack adds (core/pack_specs.py checks the entries)."""
DATED: dict[str, Callable[[RenderContext, Pack, dt.date], list[Piece]]] = {"executive": executive}
"""Entries whose content depends on the pack's date (overdue reviews, late decisions)."""


def chapters(ctx: RenderContext, pack: Pack, today: dt.date | None = None) -> list[Chapter]:
    out: list[Chapter] = []
    for kind, arg in pack.chapters:
        if kind in DATED:
            pieces = DATED[kind](ctx, pack, today or dt.date.today())
        else:
            pieces = KINDS[kind](ctx, pack, arg) if kind in KINDS else []
        for title, where, text in pieces:
            out.append(Chapter(f"ch{len(out) + 1}", title, where, text))
    return out


def _contacts(ctx: RenderContext, pack: Pack) -> str:
    g, here = ctx.graph, "organization/index.md"
    first = [r for r in g.roles if r in pack.roles] + [r for r in g.roles if r not in pack.roles]
    rows: list[list[Cell]] = [
        [
            role_a(ctx, here, rid),
            str(g.roles[rid].get("team", "—")),
            str(g.roles[rid].get("contact", "—")),
        ]
        for rid in first
    ]
    contacts = table(ctx, ["Role", "Team", "Contact"], rows)
    return "Your own roles come first." + Parts(inline=True)(contacts)


def _strip_h1(text: str) -> str:
    return re.sub(r"\A# .*\n", "", text.lstrip())


def _link_map(chs: list[Chapter]) -> dict[str, str]:
    return {c.docs: c.id for c in reversed(chs)}


def _convert(ch: Chapter, md: markdown.Markdown) -> str:
    md.reset()
    html = md.convert(ch.markdown)
    return _ID.sub(lambda m: f' id="{ch.id}-{m.group(1)}"', html)


def _relink(ch: Chapter, html: str, targets: dict[str, str], ids: set[str]) -> Markup:
    """Point links at chapters of this pack; links that leave the pack become plain text."""

    def anchor(chapter: str, frag: str) -> str:
        wanted = f"{chapter}-{frag}" if frag else chapter
        return wanted if wanted in ids else chapter  # the heading may not be in the pack

    def fix(m: re.Match[str]) -> str:
        before, href, after, text = m.groups()
        if re.match(r"^[a-z]+:", href):  # external: kept if it cannot run script
            return m.group(0) if safe_url(href) else _offline(text)

        path, _, frag = href.partition("#")
        if not path:
            return f'<a {before}href="#{anchor(ch.id, frag)}"{after}>{text}</a>'
        dest = posixpath.normpath(posixpath.join(posixpath.dirname(ch.docs), path))
        dest = dest[:-5] + ".md" if dest.endswith(".html") else dest
        if dest in targets:
            return f'<a {before}href="#{anchor(targets[dest], frag)}"{after}>{text}</a>'
        return _offline(text)

    return Markup(_A.sub(fix, html))


def _offline(text: str) -> str:
    """A link's text without the link; inside an SVG (the heatmap) a group, as a span there
    would drop the label from the drawing."""
    tag = "g" if "<text" in text else "span"
    return f'<{tag} class="fkb-offline">{text}</{tag}>'


def _rebase(ch: Chapter, html: str, prefix: str) -> str:
    """Point relative image and stylesheet paths of a chapter at `prefix` + their docs path.

    The chapter's paths are relative to its page; the pack is one document in another folder.
    """

    def url(m: re.Match[str]) -> str:
        before, quote, value = m.groups()
        if not value or re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|#)", value):
            return m.group(0)
        dest = posixpath.normpath(posixpath.join(posixpath.dirname(ch.docs), value))
        return f"{before}{quote}{prefix}{dest}{quote}"

    return _EMBED.sub(lambda tag: _EMBED_URL.sub(url, tag.group(0)), html)


def render_html(
    ctx: RenderContext,
    pack: Pack,
    root: Path,
    today: dt.date,
    template_dirs: list[Path] | None = None,
    asset_prefix: str | None = None,
) -> str:
    """The pack as one HTML document; `asset_prefix` leads from its folder to the docs root."""
    ctx = dataclasses.replace(ctx, directory_urls=False)  # chapter links map .html to .md
    chs = chapters(ctx, pack, today)
    md = markdown.Markdown(extensions=EXTENSIONS)
    targets = _link_map(chs)
    converted = [_convert(ch, md) for ch in chs]
    ids = {ch.id for ch in chs} | {i for html in converted for i in _ID.findall(html)}
    for ch, html in zip(chs, converted, strict=True):
        if asset_prefix is not None:
            html = _rebase(ch, html, asset_prefix)
        ch.html = _relink(ch, html, targets, ids)
    dirs = [*(template_dirs or []), TEMPLATES]
    env = Environment(
        loader=FileSystemLoader([str(d) for d in dirs]), autoescape=select_autoescape(["html"])
    )
    css = env.loader.get_source(env, "pack.css")[0]  # type: ignore[union-attr]
    context: dict[str, Any] = {
        "org": ctx.org_name,
        "pack": pack,
        "chapters": chs,
        "version": version(root),
        "date": today.isoformat(),
        "css": Markup(css),
    }
    return env.get_template("pack.html").render(context)
