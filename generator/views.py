"""Stage 5: pages generated from the whole graph (dashboard, RACI, roles, roadmap, reviews)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from html import escape

from .config import Config
from .graph import LEVELS, relative
from .model import Document
from .pages import (
    Site,
    cell,
    footer,
    href,
    level,
    maturity_cell,
    page_link,
    raci_table,
    render,
    rewrite_links,
    role_link,
)
from .reference import check_codes, content_model
from .rules.freshness import due_date, owner_of
from .svg import heatmap

STATUS = {"done": "Done", "in-progress": "In progress", "not-started": "Not started"}


@dataclass(frozen=True, slots=True)
class Generated:
    markdown: str
    source: str | None = None
    """Repository path the page is made from (for edit links and error reports)."""


def home(site: Site) -> str:
    g, here = site.graph, "index.md"
    out = [f"# {site.org_name} FinOps knowledge base", "",
           "How we manage the value of our technology spend: the FinOps Framework in our own "
           f"words, and how {site.org_name} runs each part of it.", "",
           "## Start from your role", "", '<div class="grid cards" markdown>', ""]
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        extra = f" — {persona.title}" if persona else ""
        out.append(f"- {role_link(g, here, rid)}{cell(extra)}")
    out += ["", "</div>", "", "## Maturity: where we are and where we aim", "",
            "Filled cells show the maturity we have reached; the outlined cell is our target. "
            f"See the [maturity overview]({relative(here, 'organization/maturity.md')}) as a table.",
            "", heatmap(g, {c: href(site, here, g.docs_path[d.path])
                             for c, d in g.capabilities.items()}), ""]
    if g.adoption:
        out += ["## Adoption progress", "", adoption_progress(site, here), ""]
    known = set(g.docs_path.values())
    links = [("What is FinOps", "what-is-finops.md"), ("Who does what (RACI)", "organization/raci.md"),
             ("Maturity overview", "organization/maturity.md"),
             ("Steering committee", "organization/steering-committee.md"),
             ("Review status", "about/review-status.md")]
    out += ["## Find your way", ""]
    out += [f"- [{title}]({relative(here, path)})" for title, path in links
            if path in known or path.startswith(("organization/raci", "organization/maturity", "about/"))]
    out.append("")
    return "\n".join(out)


def adoption_progress(site: Site, here: str) -> str:
    g = site.graph
    rows = ["| Phase | Status | Owner | Exit criteria met |", "|---|---|---|---|"]
    for doc in g.adoption:
        crit = [c for c in doc.meta.get("exit_criteria") or [] if isinstance(c, dict)]
        met = sum(bool(c.get("met")) for c in crit)
        status = str(doc.meta.get("status"))
        rows.append(f"| {page_link(g, here, doc)} | "
                    f'<span class="fkb-status fkb-{escape(status)}">{STATUS.get(status, status)}</span> | '
                    f"{role_link(g, here, str(doc.meta.get('owner')))} | "
                    f'<meter min="0" max="{len(crit)}" value="{met}"></meter> {met} of {len(crit)} |')
    return "\n".join(rows)


def raci_matrix(site: Site) -> str:
    g, here = site.graph, "organization/raci.md"
    roles = list(g.roles)
    options = "".join(f'<option value="{escape(r)}">{escape(g.roles[r]["title"])}</option>'
                      for r in roles)
    head = "".join(f'<th data-role="{escape(r)}"><a href="{href(site, here, f"organization/roles/{r}.md")}">'
                   f'{escape(g.roles[r]["title"])}</a></th>' for r in roles)
    out = ["# Who does what (RACI)", "",
           "**R** responsible (does the work) · **A** accountable (one per activity, signs off) · "
           "**C** consulted · **I** informed.", "",
           f'<div class="fkb-raci-filter" hidden><label>Show activities of '
           f'<select id="fkb-raci-role"><option value="">every role</option>{options}</select>'
           "</label></div>", "",
           '<div class="fkb-scroll"><table class="fkb-raci"><thead><tr><th>Activity</th>'
           f"<th>Capability</th>{head}</tr></thead><tbody>"]
    for act in sorted(g.repo.activities, key=lambda a: (str(a.get("capability")), str(a.get("title")))):
        cap = g.capabilities.get(str(act.get("capability")))
        cap_html = (f'<a href="{href(site, here, g.docs_path[cap.path])}">{escape(cap.title)}</a>'
                    if cap else escape(str(act.get("capability"))))
        cells = ""
        for r in roles:
            letter = str((act.get("assignments") or {}).get(r, ""))
            cls = f' class="fkb-{letter.lower()}"' if letter else ""
            cells += f'<td data-role="{escape(r)}"{cls}>{escape(letter)}</td>'
        out.append(f'<tr id="act-{escape(str(act.get("id")))}"><td>{escape(str(act.get("title")))}'
                   f"</td><td>{cap_html}</td>{cells}</tr>")
    out += ["</tbody></table></div>", ""]
    return "\n".join(out)


def role_page(site: Site, rid: str) -> str:
    g, here = site.graph, f"organization/roles/{rid}.md"
    role = g.roles[rid]
    persona = g.personas.get(str(role.get("persona")))
    facts = [f"**Persona:** {page_link(g, here, persona)}" if persona else ""]
    facts += [f"**Team:** {cell(role['team'])}" if role.get("team") else "",
              f"**Contact:** {cell(role['contact'])}" if role.get("contact") else ""]
    out = [f"# {role['title']}", "", '<div class="fkb-facts" markdown>',
           " · ".join(f for f in facts if f), "</div>", "", "## What is expected of you", ""]
    rows = g.raci_by_role.get(rid, [])
    lead = [a for a in rows if a["assignments"][rid] in ("R", "A")]
    other = [a for a in rows if a["assignments"][rid] in ("C", "I")]
    out += ["### Responsible or accountable", "",
            raci_table(site, here, lead, True) if lead else "No activity.", ""]
    if other:
        out += ["### Consulted or informed", "", raci_table(site, here, other, True), ""]
    owned = [g.capabilities[c] for c, o in g.overlays.items()
             if o.meta.get("owner") == rid and c in g.capabilities]
    if owned:
        out += ["## Capabilities you own", "", "| Capability | Maturity now → target |", "|---|---|"]
        out += [f"| {page_link(g, here, c, 'in-our-organization')} | {maturity_cell(g, c.id)} |"
                for c in owned]
        out.append("")
    seats = g.committees.get(rid, [])
    if seats and g.charter:
        out += ["## Committees", "", f"- {', '.join(s.capitalize() for s in seats)} of the "
                f"{page_link(g, here, g.charter)}"]
        rights = [r for r in g.charter.meta.get("decision_rights") or []
                  if isinstance(r, dict) and r.get("approver") == rid]
        out += [f"- You approve: {cell(r.get('decision'))}"
                + (f" ({cell(r['threshold'])})" if r.get("threshold") else "") for r in rights]
        out.append("")
    phases = [p for p in g.adoption if p.meta.get("owner") == rid]
    if phases:
        out += ["## Adoption phases you own", ""]
        out += [f"- {page_link(g, here, p)} — {STATUS.get(str(p.meta.get('status')), '')}"
                for p in phases]
        out.append("")
    acts = g.activities.get(str(role.get("persona")), [])
    if persona and acts:
        out += [f"## Your activities as {persona.title}", ""]
        for act in acts:
            out += [f"### {act.capability.title}", "",
                    rewrite_links(act.text, act.capability, here, g), ""]
    return "\n".join(out)


def roster(site: Site) -> str:
    g, here = site.graph, "organization/index.md"
    out = [f"# {site.org_name}", "", "How we run FinOps: the people, the committee that decides, "
           "who does what, how mature we are and how far we have come.", "",
           f"- [Who does what (RACI)]({relative(here, 'organization/raci.md')})",
           f"- [Maturity overview]({relative(here, 'organization/maturity.md')})",
           f"- [Adoption roadmap]({relative(here, 'organization/adoption/index.md')})"]
    if g.charter:
        out.append(f"- {page_link(g, here, g.charter)}")
    out += ["", "## Roles", "", "| Role | Persona | Team | Contact |", "|---|---|---|---|"]
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        out.append(f"| {role_link(g, here, rid)} | {page_link(g, here, persona) if persona else '—'} "
                   f"| {cell(role.get('team', '—'))} | {cell(role.get('contact', '—'))} |")
    return "\n".join(out) + "\n"


def maturity_overview(site: Site) -> str:
    g, here = site.graph, "organization/maturity.md"
    out = ["# Maturity overview", "", "Each capability's maturity as last assessed, against the "
           "target we set. Gaps are counted in levels (Crawl → Walk → Run).", ""]
    for d in g.domains:
        out += [f"## {d.title}", "", "| Capability | Owner | Now | Target | Gap | Assessed |",
                "|---|---|---|---|---|---|"]
        for c in g.by_domain.get(d.id, []):
            o = g.overlays.get(c.id)
            mat = o.meta.get("maturity") if o and isinstance(o.meta.get("maturity"), dict) else {}
            now, target = mat.get("current"), mat.get("target")
            gap = (LEVELS.index(target) - LEVELS.index(now)) if now in LEVELS and target in LEVELS else "—"
            owner = role_link(g, here, str(o.meta.get("owner"))) if o else "—"
            out.append(f"| {page_link(g, here, c)} | {owner} | {level(now)} | {level(target)} | "
                       f"{gap} | {mat.get('assessed', '—')} |")
        out.append("")
    return "\n".join(out)


def adoption_index(site: Site) -> str:
    here = "organization/adoption/index.md"
    return ("# Adoption roadmap\n\nHow we are introducing FinOps, phase by phase. Each phase ends "
            "when its exit criteria are met.\n\n" + adoption_progress(site, here) + "\n")


def adoption_phase(site: Site, doc: Document) -> str:
    g, here = site.graph, g_path(site, doc)
    status = str(doc.meta.get("status"))
    out = [f"# {doc.title}", "", '<div class="fkb-facts" markdown>',
           f'**Status:** <span class="fkb-status fkb-{escape(status)}">{STATUS.get(status, status)}'
           f"</span> · **Owner:** {role_link(g, here, str(doc.meta.get('owner')))}", "</div>", "",
           rewrite_links(doc.body, doc, here, g).rstrip(), "", "### Checklist", ""]
    out += [f"- [{'x' if c.get('met') else ' '}] {cell(c.get('criterion'))}"
            for c in doc.meta.get("exit_criteria") or [] if isinstance(c, dict)]
    return "\n".join(out) + "\n" + footer(site, doc, here)


def g_path(site: Site, doc: Document) -> str:
    return site.graph.docs_path[doc.path]


def charter(site: Site, doc: Document) -> str:
    g, here, m = site.graph, g_path(site, doc), doc.meta
    members = [f"| {role_link(g, here, r)} | {', '.join(s.capitalize() for s in g.committees.get(r, []))} |"
               for r in sorted(g.committees, key=lambda r: ("chair" not in g.committees[r],
                                                              "sponsor" not in g.committees[r], r))]
    rights = [f"| {cell(r.get('decision'))} | {role_link(g, here, str(r.get('approver')))} | "
              f"{cell(r.get('threshold', '—'))} |"
              for r in m.get("decision_rights") or [] if isinstance(r, dict)]
    out = [f"# {doc.title}", "", '<div class="fkb-facts" markdown>',
           f"**Cadence:** {cell(m.get('cadence'))} · **Quorum:** {cell(m.get('quorum'))}", "</div>", "",
           rewrite_links(doc.body, doc, here, g).rstrip(), "", "## Members at a glance", "",
           "| Role | Seat |", "|---|---|", *members, "", "## Decision rights at a glance", "",
           "| Decision | Approver | Threshold |", "|---|---|---|", *rights, ""]
    return "\n".join(out) + footer(site, doc, here)


def review_status(site: Site, config: Config) -> str:
    g, here, today = site.graph, "about/review-status.md", config.clock()
    rows = []
    for doc in g.repo.documents:
        due = due_date(doc, config)
        if doc.path not in g.docs_path or due is None or doc.kind == "overlay":
            continue
        owner = owner_of(doc, g.repo, g.overlays)
        rows.append((due >= today, due, owner or "", doc))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = ["# Review status", "", f"Every page with a review date, overdue first (as of {today}).",
           "", "| Page | Owner | Last reviewed | Next review due | Status |", "|---|---|---|---|---|"]
    for ok, due, owner, doc in rows:
        status = "up to date" if ok else "**overdue**"
        out.append(f"| {page_link(g, here, doc)} | {role_link(g, here, owner) if owner else '—'} | "
                   f"{doc.meta.get('last_reviewed')} | {due} | {status} |")
    return "\n".join(out) + "\n"


def generate(site: Site, config: Config) -> dict[str, Generated]:
    """Docs-tree path -> generated page, for every page not written by hand."""
    g = site.graph
    pages = {"index.md": Generated(home(site)),  # keep in step with STATIC_PAGES
             "organization/index.md": Generated(roster(site)),
             "organization/raci.md": Generated(raci_matrix(site), g.repo.raci.path if g.repo.raci else None),
             "organization/maturity.md": Generated(maturity_overview(site)),
             "organization/adoption/index.md": Generated(adoption_index(site)),
             "about/review-status.md": Generated(review_status(site, config)),
             "about/check-codes.md": Generated(check_codes()),
             "about/content-model-reference.md": Generated(content_model())}
    org = g.repo.organization.path if g.repo.organization else None
    for rid in g.roles:
        pages[f"organization/roles/{rid}.md"] = Generated(role_page(site, rid), org)
    for doc in g.adoption:
        pages[g_path(site, doc)] = Generated(adoption_phase(site, doc), doc.path)
    if g.charter:
        pages[g_path(site, g.charter)] = Generated(charter(site, g.charter), g.charter.path)
    for doc in g.repo.of_kind("page"):
        if not doc.path.startswith(g.content_dir + "/") and doc.path in g.docs_path:
            pages[g_path(site, doc)] = Generated(f"# {doc.title}\n\n{render(site, doc)}", doc.path)
    return pages


def redirects(site: Site) -> dict[str, str]:
    """Old capability slugs (aliases) -> small HTML pages that forward to the current page."""
    out = {}
    for cap in site.graph.capabilities.values():
        for alias in cap.meta.get("aliases") or []:
            if not isinstance(alias, dict) or not alias.get("slug"):
                continue
            old = f"capabilities/{alias['slug']}.md"
            target = href(site, old, site.graph.docs_path[cap.path])
            page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    f"<title>{escape(cap.title)}</title>"
                    f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
                    f'<link rel="canonical" href="{escape(target)}"></head><body>'
                    f'<p>{escape(str(alias.get("title")))} is now '
                    f'<a href="{escape(target)}">{escape(cap.title)}</a>.</p></body></html>')
            out[f"capabilities/{alias['slug']}.html"] = page
            out[f"capabilities/{alias['slug']}/index.html"] = page.replace(
                f'"{escape(target)}"', f'"../{escape(target)}"')
    return out


def packs_page(site: Site, packs: list[Any]) -> str:
    """The "Onboarding packs" page; the PDFs are rendered after the build, beside it."""
    out = ["# Onboarding packs", "",
           "One printable pack per audience: what FinOps is, how we run it, and what is expected "
           "of you. Each has a cover, contents with page numbers, and only your audience's "
           "activities and RACI rows.", "",
           "| Pack | For | Download |", "|---|---|---|"]
    for pack in packs:
        out.append(f"| {cell(pack.title)} | {cell(pack.audience)} | "
                   f'<a href="{escape(pack.id)}.pdf">PDF</a> · '
                   f'<a href="{escape(pack.id)}.html">print-ready HTML</a> |')
    return "\n".join(out) + "\n"


STATIC_PAGES = ("index.md", "organization/index.md", "organization/raci.md",
                "organization/maturity.md", "organization/adoption/index.md",
                "about/review-status.md", "about/check-codes.md",
                "about/content-model-reference.md")


def virtual_paths(g: Graph) -> set[str]:
    """Docs-tree paths of every page that exists only in the built site (generated or merged)."""
    paths = set(STATIC_PAGES) | {f"organization/roles/{rid}.md" for rid in g.roles}
    paths |= {p for d, p in g.docs_path.items() if not d.startswith(g.content_dir + "/")}
    return paths
