"""Stage 5: pages generated from the whole graph (dashboard, RACI, roles, roadmap, reviews)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from ..core import layout
from ..core.config import Config
from ..core.editions import formers
from ..core.facts import page_owner, review_due
from ..core.layout import relative
from . import downloads, html_parts, what_changed
from .context import RenderContext
from .framework_pages import UnsearchedParts, render_parts
from .heatmap import HEATMAP_UP_TO, domain_summary, heatmap
from .html_parts import Parts, href, md, render
from .org_pages import (
    adoption_index,
    adoption_phase,
    adoption_progress,
    charter,
    g_path,
    role_page,
    roster,
)
from .reference_pages import check_codes, content_model
from .unit_pages import tree, unit_links, unit_page, units_index

# A role page gathers what the RACI matrix and the capability pages say about a role: where a
# role's title shares a word with a capability's (Sustainability Lead, Sustainability), the
# capability ranks first. Measured on the bundled site: at 0.5 other pages outrank a role's own
# title ("Head of FinOps"); 0.8 and 0.9 rank every role and capability title first.
ROLE_SEARCH = "---\nsearch:\n  boost: 0.8\n---\n"


@dataclass(frozen=True, slots=True)
class Generated:
    markdown: str
    source: str | None = None
    """Repository path the page is made from (for edit links and error reports)."""
    parts: Parts | None = None
    """HTML parts that placeholders in `markdown` stand for."""


def _maturity_picture(ctx: RenderContext, here: str, parts: Parts) -> list[str]:
    g = ctx.graph
    overview = relative(here, "organization/maturity.md")
    if len(g.capabilities) > HEATMAP_UP_TO:  # one SVG row per capability stops being readable
        return [
            f"Capabilities per maturity level today; the [maturity overview]({overview}) "
            "lists each one.",
            parts(domain_summary(ctx)),
        ]
    hrefs = {c: href(ctx, here, g.docs_path[d.path]) for c, d in g.capabilities.items()}
    picture = heatmap(ctx, hrefs, narrow=True)
    if g.repo.units:  # one heatmap per unit, switched by links: works without JavaScript
        views = [{"id": "group", "name": ctx.org_name, "html": picture}]
        views += [
            {
                "id": uid,
                "name": str(g.repo.units[uid]["name"]),
                "html": heatmap(ctx, hrefs, uid, narrow=True),
            }
            for uid, _depth in tree(ctx)
        ]
        picture = render(ctx, "unit-switch.html", views=views, what="heatmap")
    return [
        "Filled cells show the maturity we have reached; the outlined cell is our target. "
        f"See the [maturity overview]({overview}) as a table.",
        parts(picture),
    ]


def home(ctx: RenderContext, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, "index.md"
    cards = []
    for rid, role in g.roles.items():
        persona = g.personas.get(str(role.get("persona")))
        cards.append(
            {"role": html_parts.role_a(ctx, here, rid), "persona": persona.title if persona else ""}
        )
    out = [
        f"# FinOps at {md(ctx.org_name)}",
        "",
        "How we manage the value of our technology spend: the FinOps Framework in our own "
        f"words, and how {md(ctx.org_name)} runs each part of it.",
        "",
        "## Start from your role",
        parts(render(ctx, "home-cards.html", cards=cards)),
        "## Maturity: where we are and where we aim",
        "",
        *_maturity_picture(ctx, here, parts),
    ]
    if g.adoption:
        out += ["## Adoption progress", parts(adoption_progress(ctx, here))]
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
    out += [parts(downloads.home(ctx)), ""]
    return "\n".join(out)


def raci_matrix(ctx: RenderContext, parts: Parts) -> str:
    g, here = ctx.graph, "organization/raci.md"
    roles = [
        {
            "id": r,
            "title": str(g.roles[r]["title"]),
            "link": html_parts.role_a(ctx, here, r),
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
                "capability": html_parts.page_a(ctx, here, cap)
                if cap
                else str(act.get("capability")),
                "letters": [(r, str(assignments.get(r, ""))) for r in g.roles],
            }
        )
    out = [
        "---\nhide:\n  - toc\n---",  # full width; search skips the matrix itself
        "# Who does what (RACI)",
        "",
        "The RACI matrix: who takes part in each activity, and how. **R** responsible (does "
        "the work) · **A** accountable (one per activity, signs off) · **C** consulted · "
        "**I** informed.",
    ]
    if g.repo.units:
        out += ["", unit_links(ctx, here, "raci")]
    out.append(parts(downloads.raci(ctx)))
    return "\n".join(out) + parts(render(ctx, "raci-matrix.html", roles=roles, rows=rows))


def review_status(ctx: RenderContext, config: Config, parts: Parts) -> str:
    g, here, today = ctx.graph, "about/review-status.md", config.clock()
    rows = []
    for doc in g.repo.documents:
        due = review_due(doc, config.review_interval_days)
        if doc.path not in g.docs_path or due is None or doc.kind == "overlay":
            continue
        owner = page_owner(doc, g.overlays)
        rows.append((due >= today, due, owner or "", doc))
    rows.sort(key=lambda r: (r[0], r[1]))
    cells = [
        {
            "page": html_parts.page_a(ctx, here, doc),
            "owner": html_parts.role_a(ctx, here, owner) if owner else None,
            "reviewed": str(doc.meta.get("last_reviewed")),
            "due": str(due),
            "ok": ok,
        }
        for ok, due, owner, doc in rows
    ]
    return (
        "# Review status\n\nEvery page with a review date, overdue first "
        f"(as of {today})." + parts(render(ctx, "review-status.html", rows=cells))
    )


def _role(ctx: RenderContext, rid: str, parts: Parts) -> str:
    return ROLE_SEARCH + role_page(ctx, rid, parts)


def _with_parts(
    page: Callable[[Parts], str], source: str | None = None, parts: Parts | None = None
) -> Generated:
    parts = Parts() if parts is None else parts
    return Generated(page(parts), source, parts)


def generate(ctx: RenderContext, config: Config) -> dict[str, Generated]:
    """Docs-tree path -> generated page, for every page not written by hand."""
    g = ctx.graph
    pages = {
        layout.HOME: _with_parts(partial(home, ctx)),  # keep in step with layout.GENERATED
        layout.ORGANIZATION: _with_parts(
            partial(roster, ctx), g.repo.organization.path if g.repo.organization else None
        ),
        layout.RACI: _with_parts(
            lambda parts: raci_matrix(ctx, parts), g.repo.raci.path if g.repo.raci else None
        ),
        layout.MATURITY: _with_parts(partial(downloads.maturity, ctx), parts=UnsearchedParts()),
        layout.ADOPTION: _with_parts(partial(adoption_index, ctx)),
        layout.REVIEW_STATUS: _with_parts(lambda parts: review_status(ctx, config, parts)),
        layout.CHECK_CODES: Generated(check_codes()),
        layout.CONTENT_MODEL: Generated(content_model()),
        layout.WHAT_CHANGED: Generated(what_changed.page(ctx)),
    }
    org = g.repo.organization.path if g.repo.organization else None
    for rid in g.roles:
        pages[layout.role_page(rid)] = _with_parts(partial(_role, ctx, rid), org)
    if g.repo.units:
        pages[layout.UNITS] = _with_parts(partial(units_index, ctx), org)
    for uid in g.repo.units:
        pages[layout.unit_page(uid)] = _with_parts(partial(unit_page, ctx, uid), org)
    for doc in g.adoption:
        pages[g_path(ctx, doc)] = _with_parts(partial(adoption_phase, ctx, doc), doc.path)
    if g.charter:
        pages[g_path(ctx, g.charter)] = _with_parts(
            partial(charter, ctx, g.charter), g.charter.path
        )
    for doc in g.repo.of_kind("page"):
        if not doc.path.startswith(g.content_dir + "/") and doc.path in g.docs_path:
            text, parts = render_parts(ctx, doc)
            pages[g_path(ctx, doc)] = Generated(f"# {md(doc.title)}\n\n{text}", doc.path, parts)
    return pages


def redirects(ctx: RenderContext) -> dict[str, str]:
    """Old capability slugs (aliases) -> small HTML pages that forward to the current page.

    Every former URL works whatever the site's URL style, now or then: `<slug>.html` and
    `<slug>/index.html` (so `<slug>/` works on any static server), at the site root and in the
    folder the capability's page lives in. A path a page of the site owns is never taken.
    """
    g, out = ctx.graph, dict[str, str]()
    taken = {"404.html"} | {
        layout.page_file(docs, urls) for docs in g.docs_path.values() for urls in (False, True)
    }
    pages = (*layout.GENERATED, layout.PACKS, layout.UNITS)
    taken |= {layout.page_file(docs, urls) for docs in pages for urls in (False, True)}
    for cap in g.capabilities.values():
        here = g.docs_path.get(cap.path)
        if here is None:
            continue
        folder = posixpath.dirname(here)
        for former in formers(cap.meta):
            for base in dict.fromkeys(("", folder)):
                for dest in (f"{former.slug}.html", f"{former.slug}/index.html"):
                    dest = posixpath.join(base, dest)
                    if dest in taken or dest in out:
                        continue
                    url = html_parts.href_from_url(ctx, dest, here)
                    out[dest] = render(
                        ctx, "redirect.html", title=cap.title, old=former.title, target=url
                    )
    return out


def packs_page(ctx: RenderContext, packs: list[Any]) -> str:
    """The "Onboarding packs" page; the PDFs are rendered after the build, beside it."""
    intro = (
        "# Onboarding packs\n\n"
        "One printable pack per audience: what FinOps is, how we run it, and what is expected "
        "of you. Each has a cover, contents with page numbers, and only your audience's "
        "activities and RACI rows."
    )
    table = render(ctx, "packs-table.html", packs=packs)
    return intro + Parts(inline=True)(table)


def titles(ctx: RenderContext) -> dict[str, str]:
    """Docs-tree path -> title as HTML, for every page titled from data.

    Material writes `page.meta.title` (else `page.title`, unescaped again by `striptags`) into
    `<title>` and the header as HTML, and MkDocs' templates do not autoescape; a page's own
    front matter would give the raw title. The plugin sets these escaped ones instead.
    """
    g = ctx.graph
    out: dict[str, str] = {
        g.docs_path[doc.path]: escape(doc.title)
        for doc in g.repo.documents
        if doc.path in g.docs_path and doc.title
    }
    out.update({f"organization/roles/{r}.md": escape(str(v["title"])) for r, v in g.roles.items()})
    out["organization/index.md"] = escape(ctx.org_name)
    out.update({layout.unit_page(u): escape(str(v["name"])) for u, v in g.repo.units.items()})
    return out
