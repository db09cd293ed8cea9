"""Stage 5: pages generated from the whole graph (dashboard, RACI, roles, roadmap, reviews)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from ..core.config import Config
from ..core.graph import docs_path, relative
from ..core.model import Repository
from ..core.rules.freshness import due_date, owner_of
from . import parts as fragments
from .framework_pages import NOT_SEARCHED, Parts, Site, href, render_parts
from .heatmap import HEATMAP_UP_TO, domain_summary, heatmap
from .org_pages import (
    adoption_index,
    adoption_phase,
    adoption_progress,
    charter,
    g_path,
    maturity_overview,
    role_page,
    roster,
)
from .parts import md, render
from .reference_pages import check_codes, content_model


@dataclass(frozen=True, slots=True)
class Generated:
    markdown: str
    source: str | None = None
    """Repository path the page is made from (for edit links and error reports)."""
    parts: Parts | None = None
    """HTML parts that placeholders in `markdown` stand for."""


def _maturity_picture(site: Site, here: str, parts: Parts) -> list[str]:
    g = site.graph
    overview = relative(here, "organization/maturity.md")
    if len(g.capabilities) > HEATMAP_UP_TO:  # one SVG row per capability stops being readable
        return [
            f"Capabilities per maturity level today; the [maturity overview]({overview}) "
            "lists each one.",
            parts(domain_summary(site)),
        ]
    hrefs = {c: href(site, here, g.docs_path[d.path]) for c, d in g.capabilities.items()}
    return [
        "Filled cells show the maturity we have reached; the outlined cell is our target. "
        f"See the [maturity overview]({overview}) as a table.",
        parts(heatmap(site, hrefs)),
    ]


def home(site: Site, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = site.graph, "index.md"
    cards = []
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        cards.append(
            {"role": fragments.role_a(site, here, rid), "persona": persona.title if persona else ""}
        )
    out = [
        f"# FinOps at {md(site.org_name)}",
        "",
        "How we manage the value of our technology spend: the FinOps Framework in our own "
        f"words, and how {md(site.org_name)} runs each part of it.",
        "",
        "## Start from your role",
        parts(render(site, "home-cards.html", cards=cards)),
        "## Maturity: where we are and where we aim",
        "",
        *_maturity_picture(site, here, parts),
    ]
    if g.adoption:
        out += ["## Adoption progress", parts(adoption_progress(site, here))]
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
    roles = [
        {
            "id": r,
            "title": str(g.roles[r]["title"]),
            "link": fragments.role_a(site, here, r),
        }
        for r in g.roles
    ]
    rows = []
    for act in sorted(
        g.repo.activities, key=lambda a: (str(a.get("capability")), str(a.get("title")))
    ):
        cap = g.capabilities.get(str(act.get("capability")))
        assignments = act.get("assignments") or {}
        rows.append(
            {
                "id": str(act.get("id")),
                "title": str(act.get("title")),
                "capability": fragments.page_a(site, here, cap)
                if cap
                else str(act.get("capability")),
                "letters": [(r, str(assignments.get(r, ""))) for r in g.roles],
            }
        )
    out = [
        "---\nhide:\n  - toc\nsearch:\n  exclude: true\n---",  # full width; see NOT_SEARCHED
        "# Who does what (RACI)",
        "",
        "**R** responsible (does the work) · **A** accountable (one per activity, signs off) · "
        "**C** consulted · **I** informed.",
    ]
    return "\n".join(out) + parts(render(site, "raci-matrix.html", roles=roles, rows=rows))


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
        {
            "page": fragments.page_a(site, here, doc),
            "owner": fragments.role_a(site, here, owner) if owner else None,
            "reviewed": str(doc.meta.get("last_reviewed")),
            "due": str(due),
            "ok": ok,
        }
        for ok, due, owner, doc in rows
    ]
    return (
        f"{NOT_SEARCHED}\n# Review status\n\nEvery page with a review date, overdue first "
        f"(as of {today})." + parts(render(site, "review-status.html", rows=cells))
    )


def _with_parts(page: Callable[[Parts], str], source: str | None = None) -> Generated:
    parts = Parts()
    return Generated(page(parts), source, parts)


def generate(site: Site, config: Config) -> dict[str, Generated]:
    """Docs-tree path -> generated page, for every page not written by hand."""
    g = site.graph
    pages = {
        "index.md": _with_parts(partial(home, site)),  # keep in step with STATIC_PAGES
        "organization/index.md": _with_parts(
            partial(roster, site), g.repo.organization.path if g.repo.organization else None
        ),
        "organization/raci.md": _with_parts(
            lambda parts: raci_matrix(site, parts), g.repo.raci.path if g.repo.raci else None
        ),
        "organization/maturity.md": _with_parts(
            lambda parts: NOT_SEARCHED + "\n" + maturity_overview(site, parts)
        ),
        "organization/adoption/index.md": _with_parts(partial(adoption_index, site)),
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
            pages[g_path(site, doc)] = Generated(f"# {md(doc.title)}\n\n{text}", doc.path, parts)
    return pages


def redirects(site: Site) -> dict[str, str]:
    """Old capability slugs (aliases) -> small HTML pages that forward to the current page."""
    out: dict[str, str] = {}
    for cap in site.graph.capabilities.values():
        for alias in cap.meta.get("aliases") or []:
            if not isinstance(alias, dict) or not alias.get("slug"):
                continue
            # Old URLs in both forms, whatever the site's own URL style is.
            for dest in (
                f"capabilities/{alias['slug']}.html",
                f"capabilities/{alias['slug']}/index.html",
            ):
                url = fragments.href_from_url(site, dest, site.graph.docs_path[cap.path])
                out[dest] = render(
                    site, "redirect.html", title=cap.title, old=str(alias.get("title")), target=url
                )
    return out


def packs_page(site: Site, packs: list[Any]) -> str:
    """The "Onboarding packs" page; the PDFs are rendered after the build, beside it."""
    intro = (
        "# Onboarding packs\n\n"
        "One printable pack per audience: what FinOps is, how we run it, and what is expected "
        "of you. Each has a cover, contents with page numbers, and only your audience's "
        "activities and RACI rows."
    )
    table = render(site, "packs-table.html", packs=packs)
    return intro + Parts(inline=True)(table)


def titles(site: Site) -> dict[str, str]:
    """Docs-tree path -> title as HTML, for every page titled from data.

    Material writes `page.meta.title` (else `page.title`, unescaped again by `striptags`) into
    `<title>` and the header as HTML, and MkDocs' templates do not autoescape; a page's own
    front matter would give the raw title. The plugin sets these escaped ones instead.
    """
    g = site.graph
    out: dict[str, str] = {
        g.docs_path[doc.path]: escape(doc.title)
        for doc in g.repo.documents
        if doc.path in g.docs_path and doc.title
    }
    out.update({f"organization/roles/{r}.md": escape(str(v["title"])) for r, v in g.roles.items()})
    out["organization/index.md"] = escape(site.org_name)
    return out


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
