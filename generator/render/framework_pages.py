"""Stage 4: merge playbooks into framework pages and add the generated parts of each page.

A page comes out as Markdown: the author's text, merged files and headings, which MkDocs
renders as usual, and placeholders for the generated parts, which are ready HTML (see
html_parts.py). The site link check reads the final HTML, so it sees every generated link.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core import editions
from ..core.facts import maturity, page_owner
from ..core.graph import Graph
from ..core.layout import relative
from ..core.model import Document, mapping
from . import html_parts, unit_views
from .context import RenderContext
from .html_parts import Parts, md
from .merging import demote, rewrite_links

# A page left out of search entirely (pages that only list problems, like the preview's).
NOT_SEARCHED = "---\nsearch:\n  exclude: true\n---"
_SKIPPED_BY_SEARCH = Markup('<div data-search-exclude="true">')


class UnsearchedParts(Parts):
    """Parts that Material's search index skips (`data-search-exclude`), for tables that repeat
    cell by cell what capability and role pages say: searching them would only add noise (and,
    on large knowledge bases, seconds of indexing). Headings and text around them stay found."""

    def __call__(self, html: str) -> str:
        return super().__call__(
            _SKIPPED_BY_SEARCH + Markup(html) + Markup("</div>") if html else ""
        )


def page_link(g: Graph, here: str, doc: Document, anchor: str = "") -> str:
    """A Markdown link to `doc`, its title escaped."""
    return f"[{md(doc.title)}]({relative(here, g.docs_path[doc.path], anchor)})"


def role_link(g: Graph, here: str, role_id: str) -> str:
    """A Markdown link to a role's page (its id as code if there is no such role)."""
    role = g.roles.get(role_id)
    if not role:
        return f"`{role_id.replace('`', '')}`"
    return f"[{md(role['title'])}]({relative(here, f'organization/roles/{role_id}.md')})"


def level(value: Any) -> str:
    return str(value).capitalize() if value else "—"


def _overlay(ctx: RenderContext, here: str, overlay: Document, parts: Parts) -> str:
    m = overlay.meta
    mat = maturity(overlay)
    edit = ctx.edit_url(overlay)
    facts = html_parts.render(
        ctx,
        "overlay-facts.html",
        owner=html_parts.role_a(ctx, here, str(m.get("owner"))),
        maturity=f"{level(mat.current)} → {level(mat.target)}",
        assessed=str(mat.assessed_on) if mat.assessed_on else "",
        edit=html_parts.link(edit, "Edit our practice", "fkb-edit") if edit else None,
        kpis=html_parts.kpi_table(ctx, overlay, with_formula=True),
    )
    out = [
        f"## In {md(ctx.org_name)} {{ #in-our-organization }}",
        "",
        '<div class="fkb-overlay" markdown>',
        parts(facts),
        demote(rewrite_links(overlay.body, overlay, here, ctx.graph)).strip(),
        "",
        "</div>",
        "",
    ]
    return "\n".join(out)


def _facts(ctx: RenderContext, doc: Document, here: str) -> str:
    g, m = ctx.graph, doc.meta
    domain = next((d for d in g.domains if d.id == m.get("domain")), None)
    personas = mapping(m.get("personas"))
    aliases = editions.formers(m)
    return html_parts.render(
        ctx,
        "capability-facts.html",
        summary=str(m.get("summary", "")),
        domain=html_parts.page_a(ctx, here, domain) if domain else None,
        phases=[
            html_parts.page_a(ctx, here, p) for p in g.phases if p.id in (m.get("phases") or [])
        ],
        lead=[
            html_parts.page_a(ctx, here, g.personas[p])
            for p in personas.get("lead") or []
            if p in g.personas
        ],
        aliases=aliases,
    )


def _listed(ctx: RenderContext, here: str, caps: list[Document], back: list[Document]) -> str:
    items = [(html_parts.page_a(ctx, here, c), str(c.meta.get("summary", ""))) for c in caps]
    back_links = [html_parts.page_a(ctx, here, c) for c in back]
    return html_parts.render(ctx, "related.html", items=items, back=back_links, always=not back)


def capability(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> str:
    g, m = ctx.graph, doc.meta
    out = [parts(_facts(ctx, doc, here)), doc.body.rstrip(), ""]
    overlay = g.overlays.get(doc.id)
    if overlay:
        out.append(_overlay(ctx, here, overlay, parts))
    out += unit_views.in_units(ctx, doc, here, parts)
    rows = g.raci_by_capability.get(doc.id) or []
    if rows:
        out += ["## Who does what here", parts(html_parts.raci_table(ctx, here, rows, False))]
    out += unit_views.over_time(ctx, doc, parts)
    related = [g.capabilities[r] for r in m.get("related") or [] if r in g.capabilities]
    back = [c for c in g.referenced_by.get(doc.id, []) if c not in related]
    if related or back:
        out += ["## Related capabilities", parts(_listed(ctx, here, related, back))]
    return "\n".join(out) + footer(ctx, doc, here, parts)


def footer(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> str:
    """Backlinks, review status and the framework credit, shared by every page."""
    g = ctx.graph
    links = [
        html_parts.page_a(ctx, here, d)
        for d in g.backlinks.get(doc.path, [])
        # An overlay has no title of its own and shows on its capability's page, which is
        # left out like every capability (an empty link otherwise).
        if d.path in g.docs_path
        and g.docs_path[d.path] != here
        and d.kind not in ("capability", "overlay")
    ]
    reviewed = doc.meta.get("last_reviewed")
    owner = page_owner(doc, g.overlays) if reviewed else None
    return parts(
        html_parts.render(
            ctx,
            "footer.html",
            backlinks=links,
            reviewed=str(reviewed) if reviewed else "",
            owner=html_parts.role_a(ctx, here, str(owner)) if owner else None,
            credit=html_parts.attribution(ctx, doc),
        )
    )


def maturity_cell(g: Graph, cap_id: str) -> str:
    mat = maturity(g.overlays.get(cap_id))
    if not mat.known:
        return "not assessed"
    return f"{level(mat.current)} → {level(mat.target)}"


def domain(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> str:
    g = ctx.graph
    rows: list[list[html_parts.Cell]] = [
        [html_parts.page_a(ctx, here, c), str(c.meta.get("summary", "")), maturity_cell(g, c.id)]
        for c in g.by_domain.get(doc.id, [])
    ]
    head = ["Capability", "What it achieves", f"{ctx.org_name}: now → target"]
    return (
        doc.body.rstrip()
        + "\n\n## Capabilities in this domain"
        + parts(html_parts.table(ctx, head, rows))
        + footer(ctx, doc, here, parts)
    )


def persona(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> str:
    g = ctx.graph
    out = [doc.body.rstrip(), ""]
    roles = [rid for rid, r in g.roles.items() if r.get("persona") == doc.id]
    if roles:
        links = [html_parts.role_a(ctx, here, r) for r in roles]
        out += [
            f"## In {md(ctx.org_name)}",
            parts(html_parts.render(ctx, "persona-roles.html", roles=links)),
        ]
    acts = g.activities.get(doc.id, [])
    if acts:
        out += [
            "## Activities across capabilities",
            "",
            f"What the {md(doc.title)} persona does in each capability, gathered from the "
            "capability pages.",
            "",
        ]
        out += activity_sections(g, here, acts, read_more=True)
    return "\n".join(out) + footer(ctx, doc, here, parts)


FULL_TEXT_UP_TO = 40
"""Above this many capabilities a persona's activities are listed as links, not copied in full:
a page that repeats thousands of sections helps nobody and makes large builds slow."""


def activity_sections(g: Graph, here: str, acts: list[Any], read_more: bool = False) -> list[str]:
    """One H3 per capability with a persona's functional activities there."""
    if len(acts) > FULL_TEXT_UP_TO:
        return [f"- {page_link(g, here, a.capability, a.heading.slug)}" for a in acts] + [""]
    out = []
    for act in acts:
        out += [
            f"### {md(act.capability.title)}",
            "",
            rewrite_links(act.text, act.capability, here, g),
            "",
        ]
        if read_more:
            target = relative(here, g.docs_path[act.capability.path], act.heading.slug)
            out += [f"[Read {md(act.capability.title)} in full]({target})", ""]
    return out


def phase(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> str:
    caps = ctx.graph.by_phase.get(doc.id, [])
    return (
        doc.body.rstrip()
        + "\n\n## Capabilities exercised in this phase"
        + parts(_listed(ctx, here, caps, []))
        + footer(ctx, doc, here, parts)
    )


def render_parts(ctx: RenderContext, doc: Document) -> tuple[str, Parts]:
    """A content page's Markdown as the site shows it, with placeholders for its HTML parts."""
    parts = Parts()
    return _render(ctx, doc, parts), parts


def render(ctx: RenderContext, doc: Document) -> str:
    """A content page's full Markdown as the site shows it, HTML parts inlined."""
    return _render(ctx, doc, Parts(inline=True))


def _render(ctx: RenderContext, doc: Document, parts: Parts) -> str:
    here = ctx.graph.docs_path[doc.path]
    kind = {"capability": capability, "domain": domain, "persona": persona, "phase": phase}.get(
        doc.kind
    )
    if kind:
        return kind(ctx, doc, here, parts)
    return doc.body.rstrip() + "\n" + footer(ctx, doc, here, parts)
