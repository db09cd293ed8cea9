"""The exported tables (RACI matrix, maturity, KPIs) and the JSON document of the whole model.

Both are read from the link graph after `check`, so they say what the site says: the same
activities in the same order as the RACI matrix page, the same maturity (facts.maturity) as the
maturity overview. Values stay typed here (numbers, dates); each file format decides how to
write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..facts import maturity
from ..graph import Graph
from ..model import Document, mapping
from . import history

Value = str | int | float | dt.date | None
"""A cell: text, a number, a date, or nothing (an empty cell)."""

FORMAT_VERSION = 1
"""Of the JSON document; raised when a field changes meaning or goes away (see the schema)."""


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    """Sheet name, and the CSV file's stem in lower case."""
    header: list[str]
    rows: list[list[Value]]
    frozen_columns: int = 0
    """Columns that stay in view when a spreadsheet scrolls sideways."""


def _level(value: Any) -> str | None:
    return str(value).capitalize() if value else None


def _date(value: Any) -> Value:
    """A date of the model (kept as ISO text by the loader) as a date; anything else as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _text(value: Any) -> Value:
    """A scalar of the model as a cell: numbers stay numbers, the rest becomes text."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return str(value)


def role_title(g: Graph, role_id: Any) -> str | None:
    """The title of a role, or its id if the roster does not know it (None: no role)."""
    if not isinstance(role_id, str):
        return None
    role = g.roles.get(role_id)
    return str(role["title"]) if role else role_id


def _role_headers(g: Graph) -> list[str]:
    """Role titles as column names; two roles with one title get their ids added."""
    titles = [str(r["title"]) for r in g.roles.values()]
    return [
        f"{title} ({rid})" if titles.count(title) > 1 else title
        for rid, title in zip(g.roles, titles, strict=True)
    ]


def activities(g: Graph) -> list[dict[str, Any]]:
    """The RACI activities in the order of the site's matrix page."""
    return sorted(g.repo.activities, key=lambda a: (str(a.get("capability")), str(a.get("title"))))


def raci(g: Graph) -> Table:
    header = ["Activity id", "Activity", "Capability id", "Capability", *_role_headers(g)]
    rows: list[list[Value]] = []
    for act in activities(g):
        cap = g.capabilities.get(str(act.get("capability")))
        letters = mapping(act.get("assignments"))
        rows.append(
            [
                str(act.get("id")),
                str(act.get("title")),
                str(act.get("capability")),
                cap.title if cap else None,
                *(_text(letters.get(rid)) for rid in g.roles),
            ]
        )
    return Table("RACI", header, rows, frozen_columns=2)


def _domains(g: Graph) -> dict[str, str]:
    return {d.id: d.title for d in g.domains}


def maturity_table(g: Graph) -> Table:
    header = ["Capability id", "Capability", "Domain", "Owner", "Current", "Target", "Assessed"]
    domains = _domains(g)
    rows: list[list[Value]] = []
    for cid, cap in g.capabilities.items():
        overlay = g.overlays.get(cid)
        mat = maturity(overlay)
        domain = str(cap.meta.get("domain"))
        rows.append(
            [
                cid,
                cap.title,
                domains.get(domain, domain),
                role_title(g, overlay.meta.get("owner")) if overlay else None,
                _level(mat.current),
                _level(mat.target),
                _date(mat.assessed_on),
            ]
        )
    return Table("Maturity", header, rows, frozen_columns=2)


def _kpis(overlay: Document | None) -> list[dict[str, Any]]:
    return [k for k in (overlay.meta.get("kpis") or []) if isinstance(k, dict)] if overlay else []


def kpi_table(g: Graph) -> Table:
    header = ["Capability id", "Capability", "KPI", "How it is measured", "Target", "Current"]
    header.append("Owner")
    rows: list[list[Value]] = []
    for cid, cap in g.capabilities.items():
        overlay = g.overlays.get(cid)
        owner = role_title(g, overlay.meta.get("owner")) if overlay else None
        for kpi in _kpis(overlay):
            rows.append(
                [
                    cid,
                    cap.title,
                    _text(kpi.get("name")),
                    _text(kpi.get("formula")),
                    _text(kpi.get("target")),
                    _text(kpi.get("current")),
                    owner,
                ]
            )
    return Table("KPIs", header, rows, frozen_columns=3)


def tables(g: Graph) -> list[Table]:
    """The three tables, in the order of the workbook's sheets."""
    return [raci(g), maturity_table(g), kpi_table(g)]


# --- the JSON document (its schema: model.schema.json beside this module) ---------------------


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _pick(entry: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys of `entry` that are set, with dates as ISO text."""
    out = {}
    for key in keys:
        value = entry.get(key)
        if value is not None:
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


ROLE_KEYS = ("id", "title", "persona", "team", "contact", "unit")
UNIT_KEYS = ("id", "name", "parent", "lead", "scopes")
KPI_KEYS = ("name", "formula", "target", "current")


def _organization(g: Graph) -> dict[str, Any]:
    data = g.repo.organization.data if g.repo.organization else {}
    return _pick(data, ("name", "repository_url"))


def _capability(g: Graph, cid: str, cap: Document, acts: list[dict[str, Any]]) -> dict[str, Any]:
    m = cap.meta
    personas = mapping(m.get("personas"))
    out: dict[str, Any] = {
        "id": cid,
        "title": cap.title,
        "summary": str(m.get("summary", "")),
        "domain": str(m.get("domain")),
        "phases": _strings(m.get("phases")),
        "personas": {
            "lead": _strings(personas.get("lead")),
            "involved": _strings(personas.get("involved")),
        },
        "related": _strings(m.get("related")),
        "referenced_by": [d.id for d in g.referenced_by.get(cid, [])],
        "aliases": [
            _pick(a, ("slug", "title", "framework", "change"))
            for a in m.get("aliases") or []
            if isinstance(a, dict)
        ],
        "source": cap.path,
    }
    out |= _pick(m, ("framework_version", "added_in", "last_reviewed", "owner"))
    overlay = g.overlays.get(cid)
    if overlay is not None:
        mat = maturity(overlay)
        out["overlay"] = {
            "owner": str(overlay.meta.get("owner")),
            "maturity": _pick(
                {"current": mat.current, "target": mat.target, "assessed": mat.assessed_on},
                ("current", "target", "assessed"),
            ),
            "kpis": [_pick(k, KPI_KEYS) for k in _kpis(overlay)],
            "source": overlay.path,
        } | _pick(overlay.meta, ("last_reviewed",))
    out["raci"] = [
        {
            "id": str(a.get("id")),
            "title": str(a.get("title")),
            "assignments": dict(mapping(a.get("assignments"))),
        }
        for a in acts
    ]
    return out


def document(g: Graph, schema: str) -> dict[str, Any]:
    """The whole resolved model: what the site shows, as data; `schema` is the `$schema` URI."""
    org = g.repo.organization.data if g.repo.organization else {}
    by_cap: dict[str, list[dict[str, Any]]] = {}
    for act in activities(g):
        by_cap.setdefault(str(act.get("capability")), []).append(act)
    return {
        "$schema": schema,
        "format_version": FORMAT_VERSION,
        "organization": _organization(g),
        "roles": [_pick(r, ROLE_KEYS) for r in g.roles.values()],
        "units": [_pick(u, UNIT_KEYS) for u in org.get("units") or [] if isinstance(u, dict)],
        "domains": [{"id": d.id, "title": d.title} for d in g.domains],
        "phases": [{"id": p.id, "title": p.title} for p in g.phases],
        "personas": [
            {"id": pid, "title": p.title} | _pick(p.meta, ("type",))
            for pid, p in g.personas.items()
        ],
        "capabilities": [
            _capability(g, cid, cap, by_cap.get(cid, [])) for cid, cap in g.capabilities.items()
        ],
        "unit_playbooks": history.unit_playbooks(g),
        "assessments": history.assessments(g),
        "kpi_series": history.kpi_series(g),
    }
