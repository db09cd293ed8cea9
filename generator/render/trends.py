"""Maturity and KPIs over time, drawn at build time as inline SVG: no chart library reaches the
browser, and the lines take the page's text colour, so they read in dark mode and in print.

This module computes the geometry; the markup is the `trend-chart.html` part. Every point
carries its value and date in a `<title>` and `data-` attributes, for readers and tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..core.graph import LEVELS, Assessed
from ..core.model import DataFile
from .context import RenderContext
from .html_parts import render

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 64, 16, 16, 44
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5")
"""Dash pattern of each line (class `fkb-series-<n>`); further lines repeat them. Set on the
SVG itself, so a chart reads the same without the site's stylesheet (packs, other themes)."""


@dataclass(slots=True)
class Line:
    name: str
    points: list[dict[str, Any]] = field(default_factory=list)
    cls: str = ""
    dash: str = ""

    @property
    def path(self) -> str:
        return " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in self.points)


def quantity(value: float, measure: str) -> str:
    """A value with its measure as people write it: `84%`, `USD 1.08`, `2.4 business hours`."""
    number = f"{value:g}"
    if not measure or measure == "%":
        return number + measure
    if measure.isupper() and len(measure) == 3:  # a currency code goes first
        return f"{measure} {number}"
    return f"{number} {measure}"


def _day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def _x(day: int, first: int, last: int) -> float:
    span = max(last - first, 1)
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first) / span


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1.0
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _axis_dates(first: int, last: int) -> list[dict[str, Any]]:
    days = sorted({first, last, (first + last) // 2}) if last > first else [first]
    # The first and last labels grow inwards, so they stay inside the chart.
    anchor = {first: "start", last: "end"} if last > first else {first: "middle"}
    return [
        {
            "x": f"{_x(d, first, last):.1f}",
            "label": dt.date.fromordinal(d).isoformat(),
            "anchor": anchor.get(d, "middle"),
        }
        for d in days
    ]


def maturity_chart(ctx: RenderContext, title: str, results: list[Assessed]) -> Markup:
    """Assessed level over time, one line per unit (the group first)."""
    if not results:
        return Markup("")
    units = ctx.graph.repo.units
    days = [_day(a.date) for a in results]
    first, last = min(days), max(days)
    lines: dict[str | None, Line] = {}
    for a in results:
        name = str(units[a.unit]["name"]) if a.unit in units else ctx.org_name
        name += f" ({a.scope})" if a.scope else ""
        line = lines.setdefault(a.unit, Line(name))
        level = LEVELS.index(a.level) + 1
        line.points.append(
            {
                "x": _x(_day(a.date), first, last),
                "y": _y(level, 0.5, len(LEVELS) + 0.5),
                "date": a.date,
                "value": a.level,
                "label": f"{name}, {a.date}: {a.level.capitalize()}",
            }
        )
    ordered = sorted(lines.items(), key=lambda kv: (kv[0] is not None, kv[1].name))
    levels = [
        {"y": f"{_y(i + 1, 0.5, len(LEVELS) + 0.5):.1f}", "label": n.capitalize()}
        for i, n in enumerate(LEVELS)
    ]
    return _chart(ctx, title, [line for _u, line in ordered], levels, _axis_dates(first, last))


def kpi_chart(ctx: RenderContext, title: str, data: DataFile) -> Markup:
    """A KPI's values over time against its target (dashed)."""
    meta = data.data
    values = meta.get("values") or []
    if not values:
        return Markup("")
    days = [_day(str(v["date"])) for v in values]
    first, last = min(days), max(days)
    numbers = [float(v["value"]) for v in values]
    target = meta.get("target")
    bounds = numbers + ([float(target)] if isinstance(target, int | float) else [])
    low, high = min(bounds), max(bounds)
    pad = (high - low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    measure = str(meta.get("measure") or "")
    line = Line(str(meta.get("kpi")), cls="fkb-series-0")
    for value, day, raw in zip(numbers, days, values, strict=True):
        line.points.append(
            {
                "x": _x(day, first, last),
                "y": _y(value, low, high),
                "date": str(raw["date"]),
                "value": f"{value:g}",
                "label": f"{raw['date']}: {quantity(value, measure)}",
            }
        )
    ticks = [{"y": f"{_y(v, low, high):.1f}", "label": quantity(v, measure)} for v in (low, high)]
    goal = None
    if isinstance(target, int | float):
        goal = {
            "y": f"{_y(float(target), low, high):.1f}",
            "label": f"target {quantity(float(target), measure)}",
        }
    return _chart(ctx, title, [line], ticks, _axis_dates(first, last), goal)


def _chart(
    ctx: RenderContext,
    title: str,
    lines: list[Line],
    ticks: list[dict[str, Any]],
    dates: list[dict[str, Any]],
    goal: dict[str, Any] | None = None,
) -> Markup:
    for i, line in enumerate(lines):
        line.cls = line.cls or f"fkb-series-{i % len(DASHES)}"
        line.dash = DASHES[i % len(DASHES)]
    return render(
        ctx,
        "trend-chart.html",
        title=title,
        lines=lines,
        ticks=ticks,
        dates=dates,
        goal=goal,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
    )
