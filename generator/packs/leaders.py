"""Chapters for leaders and for one audience: the executive summary (heatmap, maturity against
target, KPI scorecard, overdue reviews, open decisions), what is expected of a persona, and the
capabilities an audience owns or leads, in summary.

The figures come from generator/core/executive.py; the markup from the templates beside
pack.html (autoescaped; a theme's `parts/` folder overrides them like the site's parts).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from ..core import executive as facts
from ..core.facts import maturity
from ..core.graph import LEVELS
from ..core.pack_audiences import led_capabilities
from ..core.pack_specs import Pack
from ..render.context import RenderContext
from ..render.framework_pages import activity_sections, maturity_cell
from ..render.heatmap import domain_summary, heatmap
from ..render.html_parts import Parts, href, md, page_a, role_a, show
from ..render.trends import quantity

TEMPLATES = Path(__file__).parent / "templates"
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
HERE = "organization/executive-summary.md"
"""Where the summary's links start from: a page of its own, so no other chapter is mistaken
for it when links are mapped to chapters."""
STATUS_LABEL = {facts.ON: "On track", facts.OFF: "Off track", facts.NO_DATA: "No data"}

Piece = tuple[str, str, str]


@lru_cache(maxsize=8)
def _env(overrides: tuple[str, ...]) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(list(overrides)), FileSystemLoader(str(TEMPLATES))])
    env = Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = show
    return env


def _render(ctx: RenderContext, name: str, **context: Any) -> Markup:
    return Markup(_env(ctx.parts_dirs).get_template(name).render(context).strip())


def _scorecard(ctx: RenderContext) -> tuple[Markup, dict[str, int]]:
    g, units = ctx.graph, ctx.graph.repo.units
    rows, counts = [], dict.fromkeys(STATUS_LABEL, 0)
    for s in facts.scorecard(g):
        counts[s.status] += 1
        measured = s.direction != ""
        latest = s.latest
        if measured and isinstance(latest, float):
            latest = quantity(latest, s.measure)
        target = s.target
        if measured and isinstance(target, float):
            target = {"up": "≥ ", "down": "≤ "}[s.direction] + quantity(target, s.measure)
        rows.append(
            {
                "kpi": s.kpi,
                "scope": str(units[s.unit]["name"]) if s.unit in units else "Group",
                "latest": "—" if latest is None else str(latest),
                "on": s.on,
                "target": "—" if target is None else _signs(str(target)),
                "status": s.status.replace(" ", "-"),
                "label": STATUS_LABEL[s.status],
            }
        )
    return _render(ctx, "scorecard.html", rows=rows, units=bool(units)), counts


def _signs(text: str) -> str:
    return text.replace(">=", "≥").replace("<=", "≤")


def _printable_heatmap(ctx: RenderContext, links: dict[str, str]) -> Markup:
    """The site's heatmap with its own style inside: no document stylesheet reaches an inline
    SVG in WeasyPrint, and without one every cell prints black."""
    svg, style = str(heatmap(ctx, links)), str(_render(ctx, "heatmap-style.html"))
    drawing = _SVG_OPEN.sub(lambda m: m.group(0) + style, svg, count=1)
    return Markup('<figure class="fkb-exec-heatmap">') + Markup(drawing) + Markup("</figure>")


def _below_target(ctx: RenderContext) -> tuple[int, int]:
    """(capabilities below their target, capabilities assessed)."""
    below = assessed = 0
    for cap_id in ctx.graph.capabilities:
        mat = maturity(ctx.graph.overlays.get(cap_id))
        if mat.current in LEVELS:
            assessed += 1
            target = mat.target
            below += target in LEVELS and LEVELS.index(target) > LEVELS.index(mat.current)
    return below, assessed


def executive(ctx: RenderContext, pack: Pack, today: dt.date) -> list[Piece]:
    g, inline = ctx.graph, Parts(inline=True)
    links = {c: href(ctx, HERE, g.docs_path[d.path]) for c, d in g.capabilities.items()}
    card, counts = _scorecard(ctx)
    overdue = facts.overdue_reviews(g, today, pack.review_days)
    decisions = facts.open_decisions(g, today)
    below, assessed = _below_target(ctx)
    glance = _render(
        ctx,
        "glance.html",
        items=[
            (f"{below} of {assessed}", "assessed capabilities below target"),
            (f"{counts[facts.OFF]} of {sum(counts.values())}", "KPIs off track"),
            (str(len(overdue)), "reviews overdue"),
            (str(len(decisions)), "open decisions for the committee"),
        ],
    )
    reviews = _render(
        ctx,
        "overdue.html",
        rows=[
            {
                "page": page_a(ctx, HERE, o.doc),
                "owner": role_a(ctx, HERE, o.owner) if o.owner else None,
                "due": o.due.isoformat(),
                "days": (today - o.due).days,
            }
            for o in overdue
        ],
    )
    owners = {d.owner: role_a(ctx, HERE, d.owner) for d in decisions}
    out = [
        f"Where the FinOps practice of {md(ctx.org_name)} stands on {today.isoformat()}, "
        "what the steering committee has to decide, and what is off track.",
        inline(glance),
        "## Open decisions",
        inline(_render(ctx, "decisions.html", rows=decisions, owners=owners))
        if decisions
        else "\nThe committee has no open decision on record.\n",
        "## Overdue reviews",
        inline(reviews) if overdue else f"\nNo page is overdue for review on {today}.\n",
        "## Maturity { .fkb-new-page }",
        "",
        "Filled cells show where each capability is now; the dashed outline marks its target.",
        inline(_printable_heatmap(ctx, links)),
        "### Against target, by domain",
        inline(domain_summary(ctx)),
        "## KPI scorecard { .fkb-new-page }",
        "",
        f"{counts[facts.ON]} on track, {counts[facts.OFF]} off track, "
        f"{counts[facts.NO_DATA]} without data to judge. A measured KPI shows its latest "
        "value and its date; the others show the value their owner states in the "
        "capability's playbook.",
        inline(card),
    ]
    return [("Executive summary", HERE, "\n".join(out))]


def expected(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    """Per audience persona: what it is for, its roles here, its activities."""
    g, inline = ctx.graph, Parts(inline=True)
    out = []
    for pid in pack.personas:
        persona = g.personas.get(pid)
        if persona is None:
            continue
        here = g.docs_path[persona.path]
        roles = [r for r in pack.roles if g.roles[r].get("persona") == pid]
        text = [f"*{md(persona.meta.get('summary', ''))}*", ""]
        if roles:
            rows = [
                (
                    role_a(ctx, here, r),
                    g.roles[r].get("team") or "—",
                    g.roles[r].get("contact") or "—",
                )
                for r in roles
            ]
            text += ["## Roles", inline(_render(ctx, "roles.html", rows=rows))]
        acts = g.activities.get(pid, [])
        if acts:
            text += ["## Activities across capabilities", "", *activity_sections(g, here, acts)]
        out.append((f"What is expected of {persona.title}", here, "\n".join(text)))
    return out


def summaries(ctx: RenderContext, pack: Pack, arg: Any) -> list[Piece]:
    """The capabilities the audience owns or leads: one row each, not the whole page."""
    g, here = ctx.graph, "capabilities/owned-or-led.md"
    rows = []
    for cap, how in led_capabilities(g, pack):
        overlay = g.overlays.get(cap.id)
        owner = str(overlay.meta.get("owner")) if overlay else ""
        rows.append(
            {
                "cap": page_a(ctx, here, cap),
                "summary": str(cap.meta.get("summary") or ""),
                "how": " and ".join(how).capitalize(),
                "owner": role_a(ctx, here, owner) if owner else None,
                "maturity": maturity_cell(g, cap.id),
            }
        )
    if not rows:
        return []
    intro = (
        "Owner: a role of the audience keeps our practice of the capability current. "
        "Lead: the audience's persona leads it in the framework."
    )
    text = intro + Parts(inline=True)(_render(ctx, "summaries.html", rows=rows))
    return [("Capabilities you own or lead", here, text)]
