"""What an executive summary reports, worked out from the graph: each KPI's status against its
target, the reviews that are overdue and the steering committee's open decisions.

Pure data: the packs draw it (generator/packs/leaders.py), tests compare it with the playbooks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .facts import page_owner, review_due
from .graph import Graph
from .model import DataFile, Document

ON, OFF, NO_DATA = "on track", "off track", "no data"
_TARGET = re.compile(r"^\s*(>=|<=|≥|≤|<|>|=)?\s*([A-Z]{3} )?([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*$")
_VALUE = re.compile(r"^\s*()([A-Z]{3} )?([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*$")
"""An operator (targets only), a currency code, a number and what follows: `>= USD 1.5 a day`."""
_OPS = {"≥": ">=", "≤": "<="}


@dataclass(frozen=True, slots=True)
class Score:
    """One row of the KPI scorecard."""

    kpi: str
    capability: str
    unit: str | None
    """The business unit measured; None: the whole group."""
    latest: float | str | None
    """The latest measured value, or the overlay's `current` as written (text or number)."""
    on: str
    """The date of the latest value; "" for a value stated in an overlay."""
    target: float | str | None
    measure: str
    """What a measured value counts (`%`, `USD`); "" for a value stated in an overlay."""
    direction: str
    """`up` or `down` for a measured series; "" otherwise."""
    status: str


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def series_status(data: DataFile) -> tuple[dict[str, Any] | None, str]:
    """The latest measured point of a KPI series and its status against target and direction."""
    points = [
        v
        for v in data.data.get("values") or []
        if isinstance(v, dict) and _number(v.get("value")) is not None
    ]
    if not points:
        return None, NO_DATA
    latest = max(points, key=lambda v: str(v.get("date")))
    value, target = _number(latest["value"]), _number(data.data.get("target"))
    direction = data.data.get("direction")
    if value is None or target is None or direction not in ("up", "down"):
        return latest, NO_DATA
    good = value >= target if direction == "up" else value <= target
    return latest, ON if good else OFF


def stated_status(target: Any, current: Any) -> str:
    """Status of an overlay KPI from its typed `target` (">= 90%", "< 2%", "0", 80) and
    `current` ("84%", 3): "no data" when either is prose or their measures differ."""
    t = _TARGET.match(str(target)) if target is not None else None
    c = _VALUE.match(str(current)) if current is not None else None
    if not t or not c or (t.group(2), t.group(4)) != (c.group(2), c.group(4)):
        return NO_DATA
    op = _OPS.get(t.group(1) or "", t.group(1) or "")
    goal, value = float(t.group(3)), float(c.group(3))
    if not op:  # a bare target: reached when equal; 0 is a ceiling; 100% and "N of N" a floor
        if value == goal:
            return ON
        rest = t.group(4)
        op = "<=" if goal == 0 else ">=" if (rest == "%" and goal == 100) else ""
        op = op or (">=" if rest == f"of {t.group(3)}" else "")
        if not op:
            return NO_DATA
    checks = {
        ">=": value >= goal,
        "<=": value <= goal,
        ">": value > goal,
        "<": value < goal,
        "=": value == goal,
    }
    return ON if checks[op] else OFF


def scorecard(g: Graph) -> list[Score]:
    """Every KPI: its measured series (group and units), then the overlay KPIs that have none."""
    rows: list[Score] = []
    for cap_id in g.capabilities:
        measured = g.series.get(cap_id, [])
        group = {str(s.data.get("kpi")) for s in measured if s.data.get("unit") is None}
        for s in sorted(measured, key=lambda s: (s.data.get("unit") is not None, _kpi(s))):
            latest, status = series_status(s)
            rows.append(
                Score(
                    _kpi(s),
                    cap_id,
                    str(s.data["unit"]) if s.data.get("unit") is not None else None,
                    _number(latest.get("value")) if latest else None,
                    str(latest.get("date")) if latest else "",
                    _number(s.data.get("target")),
                    str(s.data.get("measure") or ""),
                    str(s.data.get("direction") or ""),
                    status,
                )
            )
        overlay = g.overlays.get(cap_id)
        for k in (overlay.meta.get("kpis") or []) if overlay else []:
            if isinstance(k, dict) and str(k.get("name")) not in group:
                current = k.get("current")
                rows.append(
                    Score(
                        str(k.get("name")),
                        cap_id,
                        None,
                        current if isinstance(current, str | int | float) else None,
                        "",
                        k.get("target") if isinstance(k.get("target"), str | int | float) else None,
                        "",
                        "",
                        stated_status(k.get("target"), current),
                    )
                )
    return rows


def _kpi(s: DataFile) -> str:
    return str(s.data.get("kpi"))


@dataclass(frozen=True, slots=True)
class Overdue:
    doc: Document
    owner: str | None
    due: dt.date


def overdue_reviews(g: Graph, today: dt.date, default_days: int) -> list[Overdue]:
    """Pages of the site whose review is past due, the longest overdue first (overlays are
    reviewed with their capability page, as on the site's review status page)."""
    out = []
    for doc in g.repo.documents:
        due = review_due(doc, default_days)
        if doc.path in g.docs_path and due is not None and due < today and doc.kind != "overlay":
            out.append(Overdue(doc, page_owner(doc, g.overlays), due))
    return sorted(out, key=lambda o: (o.due, o.doc.title))


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str
    owner: str
    due: str
    note: str
    late: bool


def open_decisions(g: Graph, today: dt.date) -> list[Decision]:
    """The steering committee's open decisions (charter `open_decisions`), soonest due first."""
    charter = g.charter
    items = charter.meta.get("open_decisions") if charter else None
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        due = str(item.get("due") or "")
        try:
            late = dt.date.fromisoformat(due) < today
        except ValueError:
            late = False
        out.append(
            Decision(
                str(item.get("decision")),
                str(item.get("owner") or ""),
                due,
                str(item.get("note") or ""),
                late,
            )
        )
    return sorted(out, key=lambda d: d.due)
