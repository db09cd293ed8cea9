"""Maturity assessments and KPI series: what they name exists, dates are real and in order, and
each unit's latest assessment is not older than the review interval (naming who should redo it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import did_you_mean
from ..graph import LEVELS
from ..model import DataFile, KeyPath, Repository
from ..units import playbook


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class _Refs:
    def __init__(self, repo: Repository, problems: Problems) -> None:
        self.problems = problems
        self.ids = {
            "unit": set(repo.units),
            "role": set(repo.roles),
            "capability": set(repo.by_id("capability")),
        }
        self.skip = repo.unresolved | {
            kind
            for kind, key in (("unit", "units"), ("role", "roles"))
            if key in repo.unknown_lists
        }

    def check(self, data: DataFile, at: KeyPath, value: Any, kind: str) -> None:
        ids = self.ids[kind]
        if not isinstance(value, str) or value in ids or value in self.skip or kind in self.skip:
            return
        hint = did_you_mean(value, ids) or f"known {kind} ids: {', '.join(sorted(ids)) or 'none'}"
        self.problems.add(
            data, at, "unknown-reference", f"{kind} `{value}` is not a known {kind}", hint
        )


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    problems = Problems()
    refs = _Refs(repo, problems)
    today = config.clock()
    latest: dict[tuple[Any, Any], tuple[dt.date, DataFile]] = {}
    for data in repo.assessments:
        when = _assessment(refs, data, today)
        if when is None:
            continue
        key = (data.data.get("unit"), data.data.get("scope"))
        if key in latest and latest[key][0] == when:
            problems.add(
                data,
                ("date",),
                "duplicate-id",
                f"two assessments of the same unit and scope on {when}: {latest[key][1].path}",
                "merge them into one file",
            )
        if key not in latest or latest[key][0] < when:
            latest[key] = (when, data)
    for when, data in latest.values():
        _stale(problems, repo, data, when, today, config.review_interval_days)
    for data in repo.kpi_series:
        _series(refs, repo, data, today)
    return problems


def _assessment(refs: _Refs, data: DataFile, today: dt.date) -> dt.date | None:
    meta = data.data
    refs.check(data, ("unit",), meta.get("unit"), "unit")
    refs.check(data, ("assessor",), meta.get("assessor"), "role")
    seen: set[str] = set()
    for i, result in enumerate(meta.get("results") or []):
        refs.check(data, ("results", i, "capability"), result["capability"], "capability")
        target = result.get("target")
        if target is not None and LEVELS.index(target) < LEVELS.index(result["level"]):
            refs.problems.add(
                data,
                ("results", i, "target"),
                "invalid-value",
                f"target `{target}` is below the level reached, `{result['level']}`",
                "set the target at or above the level reached",
            )
        if result["capability"] in seen:
            refs.problems.add(
                data,
                ("results", i, "capability"),
                "duplicate-id",
                f"`{result['capability']}` is assessed twice in this file",
                "keep one result per capability",
            )
        seen.add(result["capability"])
    return _real_date(refs.problems, data, ("date",), meta.get("date"), today)


def _real_date(
    problems: Problems, data: DataFile, at: KeyPath, value: Any, today: dt.date
) -> dt.date | None:
    when = _date(value)
    if when is None:
        problems.add(
            data, at, "invalid-value", f"`{value}` is not a date", "write a real date as YYYY-MM-DD"
        )
    elif when > today:
        problems.add(
            data,
            at,
            "invalid-value",
            f"{when} is in the future",
            "record a value or an assessment once it has happened",
        )
        return None
    return when


def _stale(
    problems: Problems, repo: Repository, data: DataFile, when: dt.date, today: dt.date, days: int
) -> None:
    try:
        due = when + dt.timedelta(days=days)
    except OverflowError:  # an interval past year 9999: never due
        return
    if due >= today:
        return
    unit = repo.units.get(str(data.data.get("unit")))
    owner = unit.get("lead") if unit else data.data.get("assessor")
    role = repo.roles.get(str(owner), {})
    who = f"{role.get('title', owner)} ({owner})" if owner else "no owner"
    if role.get("contact"):
        who += f", {role['contact']}"
    what = f"unit `{unit['id']}`" if unit else "the group"
    problems.add(
        data,
        ("date",),
        "stale-assessment",
        f"the latest assessment of {what} is from {when}, due again since {due}; owner: {who}",
        "assess again and record it in a new file under playbooks/assessments/",
    )


def _series(refs: _Refs, repo: Repository, data: DataFile, today: dt.date) -> None:
    meta = data.data
    refs.check(data, ("unit",), meta.get("unit"), "unit")
    refs.check(data, ("capability",), meta.get("capability"), "capability")
    unit = meta.get("unit") if meta.get("unit") in repo.units else None
    overlay = playbook(repo, unit).overlays.get(str(meta.get("capability")))
    if overlay is not None:
        names = {str(kpi.get("name")) for kpi, _origin in overlay.kpis}
        if meta.get("kpi") not in names:
            hint = did_you_mean(str(meta.get("kpi")), names) or (
                "use the name of a KPI of the capability's overlay: " + ", ".join(sorted(names))
                if names
                else "the capability's overlay has no KPIs here: add this one to its `kpis:`"
            )
            refs.problems.add(
                data,
                ("kpi",),
                "unknown-reference",
                f"KPI `{meta.get('kpi')}` is not a KPI of `{meta.get('capability')}` here",
                hint,
            )
    previous: dt.date | None = None
    for i, point in enumerate(meta.get("values") or []):
        when = _real_date(refs.problems, data, ("values", i, "date"), point["date"], today)
        if when is not None and previous is not None and when <= previous:
            refs.problems.add(
                data,
                ("values", i, "date"),
                "date-order",
                f"{when} comes after {previous} in the file",
                "list the values oldest first, one per date",
            )
        previous = when or previous
