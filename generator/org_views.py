"""Generated pages about the organization: roles, roster, charter, maturity and adoption."""

from __future__ import annotations

from html import escape

from .fragments import Parts, page_a, role_a, role_raci_table, table
from .graph import LEVELS, relative
from .model import Document, mapping
from .pages import (
    FULL_TEXT_UP_TO,
    Site,
    activity_sections,
    cell,
    footer,
    level,
    maturity_cell,
    page_link,
    rewrite_links,
    role_link,
)

STATUS = {"done": "Done", "in-progress": "In progress", "not-started": "Not started"}


def adoption_progress(site: Site, here: str) -> str:
    g = site.graph
    rows = ["| Phase | Status | Owner | Exit criteria met |", "|---|---|---|---|"]
    for doc in g.adoption:
        crit = [c for c in doc.meta.get("exit_criteria") or [] if isinstance(c, dict)]
        met = sum(bool(c.get("met")) for c in crit)
        status = str(doc.meta.get("status"))
        rows.append(
            f"| {page_link(g, here, doc)} | "
            f'<span class="fkb-status fkb-{escape(status)}">{STATUS.get(status, status)}</span> | '
            f"{role_link(g, here, str(doc.meta.get('owner')))} | "
            f'<meter min="0" max="{len(crit)}" value="{met}"></meter> {met} of {len(crit)} |'
        )
    return "\n".join(rows)


def role_page(site: Site, rid: str, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = site.graph, f"organization/roles/{rid}.md"
    role = g.roles[rid]
    persona = g.personas.get(str(role.get("persona")))
    facts = [f"**Persona:** {page_link(g, here, persona)}" if persona else ""]
    facts += [
        f"**Team:** {cell(role['team'])}" if role.get("team") else "",
        f"**Contact:** {cell(role['contact'])}" if role.get("contact") else "",
    ]
    out = [
        f"# {role['title']}",
        "",
        '<div class="fkb-facts" markdown>',
        " · ".join(f for f in facts if f),
        "</div>",
        "",
        "## What is expected of you",
        "",
    ]
    rows = g.raci_by_role.get(rid, [])
    lead = [a for a in rows if a["assignments"][rid] in ("R", "A")]
    other = [a for a in rows if a["assignments"][rid] in ("C", "I")]
    out += [
        "### Responsible or accountable",
        "",
        parts(role_raci_table(site, here, rid, lead)) if lead else "No activity.",
        "",
    ]
    if other:
        out += ["### Consulted or informed", parts(role_raci_table(site, here, rid, other))]
    owned = [
        g.capabilities[c]
        for c, o in g.overlays.items()
        if o.meta.get("owner") == rid and c in g.capabilities
    ]
    if owned:
        out += [
            "## Capabilities you own",
            "",
            "| Capability | Maturity now → target |",
            "|---|---|",
        ]
        out += [
            f"| {page_link(g, here, c, 'in-our-organization')} | {maturity_cell(g, c.id)} |"
            for c in owned
        ]
        out.append("")
    seats = g.committees.get(rid, [])
    if seats and g.charter:
        out += [
            "## Committees",
            "",
            f"- {', '.join(s.capitalize() for s in seats)} of the {page_link(g, here, g.charter)}",
        ]
        rights = [
            r
            for r in g.charter.meta.get("decision_rights") or []
            if isinstance(r, dict) and r.get("approver") == rid
        ]
        out += [
            f"- You approve: {cell(r.get('decision'))}"
            + (f" ({cell(r['threshold'])})" if r.get("threshold") else "")
            for r in rights
        ]
        out.append("")
    phases = [p for p in g.adoption if p.meta.get("owner") == rid]
    if phases:
        out += ["## Adoption phases you own", ""]
        out += [
            f"- {page_link(g, here, p)} — {STATUS.get(str(p.meta.get('status')), '')}"
            for p in phases
        ]
        out.append("")
    acts = g.activities.get(str(role.get("persona")), [])
    if persona and acts:
        out += [f"## Your activities as {persona.title}", ""]
        if len(acts) > FULL_TEXT_UP_TO:  # the persona page already lists them all
            out.append(
                f"{persona.title} takes part in {len(acts)} capabilities; see "
                f"{page_link(g, here, persona, 'activities-across-capabilities')}."
            )
        else:
            out += activity_sections(g, here, acts)
    return "\n".join(out)


def roster(site: Site) -> str:
    g, here = site.graph, "organization/index.md"
    out = [
        f"# {site.org_name}",
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
    out += ["", "## Roles", "", "| Role | Persona | Team | Contact |", "|---|---|---|---|"]
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        out.append(
            f"| {role_link(g, here, rid)} | {page_link(g, here, persona) if persona else '—'} "
            f"| {cell(role.get('team', '—'))} | {cell(role.get('contact', '—'))} |"
        )
    return "\n".join(out) + "\n"


def maturity_overview(site: Site, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = site.graph, "organization/maturity.md"
    out = [
        "# Maturity overview",
        "",
        "Each capability's maturity as last assessed, against the "
        "target we set. Gaps are counted in levels (Crawl → Walk → Run).",
        "",
    ]
    head = ["Capability", "Owner", "Now", "Target", "Gap", "Assessed"]
    for d in g.domains:
        rows = []
        for c in g.by_domain.get(d.id, []):
            o = g.overlays.get(c.id)
            mat = mapping(o.meta.get("maturity") if o else None)
            now, target = mat.get("current"), mat.get("target")
            gap = (
                (LEVELS.index(target) - LEVELS.index(now))
                if now in LEVELS and target in LEVELS
                else "—"
            )
            owner = role_a(site, here, str(o.meta.get("owner"))) if o else "—"
            rows.append(
                [
                    page_a(site, here, c),
                    owner,
                    level(now),
                    level(target),
                    str(gap),
                    escape(str(mat.get("assessed", "—"))),
                ]
            )
        out += [f"## {d.title}", parts(table(head, rows))]
    return "\n".join(out)


def adoption_index(site: Site) -> str:
    here = "organization/adoption/index.md"
    return (
        "# Adoption roadmap\n\nHow we are introducing FinOps, phase by phase. Each phase ends "
        "when its exit criteria are met.\n\n" + adoption_progress(site, here) + "\n"
    )


def adoption_phase(site: Site, doc: Document, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = site.graph, g_path(site, doc)
    status = str(doc.meta.get("status"))
    out = [
        f"# {doc.title}",
        "",
        '<div class="fkb-facts" markdown>',
        f'**Status:** <span class="fkb-status fkb-{escape(status)}">{STATUS.get(status, status)}'
        f"</span> · **Owner:** {role_link(g, here, str(doc.meta.get('owner')))}",
        "</div>",
        "",
        rewrite_links(doc.body, doc, here, g).rstrip(),
        "",
        "### Checklist",
        "",
    ]
    out += [
        f"- [{'x' if c.get('met') else ' '}] {cell(c.get('criterion'))}"
        for c in doc.meta.get("exit_criteria") or []
        if isinstance(c, dict)
    ]
    return "\n".join(out) + "\n" + footer(site, doc, here, parts)


def g_path(site: Site, doc: Document) -> str:
    return site.graph.docs_path[doc.path]


def charter(site: Site, doc: Document, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here, m = site.graph, g_path(site, doc), doc.meta
    members = [
        f"| {role_link(g, here, r)} | {', '.join(x.capitalize() for x in g.committees[r])} |"
        for r in sorted(
            g.committees,
            key=lambda r: ("chair" not in g.committees[r], "sponsor" not in g.committees[r], r),
        )
    ]
    rights = [
        f"| {cell(r.get('decision'))} | {role_link(g, here, str(r.get('approver')))} | "
        f"{cell(r.get('threshold', '—'))} |"
        for r in m.get("decision_rights") or []
        if isinstance(r, dict)
    ]
    out = [
        f"# {doc.title}",
        "",
        '<div class="fkb-facts" markdown>',
        f"**Cadence:** {cell(m.get('cadence'))} · **Quorum:** {cell(m.get('quorum'))}",
        "</div>",
        "",
        rewrite_links(doc.body, doc, here, g).rstrip(),
        "",
        "## Members at a glance",
        "",
        "| Role | Seat |",
        "|---|---|",
        *members,
        "",
        "## Decision rights at a glance",
        "",
        "| Decision | Approver | Threshold |",
        "|---|---|---|",
        *rights,
        "",
    ]
    return "\n".join(out) + footer(site, doc, here, parts)
