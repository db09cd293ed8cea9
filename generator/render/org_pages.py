"""Generated pages about the organization: roles, roster, charter, maturity and adoption.

Headings stay Markdown (they feed the table of contents), with data escaped by `md()`; every
other piece that shows data is an HTML part rendered from a template (see html_parts.py).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core.facts import maturity
from ..core.graph import LEVELS
from ..core.layout import relative
from ..core.model import Document
from .context import RenderContext
from .framework_pages import (
    FULL_TEXT_UP_TO,
    activity_sections,
    footer,
    level,
    maturity_cell,
    page_link,
)
from .html_parts import Cell, Parts, md, page_a, render, role_a, role_raci_table, table
from .merging import rewrite_links
from .unit_pages import role_in_units, tree

STATUS = {"done": "Done", "in-progress": "In progress", "not-started": "Not started"}


def _status(value: Any) -> dict[str, str]:
    """The CSS class suffix (known statuses only) and label of an adoption status."""
    status = str(value)
    return {"status": status if status in STATUS else "", "label": STATUS.get(status, status)}


def adoption_progress(ctx: RenderContext, here: str) -> Markup:
    rows = []
    for doc in ctx.graph.adoption:
        crit = [c for c in doc.meta.get("exit_criteria") or [] if isinstance(c, dict)]
        rows.append(
            {
                "phase": page_a(ctx, here, doc),
                "owner": role_a(ctx, here, str(doc.meta.get("owner"))),
                "met": sum(bool(c.get("met")) for c in crit),
                "total": len(crit),
                **_status(doc.meta.get("status")),
            }
        )
    return render(ctx, "adoption-progress.html", rows=rows)


def _role_facts(ctx: RenderContext, here: str, role: dict[str, Any]) -> Markup:
    persona = ctx.graph.personas.get(str(role.get("persona")))
    return render(
        ctx,
        "role-facts.html",
        persona=page_a(ctx, here, persona) if persona else None,
        team=str(role.get("team") or ""),
        contact=str(role.get("contact") or ""),
        unit=str(unit["name"]) if (unit := ctx.graph.repo.units.get(str(role.get("unit")))) else "",
    )


def _committees(ctx: RenderContext, here: str, rid: str, parts: Parts) -> list[str]:
    g = ctx.graph
    seats = g.committees.get(rid, [])
    if not (seats and g.charter):
        return []
    rights = [
        {"decision": str(r.get("decision")), "threshold": str(r.get("threshold") or "")}
        for r in g.charter.meta.get("decision_rights") or []
        if isinstance(r, dict) and r.get("approver") == rid
    ]
    listed = render(
        ctx,
        "role-committees.html",
        seats=", ".join(s.capitalize() for s in seats),
        charter=page_a(ctx, here, g.charter),
        rights=rights,
    )
    return ["## Committees", parts(listed)]


def role_page(ctx: RenderContext, rid: str, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, f"organization/roles/{rid}.md"
    role = g.roles[rid]
    persona = g.personas.get(str(role.get("persona")))
    out = [
        f"# {md(role['title'])}",
        parts(_role_facts(ctx, here, role)),
        "## What is expected of you",
        "",
    ]
    rows = g.raci_by_role.get(rid, [])
    lead = [a for a in rows if a["assignments"][rid] in ("R", "A")]
    other = [a for a in rows if a["assignments"][rid] in ("C", "I")]
    out += [
        "### Responsible or accountable",
        "",
        parts(role_raci_table(ctx, here, rid, lead)) if lead else "No activity.",
        "",
    ]
    if other:
        out += ["### Consulted or informed", parts(role_raci_table(ctx, here, rid, other))]
    out += role_in_units(ctx, here, rid, parts)
    owned = [
        g.capabilities[c]
        for c, o in g.overlays.items()
        if o.meta.get("owner") == rid and c in g.capabilities
    ]
    if owned:
        cells: list[list[Cell]] = [
            [page_a(ctx, here, c, "in-our-organization"), maturity_cell(g, c.id)] for c in owned
        ]
        head = ["Capability", "Maturity now → target"]
        out += ["## Capabilities you own", parts(table(ctx, head, cells))]
    out += _committees(ctx, here, rid, parts)
    phases = [p for p in g.adoption if p.meta.get("owner") == rid]
    if phases:
        items = [(page_a(ctx, here, p), STATUS.get(str(p.meta.get("status")), "")) for p in phases]
        out += ["## Adoption phases you own", parts(render(ctx, "related.html", items=items))]
    acts = g.activities.get(str(role.get("persona")), [])
    if persona and acts:
        out += [f"## Your activities as {md(persona.title)}", ""]
        if len(acts) > FULL_TEXT_UP_TO:  # the persona page already lists them all
            out.append(
                f"{md(persona.title)} takes part in {len(acts)} capabilities; see "
                f"{page_link(g, here, persona, 'activities-across-capabilities')}."
            )
        else:
            out += activity_sections(g, here, acts)
    return "\n".join(out)


def roster(ctx: RenderContext, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, "organization/index.md"
    out = [
        f"# {md(ctx.org_name)}",
        "",
        "How we run FinOps: the people, the committee that decides, "
        "who does what, how mature we are and how far we have come.",
        "",
        f"- [Who does what (RACI)]({relative(here, 'organization/raci.md')})",
        f"- [Maturity overview]({relative(here, 'organization/maturity.md')})",
        f"- [Adoption roadmap]({relative(here, 'organization/adoption/index.md')})",
    ]
    if g.charter:
        out.append(f"- {page_link(g, here, g.charter)}")
    rows: list[list[Cell]] = []
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        rows.append(
            [
                role_a(ctx, here, rid),
                page_a(ctx, here, persona) if persona else None,
                str(role.get("team", "—")),
                str(role.get("contact", "—")),
            ]
        )
    out += ["", "## Roles", parts(table(ctx, ["Role", "Persona", "Team", "Contact"], rows))]
    if g.repo.units:
        out += ["", "## Business units", parts(_units_table(ctx, here))]
    return "\n".join(out) + "\n"


def _units_table(ctx: RenderContext, here: str) -> Markup:
    """The units as a tree (parents first, each followed by its own units), with their leads,
    scopes and roles."""
    units = ctx.graph.repo.units
    members: dict[str, list[Cell]] = {}
    for rid, role in ctx.graph.roles.items():
        if role.get("unit") in units:
            members.setdefault(str(role["unit"]), []).append(role_a(ctx, here, rid))
    rows: list[list[Cell]] = []
    for uid, depth in tree(ctx):
        unit = units[uid]
        lead = unit.get("lead")
        rows.append(
            [
                "\u2003" * depth + str(unit["name"]),
                role_a(ctx, here, str(lead)) if lead else None,
                ", ".join(unit.get("scopes") or []) or "—",
                members.get(uid) or None,
            ]
        )
    return table(ctx, ["Unit", "FinOps lead", "Scopes", "Roles"], rows)


def maturity_overview(ctx: RenderContext, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, "organization/maturity.md"
    out = [
        "# Maturity overview",
        "",
        "Each capability's maturity as last assessed, against the "
        "target we set. Gaps are counted in levels (Crawl → Walk → Run).",
        "",
    ]
    head = ["Capability", "Owner", "Now", "Target", "Gap", "Assessed"]
    for d in g.domains:
        rows: list[list[Cell]] = []
        for c in g.by_domain.get(d.id, []):
            o = g.overlays.get(c.id)
            mat = maturity(o)
            now, target = mat.current, mat.target
            gap = (
                (LEVELS.index(target) - LEVELS.index(now))
                if now in LEVELS and target in LEVELS
                else "—"
            )
            owner = role_a(ctx, here, str(o.meta.get("owner"))) if o else None
            rows.append(
                [
                    page_a(ctx, here, c),
                    owner,
                    level(now),
                    level(target),
                    str(gap),
                    str(mat.assessed_on if mat.assessed_on is not None else "—"),
                ]
            )
        out += [f"## {md(d.title)}", parts(table(ctx, head, rows))]
    return "\n".join(out)


def adoption_index(ctx: RenderContext, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    here = "organization/adoption/index.md"
    return (
        "# Adoption roadmap\n\nHow we are introducing FinOps, phase by phase. Each phase ends "
        "when its exit criteria are met." + parts(adoption_progress(ctx, here))
    )


def adoption_phase(ctx: RenderContext, doc: Document, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, g_path(ctx, doc)
    facts = render(
        ctx,
        "adoption-facts.html",
        owner=role_a(ctx, here, str(doc.meta.get("owner"))),
        **_status(doc.meta.get("status")),
    )
    items = [
        {"met": bool(c.get("met")), "criterion": str(c.get("criterion"))}
        for c in doc.meta.get("exit_criteria") or []
        if isinstance(c, dict)
    ]
    out = [
        f"# {md(doc.title)}",
        parts(facts),
        rewrite_links(doc.body, doc, here, g).rstrip(),
        "",
        "### Checklist",
        parts(render(ctx, "checklist.html", items=items)),
    ]
    return "\n".join(out) + "\n" + footer(ctx, doc, here, parts)


def g_path(ctx: RenderContext, doc: Document) -> str:
    return ctx.graph.docs_path[doc.path]


def charter(ctx: RenderContext, doc: Document, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here, m = ctx.graph, g_path(ctx, doc), doc.meta
    members: list[list[Cell]] = [
        [role_a(ctx, here, r), ", ".join(x.capitalize() for x in g.committees[r])]
        for r in sorted(
            g.committees,
            key=lambda r: ("chair" not in g.committees[r], "sponsor" not in g.committees[r], r),
        )
    ]
    rights: list[list[Cell]] = [
        [
            str(r.get("decision")),
            role_a(ctx, here, str(r.get("approver"))),
            str(r.get("threshold", "—")),
        ]
        for r in m.get("decision_rights") or []
        if isinstance(r, dict)
    ]
    facts = render(
        ctx, "charter-facts.html", cadence=str(m.get("cadence")), quorum=str(m.get("quorum"))
    )
    out = [
        f"# {md(doc.title)}",
        parts(facts),
        rewrite_links(doc.body, doc, here, g).rstrip(),
        "",
        "## Members at a glance",
        parts(table(ctx, ["Role", "Seat"], members)),
        "## Decision rights at a glance",
        parts(table(ctx, ["Decision", "Approver", "Threshold"], rights)),
    ]
    return "\n".join(out) + footer(ctx, doc, here, parts)
