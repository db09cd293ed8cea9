"""Business units and history in `model.json`: each unit's effective playbook (what differs
from the group, with the file that sets it), every assessment and every KPI series."""

from __future__ import annotations

from typing import Any

from ..graph import Graph
from ..units import Playbook


def unit_playbooks(g: Graph) -> dict[str, Any]:
    """Unit id -> what its effective playbook changes from the group's."""
    return {uid: _changes(uid, book) for uid, book in g.playbooks.items() if uid is not None}


def _changes(uid: str, book: Playbook) -> dict[str, Any]:
    raci = [
        {
            "id": str(row.activity.get("id")),
            "title": str(row.activity.get("title")),
            "capability": str(row.activity.get("capability")),
            "assignments": dict(row.activity.get("assignments") or {}),
            "added": row.added,
            "from": row.origin.path,
        }
        for row in book.rows
        if row.changed
    ]
    maturity = {
        cap: {**_levels(o.maturity), "from": o.maturity_from.path}
        for cap, o in book.overlays.items()
        if o.maturity and o.maturity_from and o.maturity_from.unit is not None
    }
    return {
        "raci": raci,
        "removed": sorted(book.removed),
        "maturity": maturity,
        "adoption": {phase: status for phase, (status, _o) in book.adoption.items()},
    }


def _levels(mat: dict[str, Any]) -> dict[str, Any]:
    return {k: str(mat[k]) for k in ("current", "target", "assessed") if mat.get(k) is not None}


def assessments(g: Graph) -> list[dict[str, Any]]:
    out = []
    for data in sorted(g.repo.assessments, key=lambda d: (str(d.data.get("date")), d.path)):
        meta = data.data
        entry: dict[str, Any] = {
            k: str(meta[k]) for k in ("date", "unit", "scope", "assessor") if meta.get(k)
        }
        entry["results"] = [
            {k: str(r[k]) for k in ("capability", "level", "target", "evidence") if r.get(k)}
            for r in meta.get("results") or []
        ]
        out.append(entry | {"source": data.path})
    return out


def kpi_series(g: Graph) -> list[dict[str, Any]]:
    out = []
    for data in sorted(g.repo.kpi_series, key=lambda d: d.path):
        meta = data.data
        entry: dict[str, Any] = {
            k: meta[k] for k in ("capability", "kpi", "unit", "measure", "direction") if meta.get(k)
        }
        if isinstance(meta.get("target"), int | float):
            entry["target"] = meta["target"]
        entry["values"] = [
            {"date": str(v["date"]), "value": v["value"]}
            | ({"note": v["note"]} if v.get("note") else {})
            for v in meta.get("values") or []
        ]
        out.append(entry | {"source": data.path})
    return out
