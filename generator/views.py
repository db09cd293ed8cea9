"""Stage 5: pages generated from the whole graph (dashboard, RACI, roles, roadmap, reviews)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from . import fragments
from .config import Config
from .graph import docs_path, relative
from .model import Repository
from .org_views import (
    adoption_index,
    adoption_phase,
    adoption_progress,
    charter,
    g_path,
    maturity_overview,
    role_page,
    roster,
)
from .pages import (
    NOT_SEARCHED,
    Parts,
    Site,
    cell,
    href,
    render_parts,
    role_link,
)
from .reference import check_codes, content_model
from .rules.freshness import due_date, owner_of
from .svg import HEATMAP_UP_TO, domain_summary, heatmap


@dataclass(frozen=True, slots=True)
class Generated:
    markdown: str
    source: str | None = None
    """Repository path the page is made from (for edit links and error reports)."""
    parts: Parts | None = None
    """HTML parts that placeholders in `markdown` stand for."""


def _maturity_picture(site: Site, here: str) -> list[str]:
    g = site.graph
    overview = relative(here, "organization/maturity.md")
    if len(g.capabilities) > HEATMAP_UP_TO:  # one SVG row per capability stops being readable
        return [
            f"Capabilities per maturity level today; the [maturity overview]({overview}) "
            "lists each one.",
            "",
            domain_summary(g),
        ]
    hrefs = {c: href(site, here, g.docs_path[d.path]) for c, d in g.capabilities.items()}
    return [
        "Filled cells show the maturity we have reached; the outlined cell is our target. "
        f"See the [maturity overview]({overview}) as a table.",
        "",
        heatmap(g, hrefs),
    ]


def home(site: Site) -> str:
    g, here = site.graph, "index.md"
    out = [
        f"# FinOps at {site.org_name}",
        "",
        "How we manage the value of our technology spend: the FinOps Framework in our own "
        f"words, and how {site.org_name} runs each part of it.",
        "",
        "## Start from your role",
        "",
        '<div class="grid cards" markdown>',
        "",
    ]
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        extra = f" — {persona.title}" if persona else ""
        out.append(f"- {role_link(g, here, rid)}{cell(extra)}")
    out += [
        "",
        "</div>",
        "",
        "## Maturity: where we are and where we aim",
        "",
        *_maturity_picture(site, here),
        "",
    ]
    if g.adoption:
        out += ["## Adoption progress", "", adoption_progress(site, here), ""]
    known = set(g.docs_path.values())
    links = [
        ("What is FinOps", "what-is-finops.md"),
        ("Who does what (RACI)", "organization/raci.md"),
        ("Maturity overview", "organization/maturity.md"),
        ("Steering committee", "organization/steering-committee.md"),
        ("Review status", "about/review-status.md"),
    ]
    out += ["## Find your way", ""]
    out += [
        f"- [{title}]({relative(here, path)})"
        for title, path in links
        if path in known
        or path.startswith(("organization/raci", "organization/maturity", "about/"))
    ]
    out.append("")
    return "\n".join(out)


def raci_matrix(site: Site, parts: Parts) -> str:
    g, here = site.graph, "organization/raci.md"
    roles = list(g.roles)
    options = "".join(
        f'<option value="{escape(r)}">{escape(g.roles[r]["title"])}</option>' for r in roles
    )
    head = "".join(
        f'<th data-role="{escape(r)}"><a href="{href(site, here, f"organization/roles/{r}.md")}">'
        f"{escape(g.roles[r]['title'])}</a></th>"
        for r in roles
    )
    out = [
        "---\nhide:\n  - toc\nsearch:\n  exclude: true\n---",  # full width; see NOT_SEARCHED
        "# Who does what (RACI)",
        "",
        "**R** responsible (does the work) · **A** accountable (one per activity, signs off) · "
        "**C** consulted · **I** informed.",
        "",
        f'<div class="fkb-raci-filter" hidden><label>Show activities of '
        f'<select id="fkb-raci-role"><option value="">every role</option>{options}</select>'
        "</label></div>",
        "",
    ]
    rows = [
        '<div class="fkb-scroll"><table class="fkb-raci"><thead><tr><th>Activity</th>'
        f"<th>Capability</th>{head}</tr></thead><tbody>",
    ]
    for act in sorted(
        g.repo.activities, key=lambda a: (str(a.get("capability")), str(a.get("title")))
    ):
        cap = g.capabilities.get(str(act.get("capability")))
        cap_html = (
            f'<a href="{href(site, here, g.docs_path[cap.path])}">{escape(cap.title)}</a>'
            if cap
            else escape(str(act.get("capability")))
        )
        cells = ""
        for r in roles:
            letter = str((act.get("assignments") or {}).get(r, ""))
            cls = f' class="fkb-{letter.lower()}"' if letter else ""
            cells += f'<td data-role="{escape(r)}"{cls}>{escape(letter)}</td>'
        rows.append(
            f'<tr id="act-{escape(str(act.get("id")))}"><td>{escape(str(act.get("title")))}'
            f"</td><td>{cap_html}</td>{cells}</tr>"
        )
    rows.append("</tbody></table></div>")
    return "\n".join(out) + parts("\n".join(rows))


def review_status(site: Site, config: Config, parts: Parts) -> str:
    g, here, today = site.graph, "about/review-status.md", config.clock()
    rows = []
    for doc in g.repo.documents:
        due = due_date(doc, config)
        if doc.path not in g.docs_path or due is None or doc.kind == "overlay":
            continue
        owner = owner_of(doc, g.repo, g.overlays)
        rows.append((due >= today, due, owner or "", doc))
    rows.sort(key=lambda r: (r[0], r[1]))
    cells = [
        [
            fragments.page_a(site, here, doc),
            fragments.role_a(site, here, owner) if owner else "—",
            escape(str(doc.meta.get("last_reviewed"))),
            str(due),
            "up to date" if ok else "<strong>overdue</strong>",
        ]
        for ok, due, owner, doc in rows
    ]
    head = ["Page", "Owner", "Last reviewed", "Next review due", "Status"]
    return (
        f"{NOT_SEARCHED}\n# Review status\n\nEvery page with a review date, overdue first "
        f"(as of {today})." + parts(fragments.table(head, cells))
    )


def _with_parts(page: Callable[[Parts], str], source: str | None = None) -> Generated:
    parts = Parts()
    return Generated(page(parts), source, parts)


def generate(site: Site, config: Config) -> dict[str, Generated]:
    """Docs-tree path -> generated page, for every page not written by hand."""
    g = site.graph
    pages = {
        "index.md": Generated(home(site)),  # keep in step with STATIC_PAGES
        "organization/index.md": Generated(roster(site)),
        "organization/raci.md": _with_parts(
            lambda parts: raci_matrix(site, parts), g.repo.raci.path if g.repo.raci else None
        ),
        "organization/maturity.md": _with_parts(
            lambda parts: NOT_SEARCHED + "\n" + maturity_overview(site, parts)
        ),
        "organization/adoption/index.md": Generated(adoption_index(site)),
        "about/review-status.md": _with_parts(lambda parts: review_status(site, config, parts)),
        "about/check-codes.md": Generated(check_codes()),
        "about/content-model-reference.md": Generated(content_model()),
    }
    org = g.repo.organization.path if g.repo.organization else None
    for rid in g.roles:
        pages[f"organization/roles/{rid}.md"] = _with_parts(partial(role_page, site, rid), org)
    for doc in g.adoption:
        pages[g_path(site, doc)] = _with_parts(partial(adoption_phase, site, doc), doc.path)
    if g.charter:
        pages[g_path(site, g.charter)] = _with_parts(
            partial(charter, site, g.charter), g.charter.path
        )
    for doc in g.repo.of_kind("page"):
        if not doc.path.startswith(g.content_dir + "/") and doc.path in g.docs_path:
            text, parts = render_parts(site, doc)
            pages[g_path(site, doc)] = Generated(f"# {doc.title}\n\n{text}", doc.path, parts)
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
            page = (
                f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f"<title>{escape(cap.title)}</title>"
                f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
                f'<link rel="canonical" href="{escape(target)}"></head><body>'
                f"<p>{escape(str(alias.get('title')))} is now "
                f'<a href="{escape(target)}">{escape(cap.title)}</a>.</p></body></html>'
            )
            out[f"capabilities/{alias['slug']}.html"] = page
            out[f"capabilities/{alias['slug']}/index.html"] = page.replace(
                f'"{escape(target)}"', f'"../{escape(target)}"'
            )
    return out


def packs_page(site: Site, packs: list[Any]) -> str:
    """The "Onboarding packs" page; the PDFs are rendered after the build, beside it."""
    out = [
        "# Onboarding packs",
        "",
        "One printable pack per audience: what FinOps is, how we run it, and what is expected "
        "of you. Each has a cover, contents with page numbers, and only your audience's "
        "activities and RACI rows.",
        "",
        "| Pack | For | Download |",
        "|---|---|---|",
    ]
    for pack in packs:
        out.append(
            f"| {cell(pack.title)} | {cell(pack.audience)} | "
            f'<a href="{escape(pack.id)}.pdf">PDF</a> · '
            f'<a href="{escape(pack.id)}.html">print-ready HTML</a> |'
        )
    return "\n".join(out) + "\n"


STATIC_PAGES = (
    "index.md",
    "organization/index.md",
    "organization/raci.md",
    "organization/maturity.md",
    "organization/adoption/index.md",
    "about/review-status.md",
    "about/check-codes.md",
    "about/content-model-reference.md",
)


def virtual_paths(repo: Repository, content_dir: str, playbooks_dir: str) -> set[str]:
    """Docs-tree paths of every page that exists only in the built site (generated or merged)."""
    paths = set(STATIC_PAGES) | {f"organization/roles/{rid}.md" for rid in repo.roles}
    for doc in repo.documents:
        if not doc.path.startswith(content_dir + "/"):
            path = docs_path(doc, content_dir, playbooks_dir)
            if path:
                paths.add(path)
    return paths
