"""What a capability page adds for business units and history: how each unit runs it
differently (with where each piece is set) and its maturity and KPIs over time as charts."""

from __future__ import annotations

from ..core import layout
from ..core.model import Document
from . import html_parts
from .context import RenderContext
from .html_parts import Cell, Parts, md
from .merging import demote, rewrite_links
from .trends import kpi_chart, maturity_chart
from .unit_pages import origin_cell, tree, unit_name


def in_units(ctx: RenderContext, doc: Document, here: str, parts: Parts) -> list[str]:
    """A section per unit whose own files change how it runs this capability."""
    g, out = ctx.graph, []
    for uid, _depth in tree(ctx):
        overlay = g.playbooks[uid].overlays.get(doc.id)
        own = [d for d in overlay.layers if d.unit == uid] if overlay else []
        if overlay is None or not own:
            continue
        kpis: list[list[Cell]] = [
            [str(k.get("name")), str(k.get("target")), origin_cell(ctx, o)] for k, o in overlay.kpis
        ]
        facts = html_parts.render(
            ctx,
            "unit-overlay-facts.html",
            owner=html_parts.role_a(ctx, here, overlay.owner) if overlay.owner else None,
            owner_from=origin_cell(ctx, overlay.owner_from),
            maturity=_pair(overlay.maturity),
            maturity_from=origin_cell(ctx, overlay.maturity_from),
            kpis=html_parts.table(ctx, ["KPI", "Target", "From"], kpis) if kpis else None,
            unit=html_parts.Link(
                html_parts.href(ctx, here, layout.unit_page(uid)), unit_name(ctx, uid)
            ),
        )
        out += [f"### {md(unit_name(ctx, uid))} {{ #unit-{uid} }}", parts(facts)]
        for layer in own:
            out += [demote(rewrite_links(layer.body, layer, here, g), 2).strip(), ""]
    if out:
        out = ["## In our business units { #in-our-units }", ""] + out
    return out


def over_time(ctx: RenderContext, doc: Document, parts: Parts) -> list[str]:
    """The capability's assessed maturity and measured KPIs over time, if any were recorded."""
    g, out = ctx.graph, []
    results = g.assessed.get(doc.id, [])
    if results:
        title = f"{doc.title}: assessed maturity over time"
        out += ["### Maturity over time", parts(maturity_chart(ctx, title, results))]
    for series in sorted(g.series.get(doc.id, []), key=_series_order):
        meta = series.data
        where = unit_name(ctx, meta.get("unit"))
        name = f"{meta.get('kpi')} — {where}"
        out += [f"### {md(name)}", parts(kpi_chart(ctx, f"{name}, against its target", series))]
    return ["## Over time { #over-time }", "", *out] if out else []


def _series_order(series: object) -> tuple[str, str]:
    meta = getattr(series, "data", {})
    return (str(meta.get("kpi")), str(meta.get("unit") or ""))


def _pair(mat: dict[str, object] | None) -> str:
    if not mat:
        return ""
    return f"{str(mat.get('current')).capitalize()} → {str(mat.get('target')).capitalize()}"
