"""Business units in the roster: unique ids, parents and leads that exist, no cycles, and roles
that belong to a known unit."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import did_you_mean
from ..model import DataFile, Repository


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    org = repo.organization
    problems = Problems()
    if org is None or "units" in repo.unknown_lists:
        return problems
    units = org.data.get("units") or []
    known = {u["id"] for u in units if isinstance(u, dict)}
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if unit["id"] in seen:
            problems.add(
                org,
                ("units", i, "id"),
                "duplicate-id",
                f"unit `{unit['id']}` is defined twice",
                "give each unit one entry",
            )
        seen.add(unit["id"])
        _reference(problems, org, ("units", i, "parent"), unit.get("parent"), known, "unit")
        if "roles" not in repo.unknown_lists:
            _reference(
                problems, org, ("units", i, "lead"), unit.get("lead"), set(repo.roles), "role"
            )
    _cycles(problems, org, units)
    for i, role in enumerate(org.data.get("roles") or []):
        _reference(problems, org, ("roles", i, "unit"), role.get("unit"), known, "unit")
    return problems


def _reference(
    problems: Problems, org: DataFile, at: tuple[Any, ...], value: Any, known: set[str], kind: str
) -> None:
    if value is None or value in known:
        return
    hint = did_you_mean(str(value), known) or f"known {kind}s: {', '.join(sorted(known)) or 'none'}"
    problems.add(org, at, "unknown-reference", f"{kind} `{value}` is not a known {kind}", hint)


def _cycles(problems: Problems, org: DataFile, units: list[dict[str, Any]]) -> None:
    """A unit that is its own ancestor, reported once per cycle, at the first unit of it."""
    parent = {u["id"]: u.get("parent") for u in units}
    index = {u["id"]: i for i, u in enumerate(units)}
    reported: set[str] = set()
    for start in parent:
        path, unit = [start], parent.get(start)
        while unit is not None and unit in parent and unit not in path:
            path.append(unit)
            unit = parent[unit]
        if unit != start or start in reported:
            continue
        reported.update(path)
        chain = " → ".join([*path, start])
        problems.add(
            org,
            ("units", index[start], "parent"),
            "unit-cycle",
            f"unit `{start}` is its own ancestor: {chain}",
            "a unit's parent must lead up to the group: remove one `parent` of the chain",
        )
