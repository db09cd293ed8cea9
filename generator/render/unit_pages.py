"""Business units: the units page (the tree and a capability × unit comparison) and one page
per unit with its effective playbook. Every merged piece says where it comes from ("group
default" or the unit) and links to the file that sets it."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core import layout
from ..core.units import Origin, Playbook
from .context import RenderContext
from .html_parts import Cell, Code, Link, Parts, href, link, md, page_a, render, role_a, table
from .trends import quantity


def origin_cell(ctx: RenderContext, origin: Origin | None) -> Cell:
    """Where a merged piece comes from, linked to the file that sets it when it can be edited."""
    if origin is None:
        return None
    units = ctx.graph.repo.units
    name = str(units[origin.unit]["name"]) if origin.unit in units else "group default"
    url = ctx.edit_path(origin.path)
    return link(url, name, "fkb-origin") if url else name


def unit_name(ctx: RenderContext, uid: str | None) -> str:
    unit = ctx.graph.repo.units.get(uid or "")
    return str(unit["name"]) if unit else ctx.org_name


def tree(ctx: RenderContext) -> list[tuple[str, int]]:
    """(unit id, depth): each unit after its parent; units on a parent cycle last."""
    units = ctx.graph.repo.units
    children: dict[str | None, list[str]] = {}
    for uid, unit in units.items():
        parent = unit.get("parent")
        children.setdefault(parent if parent in units else None, []).append(uid)
    out: list[tuple[str, int]] = []
    todo = [(uid, 0) for uid in reversed(children.get(None, []))]
    while todo:
        uid, depth = todo.pop()
        out.append((uid, depth))
        todo += [(c, depth + 1) for c in reversed(children.get(uid, []))]
    placed = {uid for uid, _ in out}
    return out + [(uid, 0) for uid in units if uid not in placed]


def _level_pair(mat: dict[str, Any] | None) -> str:
    if not mat:
        return "—"
    now, target = mat.get("current"), mat.get("target")
    return f"{str(now).capitalize()} → {str(target).capitalize()}"


def compare(ctx: RenderContext, here: str) -> Markup:
    """Capability × unit: the maturity reached and aimed for, the group first; a unit's cell is
    marked where it differs from the group's."""
    g = ctx.graph
    order: list[str | None] = [None, *(uid for uid, _ in tree(ctx))]
    rows = []
    for cap_id, cap in g.capabilities.items():
        cells = []
        for uid in order:
            overlay = g.playbooks[uid].overlays.get(cap_id)
            cells.append(_level_pair(overlay.maturity if overlay else None))
        marked = [{"text": c, "differs": i > 0 and c != cells[0]} for i, c in enumerate(cells)]
        rows.append({"capability": page_a(ctx, here, cap), "cells": marked})
    head = [unit_name(ctx, u) for u in order]
    return render(ctx, "unit-compare.html", head=head, rows=rows)


def units_index(ctx: RenderContext, parts: Parts | None = None) -> str:
    parts = parts or Parts(inline=True)
    here = layout.UNITS
    rows: list[list[Cell]] = []
    for uid, depth in tree(ctx):
        unit = ctx.graph.repo.units[uid]
        lead = unit.get("lead")
        rows.append(
            [
                Link(href(ctx, here, layout.unit_page(uid)), "\u2003" * depth + str(unit["name"])),
                role_a(ctx, here, str(lead)) if lead else None,
                ", ".join(unit.get("scopes") or []) or "—",
            ]
        )
    return "\n".join(
        [
            "# Business units",
            "",
            f"{md(ctx.org_name)} shares one framework, charter and set of playbooks; each unit "
            "changes what it does differently in its own files. A unit's page shows its "
            "effective playbook and what differs from the group.",
            parts(table(ctx, ["Unit", "FinOps lead", "Scopes"], rows)),
            "## Compare units",
            "",
            "Maturity reached → maturity aimed for, per capability and unit; **bold** where a "
            "unit differs from the group.",
            parts(compare(ctx, here)),
        ]
    )


def _raci_rows(
    ctx: RenderContext, here: str, book: Playbook, only: str | None = None
) -> list[list[Cell]]:
    """The unit's effective RACI rows (with `only`: those that unit's own file sets)."""
    g, rows = ctx.graph, []
    for row in book.rows:
        if only is not None and row.origin.unit != only:
            continue
        act = row.activity
        by_letter: dict[str, list[Cell]] = {k: [] for k in "RACI"}
        for role, letter in (act.get("assignments") or {}).items():
            by_letter.setdefault(str(letter), []).append(role_a(ctx, here, role))
        cap = g.capabilities.get(str(act.get("capability")))
        title: Cell = str(act.get("title"))
        rows.append(
            [
                title,
                page_a(ctx, here, cap) if cap else Code(str(act.get("capability"))),
                *[by_letter[k] or None for k in "RACI"],
                origin_cell(ctx, row.origin),
            ]
        )
    return rows


def _maturity_rows(ctx: RenderContext, here: str, book: Playbook) -> list[list[Cell]]:
    g, rows = ctx.graph, []
    for cap_id, cap in g.capabilities.items():
        overlay = book.overlays.get(cap_id)
        if overlay is None or overlay.maturity is None:
            continue
        rows.append(
            [
                page_a(ctx, here, cap),
                role_a(ctx, here, overlay.owner) if overlay.owner else None,
                _level_pair(overlay.maturity),
                str(overlay.maturity.get("assessed") or "—"),
                origin_cell(ctx, overlay.maturity_from),
            ]
        )
    return rows


def _kpi_rows(ctx: RenderContext, here: str, uid: str, book: Playbook) -> list[list[Cell]]:
    g, rows = ctx.graph, []
    for cap_id, overlay in book.overlays.items():
        cap = g.capabilities.get(cap_id)
        for kpi, origin in overlay.kpis:
            rows.append(
                [
                    page_a(ctx, here, cap) if cap else Code(cap_id),
                    str(kpi.get("name")),
                    str(kpi.get("target")),
                    _latest(ctx, cap_id, str(kpi.get("name")), uid),
                    origin_cell(ctx, origin),
                ]
            )
    return rows


def _latest(ctx: RenderContext, cap_id: str, kpi: str, uid: str | None) -> str:
    """The latest measured value of a KPI in a unit (its own series, else the group's)."""
    found = {
        s.data.get("unit"): s for s in ctx.graph.series.get(cap_id, []) if s.data.get("kpi") == kpi
    }
    series = found.get(uid) or found.get(None)
    if series is None or not series.data.get("values"):
        return "—"
    last = series.data["values"][-1]
    return (
        f"{quantity(float(last['value']), str(series.data.get('measure') or ''))} ({last['date']})"
    )


def _differences(ctx: RenderContext, here: str, uid: str, book: Playbook) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for row in book.rows:
        if row.changed and row.origin.unit == uid:
            out.append(
                [
                    str(row.activity.get("title")),
                    "RACI activity added" if row.added else "RACI assignments changed",
                    origin_cell(ctx, row.origin),
                ]
            )
    for aid, origin in book.removed.items():
        if origin.unit == uid:
            out.append([Code(aid), "RACI activity removed", origin_cell(ctx, origin)])
    for overlay in book.overlays.values():
        for doc in overlay.layers:
            if doc.unit == uid:
                cap = ctx.graph.capabilities.get(overlay.capability)
                what: Cell = page_a(ctx, here, cap) if cap else Code(overlay.capability)
                out.append(
                    [what, "how the capability is run", origin_cell(ctx, Origin(doc.path, 1, uid))]
                )
    phases = {d.id: d for d in ctx.graph.adoption}
    for phase, (status, origin) in book.adoption.items():
        if origin.unit == uid:
            name: Cell = page_a(ctx, here, phases[phase]) if phase in phases else Code(phase)
            change = f"adoption status: {status.replace('-', ' ')}"
            out.append([name, change, origin_cell(ctx, origin)])
    return out


def _adoption_rows(ctx: RenderContext, here: str, book: Playbook) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for doc in ctx.graph.adoption:
        status, origin = book.adoption.get(doc.id, (str(doc.meta.get("status")), None))
        if status != "done":
            rows.append(
                [
                    page_a(ctx, here, doc),
                    status.replace("-", " "),
                    origin_cell(ctx, origin) or "group default",
                ]
            )
    return rows


def unit_page(
    ctx: RenderContext, uid: str, parts: Parts | None = None, whole_matrix: bool = True
) -> str:
    """The unit's page; without `whole_matrix` (packs) its RACI section lists only the rows the
    unit sets itself, since a pack has the audience's own rows in a chapter of their own."""
    parts = parts or Parts(inline=True)
    g, here = ctx.graph, layout.unit_page(uid)
    unit, book = g.repo.units[uid], g.playbooks[uid]
    parent = unit.get("parent")
    sub = [
        Link(href(ctx, here, layout.unit_page(u)), unit_name(ctx, u))
        for u, w in g.repo.units.items()
        if w.get("parent") == uid
    ]
    facts = render(
        ctx,
        "unit-facts.html",
        parent=Link(href(ctx, here, layout.unit_page(str(parent))), unit_name(ctx, str(parent)))
        if parent in g.repo.units
        else None,
        lead=role_a(ctx, here, str(unit["lead"])) if unit.get("lead") else None,
        scopes=list(unit.get("scopes") or []),
        units=sub,
        roles=[role_a(ctx, here, r) for r, role in g.roles.items() if role.get("unit") == uid],
    )
    out = [f"# {md(unit['name'])}", parts(facts)]
    differences = _differences(ctx, here, uid, book)
    out += ["## Differences from the group", ""]
    out.append(
        parts(table(ctx, ["What", "Change", "Set in"], differences))
        if differences
        else "None: this unit follows the group's playbooks."
    )
    raci = _raci_rows(ctx, here, book, None if whole_matrix else uid)
    out += ["## Who does what here (RACI) { #raci }", ""]
    if not whole_matrix:
        out.append("The activities this unit sets itself; all others follow the group matrix.")
    head = ["Activity", "Capability", "R", "A", "C", "I", "From"]
    out.append(parts(table(ctx, head, raci)) if raci else "None.")
    maturity = _maturity_rows(ctx, here, book)
    if maturity:
        out += [
            "## Maturity",
            parts(
                table(ctx, ["Capability", "Owner", "Now → target", "Assessed", "From"], maturity)
            ),
        ]
    kpis = _kpi_rows(ctx, here, uid, book)
    if kpis:
        out += [
            "## KPIs",
            parts(table(ctx, ["Capability", "KPI", "Target", "Latest", "From"], kpis)),
        ]
    adoption = _adoption_rows(ctx, here, book)
    if adoption:
        out += ["## Open adoption work", parts(table(ctx, ["Phase", "Status", "From"], adoption))]
    return "\n".join(out) + "\n"


def unit_links(ctx: RenderContext, here: str, anchor: str) -> str:
    """A Markdown line linking to the same section of every unit's page ("" without units)."""
    names = [
        f"[{md(unit_name(ctx, uid))}]({layout.relative(here, layout.unit_page(uid), anchor)})"
        for uid, _depth in tree(ctx)
    ]
    return "For each business unit: " + " · ".join(names) + "." if names else ""


def role_in_units(ctx: RenderContext, here: str, rid: str, parts: Parts) -> list[str]:
    """The rows that units set for a role themselves, unit by unit."""
    out: list[str] = []
    for uid, _depth in tree(ctx):
        rows: list[list[Cell]] = []
        for row in ctx.graph.playbooks[uid].rows:
            letter = (row.activity.get("assignments") or {}).get(rid)
            if letter and row.changed and row.origin.unit == uid:
                cap = ctx.graph.capabilities.get(str(row.activity.get("capability")))
                rows.append(
                    [
                        str(row.activity.get("title")),
                        page_a(ctx, here, cap) if cap else None,
                        str(letter),
                        origin_cell(ctx, row.origin),
                    ]
                )
        if rows:
            head = ["Activity", "Capability", "Your part", "Set in"]
            out += [f"### In {md(unit_name(ctx, uid))}", parts(table(ctx, head, rows))]
    return ["## What units ask of you", "", *out] if out else []
