"""The effective playbook of a business unit: the group's playbooks with the unit's layers on top.

A unit inherits the group's RACI matrix, capability overlays and adoption status, then the
changes of each unit above it in the tree, then its own (`playbooks/units/<unit>/raci.yml` and
`playbooks/units/<unit>/capabilities/<id>.md`). Every merged piece keeps its origin (file, line,
unit or None for the group default) so pages can say where it comes from and link to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import DataFile, Document, Repository


@dataclass(frozen=True, slots=True)
class Origin:
    path: str
    line: int
    unit: str | None
    """The unit whose file it is; None: the group default."""


@dataclass(slots=True)
class Row:
    """One RACI activity as it applies in a unit."""

    activity: dict[str, Any]
    origin: Origin
    changed: bool = False
    """True when a unit layer replaced or added it (it differs from the group default)."""
    added: bool = False
    """True when a unit layer added it (the group has no such activity)."""


@dataclass(slots=True)
class Overlay:
    """How a unit runs one capability: owner, maturity and KPIs, each from the nearest layer."""

    capability: str
    owner: str | None = None
    owner_from: Origin | None = None
    maturity: dict[str, Any] | None = None
    maturity_from: Origin | None = None
    kpis: list[tuple[dict[str, Any], Origin]] = field(default_factory=list)
    layers: list[Document] = field(default_factory=list)
    """The overlay files that apply, group first: their bodies are the unit's procedures."""


@dataclass(slots=True)
class Playbook:
    unit: str | None
    rows: list[Row] = field(default_factory=list)
    removed: dict[str, Origin] = field(default_factory=dict)
    """Group activities a unit layer removed, with where."""
    overlays: dict[str, Overlay] = field(default_factory=dict)
    adoption: dict[str, tuple[str, Origin]] = field(default_factory=dict)
    """Adoption phase id -> (status, origin) where a unit layer set its own status."""


def lineage(repo: Repository, unit: str | None) -> list[str]:
    """The units from the top of the tree down to `unit` (empty for the group). A parent cycle
    (reported by `check`) ends the walk instead of looping."""
    units, chain = repo.units, []
    while unit is not None and unit in units and unit not in chain:
        chain.append(unit)
        parent = units[unit].get("parent")
        unit = parent if isinstance(parent, str) else None
    return chain[::-1]


def layers(repo: Repository) -> dict[str | None, DataFile]:
    """The RACI layer file of each unit (the first one, if a unit has two: check reports it)."""
    out: dict[str | None, DataFile] = {}
    for data in repo.unit_racis:
        out.setdefault(data.unit, data)
    return out


def playbook(repo: Repository, unit: str | None) -> Playbook:
    """The effective playbook of `unit` (None: the group's own)."""
    book = Playbook(unit)
    group = repo.raci
    for i, act in enumerate(repo.activities):
        line = group.line_of(("activities", i)) if group else 1
        book.rows.append(Row(act, Origin(group.path if group else "", line, None)))
    for doc in repo.of_kind("overlay"):
        _apply_overlay(book, doc, None)
    files = layers(repo)
    unit_overlays = _unit_overlays(repo)
    for step in lineage(repo, unit):
        if step in files:
            _apply_raci(book, files[step], step)
        for doc in unit_overlays.get(step, []):
            _apply_overlay(book, doc, step)
    return book


def _unit_overlays(repo: Repository) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = {}
    for doc in repo.of_kind("unit-overlay"):
        if doc.unit is not None:
            out.setdefault(doc.unit, []).append(doc)
    return out


def _apply_raci(book: Playbook, data: DataFile, unit: str) -> None:
    index = {row.activity.get("id"): k for k, row in enumerate(book.rows)}
    for i, act in enumerate(data.data.get("activities") or []):
        origin = Origin(data.path, data.line_of(("activities", i)), unit)
        k = index.get(act["id"])
        if k is None:
            if "title" in act and "capability" in act:  # else `check` reports the new row
                index[act["id"]] = len(book.rows)
                book.rows.append(Row(dict(act), origin, changed=True, added=True))
            continue
        before = book.rows[k]
        book.rows[k] = Row({**before.activity, **act}, origin, changed=True, added=before.added)
    removed = set()
    for i, aid in enumerate(data.data.get("remove") or []):
        if aid in index:
            removed.add(aid)
            book.removed[aid] = Origin(data.path, data.line_of(("remove", i)), unit)
    book.rows = [row for row in book.rows if row.activity.get("id") not in removed]
    for phase, status in (data.data.get("adoption") or {}).items():
        book.adoption[phase] = (status, Origin(data.path, data.line_of(("adoption", phase)), unit))


def _apply_overlay(book: Playbook, doc: Document, unit: str | None) -> None:
    cap = str(doc.meta.get("capability"))
    overlay = book.overlays.setdefault(cap, Overlay(cap))
    overlay.layers.append(doc)
    meta = doc.meta
    if isinstance(meta.get("owner"), str):
        overlay.owner = meta["owner"]
        overlay.owner_from = Origin(doc.path, doc.line_of(("owner",)), unit)
    if isinstance(meta.get("maturity"), dict):
        overlay.maturity = meta["maturity"]
        overlay.maturity_from = Origin(doc.path, doc.line_of(("maturity",)), unit)
    names = {kpi.get("name"): k for k, (kpi, _o) in enumerate(overlay.kpis)}
    for i, kpi in enumerate(meta.get("kpis") or []):
        entry = (kpi, Origin(doc.path, doc.line_of(("kpis", i)), unit))
        if kpi.get("name") in names:
            overlay.kpis[names[kpi["name"]]] = entry
        else:
            overlay.kpis.append(entry)
