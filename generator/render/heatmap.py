"""The maturity heatmap, drawn at build time as inline SVG (no JavaScript, prints well).

This module computes the geometry; the markup is the `heatmap.html` part (autoescaped, and
overridable from the theme like every part).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core.facts import maturity
from ..core.graph import LEVELS, Graph
from .context import RenderContext
from .html_parts import Cell, render, table

ROW, HEAD, INDENT = 26, 34, 16
LABEL, COL = 300, 84
"""Label column and level column widths on paper (the packs)."""
NARROW_LABEL, NARROW_COL = 262, 52
"""On the site: narrow enough that a 390 px phone shows the labels (14 units) at about 12 px."""


HEATMAP_UP_TO = 60
"""Above this many capabilities the home page summarizes maturity per domain instead."""


def _maturity(g: Graph, cap_id: str, unit: str | None = None) -> tuple[Any, Any]:
    if unit is not None:  # the unit's effective overlay
        overlay = g.playbooks[unit].overlays.get(cap_id)
        mat_of_unit = overlay.maturity if overlay and overlay.maturity else {}
        return mat_of_unit.get("current"), mat_of_unit.get("target")
    mat = maturity(g.overlays.get(cap_id))
    return mat.current, mat.target


def domain_summary(ctx: RenderContext) -> Markup:
    """Per domain: how many capabilities are at each level now, and how many are below target."""
    g = ctx.graph
    rows: list[list[Cell]] = []
    for domain in g.domains:
        counts = dict.fromkeys(LEVELS, 0)
        missing = below = 0
        for cap in g.by_domain.get(domain.id, []):
            now, target = _maturity(g, cap.id)
            if now in counts:
                counts[now] += 1
                below += target in LEVELS and LEVELS.index(target) > LEVELS.index(now)
            else:
                missing += 1
        rows.append([domain.title, *(str(counts[x]) for x in LEVELS), str(missing), str(below)])
    head = ["Domain", "Crawl", "Walk", "Run", "Not assessed", "Below target"]
    return table(ctx, head, rows)


def _cells(current: Any, target: Any, label: int, col: int) -> list[dict[str, Any]]:
    cells = []
    for i, name in enumerate(LEVELS):
        cls = ["fkb-hm-cell"]
        if current in LEVELS and LEVELS.index(name) <= LEVELS.index(current):
            cls.append("fkb-hm-now")
        if name == target:
            cls.append("fkb-hm-target")
        state = ("current " if name == current else "") + ("target" if name == target else "")
        cells.append(
            {"cls": " ".join(cls), "x": label + col * i + 4, "name": name, "state": state.strip()}
        )
    return cells


def heatmap(
    ctx: RenderContext, href: dict[str, str], unit: str | None = None, *, narrow: bool = False
) -> Markup:
    """Current (filled) and target (outlined) maturity per capability, grouped by domain, of
    the group or of one unit.

    `href` maps capability ids to the URLs their labels link to. `narrow` draws the site's
    version: narrower level columns and larger text, readable on a phone.
    """
    g = ctx.graph
    label, col = (NARROW_LABEL, NARROW_COL) if narrow else (LABEL, COL)
    rows: list[dict[str, Any]] = []
    y = HEAD
    for domain in g.domains:
        caps = g.by_domain.get(domain.id, [])
        if not caps:
            continue
        rows.append({"domain": domain.title, "y": y})
        y += ROW
        for cap in caps:
            current, target = _maturity(g, cap.id, unit)
            rows.append(
                {
                    "label": cap.title,
                    "href": href[cap.id],
                    "y": y,
                    "cells": _cells(current, target, label, col),
                    "assessed": current is not None,
                }
            )
            y += ROW
    return render(
        ctx,
        "heatmap.html",
        width=label + col * len(LEVELS) + 6,
        height=HEAD + ROW * len(rows) + 8,
        heads=[
            {"x": f"{label + col * i + col / 2:.0f}", "name": n.capitalize()}
            for i, n in enumerate(LEVELS)
        ],
        rows=rows,
        cell_width=col - 8,
        indent=8 if narrow else INDENT,
        narrow=narrow,
        cell_height=ROW - 6,
        none_x=f"{label + col * 1.5:.0f}",
    )
