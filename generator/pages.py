"""Stage 4: merge playbooks into framework pages and add the generated parts of each page.

Everything here returns Markdown (with a little HTML), so MkDocs renders it like hand-written
text and the site's own link check sees every generated link.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from .graph import Graph, relative
from .model import Document, mapping
from .rules.links import resolve

_LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_HEADING = re.compile(r"^(#{1,5})(?=\s)", re.M)
LICENSE = "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)"
FOUNDATION = "[FinOps Foundation](https://www.finops.org/)"

# Tables that repeat what the capability pages say: searching them would only add noise (and,
# on large knowledge bases, seconds of indexing).
NOT_SEARCHED = "---\nsearch:\n  exclude: true\n---"


@dataclass(slots=True)
class Site:
    """What page generation needs besides the graph."""

    graph: Graph
    org_name: str = "Our organization"
    repo_url: str = ""
    edit_branch: str = "main"
    directory_urls: bool = False
    """MkDocs' `use_directory_urls`: decides the URLs written into raw HTML."""

    def edit_url(self, doc: Document) -> str:
        return (
            f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{doc.path}"
            if self.repo_url
            else ""
        )


def url_of(docs: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives the page built from `docs`."""
    if not directory_urls:
        return docs[:-3] + ".html"
    if docs == "index.md" or docs.endswith("/index.md"):
        return docs[: -len("index.md")]
    return docs[:-3] + "/"


def href(site: Site, here: str, target: str, anchor: str = "") -> str:
    """A relative URL from the page built from `here` to the one built from `target`."""
    base = url_of(here, site.directory_urls)
    dest = url_of(target, site.directory_urls)
    rel = posixpath.relpath(dest or ".", posixpath.dirname(base) or ".")
    if dest.endswith("/") or dest == "":
        rel = rel.rstrip("/") + "/"
    if rel == "./":
        rel = "./"
    return rel + (f"#{anchor}" if anchor else "")


def site_for(graph: Graph, directory_urls: bool = False) -> Site:
    org = graph.repo.organization.data if graph.repo.organization else {}
    return Site(
        graph,
        str(org.get("name") or "Our organization"),
        str(org.get("repository_url") or ""),
        str(org.get("edit_branch") or "main"),
        directory_urls,
    )


def cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def rewrite_links(body: str, source: Document, dest: str, g: Graph) -> str:
    """Re-point relative links of a file that is shown at another place in the site."""

    def fix(m: re.Match[str]) -> str:
        path, anchor = resolve(source.path, m.group(2))
        if path is None or path == "":
            return m.group(0)
        target = g.docs_path.get(path)
        if target is None:
            return m.group(0)
        return m.group(1) + relative(dest, target, anchor) + m.group(3)

    return _LINK.sub(fix, body)


def demote(body: str, levels: int = 1) -> str:
    """Push every heading down so a merged file nests under a generated heading."""
    out, fenced = [], False
    for line in body.split("\n"):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        out.append(line if fenced else _HEADING.sub(lambda m: m.group(1) + "#" * levels, line))
    return "\n".join(out)


def page_link(g: Graph, here: str, doc: Document, anchor: str = "") -> str:
    return f"[{doc.title}]({relative(here, g.docs_path[doc.path], anchor)})"


def role_link(g: Graph, here: str, role_id: str) -> str:
    role = g.roles.get(role_id)
    if not role:
        return f"`{role_id}`"
    return f"[{role['title']}]({relative(here, f'organization/roles/{role_id}.md')})"


def level(value: Any) -> str:
    return str(value).capitalize() if value else "—"


def attribution(doc: Document) -> str:
    sources = doc.meta.get("sources")
    if not isinstance(sources, list) or not sources:
        return ""
    named = ", ".join(f"[{s.get('title')}]({s.get('url')})" for s in sources if isinstance(s, dict))
    return (
        f'\n\n<div class="fkb-credit" markdown>\nAdapted from {named} by the {FOUNDATION}, '
        f"licensed under {LICENSE}. Rewritten in our own words; changes were made.\n</div>\n"
    )


def raci_table(site: Site, here: str, rows: list[dict[str, Any]], with_capability: bool) -> str:
    g = site.graph
    head = "| Activity | " + ("Capability | " if with_capability else "") + "R | A | C | I |"
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for act in rows:
        by_letter: dict[str, list[str]] = {k: [] for k in "RACI"}
        for role, letter in (act.get("assignments") or {}).items():
            by_letter.setdefault(str(letter), []).append(role_link(g, here, role))
        anchor = relative(here, "organization/raci.md", f"act-{act.get('id')}")
        row = f"| [{cell(act.get('title'))}]({anchor}) | "
        cap = g.capabilities.get(str(act.get("capability")))
        if with_capability:
            row += (page_link(g, here, cap) if cap else cell(act.get("capability"))) + " | "
        row += " | ".join(", ".join(by_letter[k]) or "—" for k in "RACI") + " |"
        lines.append(row)
    return "\n".join(lines)


def role_raci_table(site: Site, here: str, role: str, rows: list[dict[str, Any]]) -> str:
    """A role's own RACI rows: its letter and who is accountable, not the whole matrix row."""
    g = site.graph
    names = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
    lines = ["| Activity | Capability | Your part | Accountable |", "|---|---|---|---|"]
    for act in rows:
        letters = act.get("assignments") or {}
        accountable = [r for r, letter in letters.items() if letter == "A"]
        cap = g.capabilities.get(str(act.get("capability")))
        anchor = relative(here, "organization/raci.md", f"act-{act.get('id')}")
        lines.append(
            f"| [{cell(act.get('title'))}]({anchor}) | "
            f"{page_link(g, here, cap) if cap else cell(act.get('capability'))} | "
            f"**{letters.get(role)}** {names.get(str(letters.get(role)), '')} | "
            + (", ".join(role_link(g, here, r) for r in accountable) or "—")
            + " |"
        )
    return "\n".join(lines)


def kpi_table(overlay: Document, with_formula: bool) -> list[str]:
    """The overlay's local KPIs as a Markdown table (no lines when it has none)."""
    kpis = [k for k in overlay.meta.get("kpis") or [] if isinstance(k, dict)]
    if not kpis:
        return []
    extra = " How it is measured |" if with_formula else ""
    out = [f"| Our KPI | Target | Current |{extra}", "|---" * (4 if with_formula else 3) + "|"]
    for k in kpis:
        values = (k.get("name"), k.get("target", "—"), k.get("current", "—"))
        row = "| " + " | ".join(cell(v) for v in values) + " |"
        out.append(row + (f" {cell(k.get('formula', '—'))} |" if with_formula else ""))
    return out + [""]


def _overlay(site: Site, here: str, cap: Document, overlay: Document) -> str:
    g, m = site.graph, overlay.meta
    mat = mapping(m.get("maturity"))
    facts = [
        f"**Owner:** {role_link(g, here, str(m.get('owner')))}",
        f"**Maturity:** {level(mat.get('current'))} → {level(mat.get('target'))}"
        + (f" (assessed {mat['assessed']})" if mat.get("assessed") else ""),
    ]
    edit = site.edit_url(overlay)
    if edit:
        facts.append(f"[Edit our practice]({edit}){{ .fkb-edit }}")
    out = [
        f"## In {site.org_name} {{ #in-our-organization }}",
        "",
        '<div class="fkb-overlay" markdown>',
        "",
        " · ".join(facts),
        "",
    ]
    out += kpi_table(overlay, with_formula=True)
    out += [demote(rewrite_links(overlay.body, overlay, here, g)).strip(), "", "</div>", ""]
    return "\n".join(out)


def capability(site: Site, doc: Document, here: str) -> str:
    g, m = site.graph, doc.meta
    domain = next((d for d in g.domains if d.id == m.get("domain")), None)
    personas = mapping(m.get("personas"))
    lead = [
        page_link(g, here, g.personas[p]) for p in personas.get("lead") or [] if p in g.personas
    ]
    facts = []
    if domain:
        facts.append(f"**Domain:** {page_link(g, here, domain)}")
    phases = [d for d in g.phases if d.id in (m.get("phases") or [])]
    if phases:
        facts.append("**Phases:** " + ", ".join(page_link(g, here, p) for p in phases))
    if lead:
        facts.append("**Led by:** " + ", ".join(lead))
    aliases = [a for a in m.get("aliases") or [] if isinstance(a, dict)]
    if aliases:
        facts.append(
            "**Formerly:** "
            + "; ".join(
                f"{a.get('title')} (`{a.get('slug')}`"
                + (f", {a['framework']}" if a.get("framework") else "")
                + ")"
                for a in aliases
            )
        )
    parts = [
        f'<div class="fkb-facts" markdown>\n{m.get("summary", "")}\n\n'
        + " · ".join(facts)
        + "\n</div>\n",
        doc.body.rstrip(),
        "",
    ]
    overlay = g.overlays.get(doc.id)
    if overlay:
        parts.append(_overlay(site, here, doc, overlay))
    rows = g.raci_by_capability.get(doc.id) or []
    if rows:
        parts += ["## Who does what here", "", raci_table(site, here, rows, False), ""]
    related = [g.capabilities[r] for r in m.get("related") or [] if r in g.capabilities]
    back = [c for c in g.referenced_by.get(doc.id, []) if c not in related]
    if related or back:
        parts += ["## Related capabilities", ""]
        parts += [f"- {page_link(g, here, c)} — {c.meta.get('summary', '')}" for c in related]
        if back:
            parts += ["", "Referenced by: " + ", ".join(page_link(g, here, c) for c in back)]
        parts.append("")
    return "\n".join(parts) + footer(site, doc, here)


def footer(site: Site, doc: Document, here: str) -> str:
    """Backlinks, review status and the framework credit, shared by every page."""
    g, out = site.graph, []
    links = [
        d
        for d in g.backlinks.get(doc.path, [])
        if d.path in g.docs_path and g.docs_path[d.path] != here and d.kind != "capability"
    ]
    if links:
        out.append("**Referenced by:** " + ", ".join(page_link(g, here, d) for d in links))
    reviewed = doc.meta.get("last_reviewed")
    if reviewed:
        owner = doc.meta.get("owner") or (
            g.overlays[doc.id].meta.get("owner")
            if doc.kind == "capability" and doc.id in g.overlays
            else None
        )
        who = f" by {role_link(g, here, str(owner))}" if owner else ""
        out.append(f"Last reviewed {reviewed}{who}.")
    text = (
        '\n\n<div class="fkb-footer" markdown>\n' + "\n\n".join(out) + "\n</div>\n" if out else ""
    )
    return text + attribution(doc)


def maturity_cell(g: Graph, cap_id: str) -> str:
    overlay = g.overlays.get(cap_id)
    if not overlay or not isinstance(overlay.meta.get("maturity"), dict):
        return "not assessed"
    mat = overlay.meta["maturity"]
    return f"{level(mat.get('current'))} → {level(mat.get('target'))}"


def domain(site: Site, doc: Document, here: str) -> str:
    g = site.graph
    caps = g.by_domain.get(doc.id, [])
    table = [
        "## Capabilities in this domain",
        "",
        f"| Capability | What it achieves | {cell(site.org_name)}: now → target |",
        "|---|---|---|",
    ]
    table += [
        f"| {page_link(g, here, c)} | {cell(c.meta.get('summary', ''))} | "
        f"{maturity_cell(g, c.id)} |"
        for c in caps
    ]
    return doc.body.rstrip() + "\n\n" + "\n".join(table) + "\n" + footer(site, doc, here)


def persona(site: Site, doc: Document, here: str) -> str:
    g = site.graph
    out = [doc.body.rstrip(), ""]
    roles = [rid for rid, r in g.roles.items() if r.get("persona") == doc.id]
    if roles:
        out += [
            f"## In {site.org_name}",
            "",
            "Roles with this persona: " + ", ".join(role_link(g, here, r) for r in roles) + ".",
            "",
        ]
    acts = g.activities.get(doc.id, [])
    if acts:
        out += [
            "## Activities across capabilities",
            "",
            f"What the {doc.title} persona does in each capability, gathered from the "
            "capability pages.",
            "",
        ]
        out += activity_sections(g, here, acts, read_more=True)
    return "\n".join(out) + footer(site, doc, here)


FULL_TEXT_UP_TO = 40
"""Above this many capabilities a persona's activities are listed as links, not copied in full:
a page that repeats thousands of sections helps nobody and makes large builds slow."""


def activity_sections(g: Graph, here: str, acts: list[Any], read_more: bool = False) -> list[str]:
    """One H3 per capability with a persona's functional activities there."""
    if len(acts) > FULL_TEXT_UP_TO:
        return [
            f"- [{a.capability.title}]"
            f"({relative(here, g.docs_path[a.capability.path], a.heading.slug)})"
            for a in acts
        ] + [""]
    out = []
    for act in acts:
        out += [
            f"### {act.capability.title}",
            "",
            rewrite_links(act.text, act.capability, here, g),
            "",
        ]
        if read_more:
            target = relative(here, g.docs_path[act.capability.path], act.heading.slug)
            out += [f"[Read {act.capability.title} in full]({target})", ""]
    return out


def phase(site: Site, doc: Document, here: str) -> str:
    g = site.graph
    caps = g.by_phase.get(doc.id, [])
    out = [doc.body.rstrip(), "", "## Capabilities exercised in this phase", ""]
    out += [f"- {page_link(g, here, c)} — {c.meta.get('summary', '')}" for c in caps]
    return "\n".join(out) + "\n" + footer(site, doc, here)


def render(site: Site, doc: Document) -> str:
    """The full Markdown of a content page as the site shows it."""
    here = site.graph.docs_path[doc.path]
    kind = {"capability": capability, "domain": domain, "persona": persona, "phase": phase}.get(
        doc.kind
    )
    if kind:
        return kind(site, doc, here)
    return doc.body.rstrip() + "\n" + footer(site, doc, here)
