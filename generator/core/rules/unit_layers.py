"""A unit's layers on the group's playbooks: they belong to a known unit, name activities,
capabilities, roles and phases that exist, and do not contradict themselves."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import did_you_mean
from ..model import DataFile, Document, KeyPath, Repository
from ..units import lineage, playbook


class _Known:
    """The ids a layer may name, read once."""

    def __init__(self, repo: Repository) -> None:
        self.units = set(repo.units)
        self.roles = set(repo.roles)
        self.capabilities = set(repo.by_id("capability"))
        self.phases = set(repo.by_id("adoption-phase"))
        self.skip = set(repo.unknown_lists) | repo.unresolved


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    problems, known = Problems(), _Known(repo)
    if "units" in repo.unknown_lists:
        return problems
    seen: set[str | None] = set()
    for data in repo.unit_racis:
        if _in_known_unit(problems, known, data, data.unit):
            _raci_layer(problems, known, repo, data)
        seen.add(data.unit)
    pairs: dict[tuple[str | None, str], str] = {}
    for doc in repo.of_kind("unit-overlay"):
        if _in_known_unit(problems, known, doc, doc.unit):
            _overlay_layer(problems, known, doc, pairs)
    for doc in repo.of_kind("overlay"):
        if doc.unit is not None:
            problems.add(
                doc,
                ("kind",),
                "invalid-value",
                "an overlay in a unit's folder must be a `unit-overlay`",
                "write `kind: unit-overlay`; it changes only what differs in this unit",
            )
    return problems


def _in_known_unit(
    problems: Problems, known: _Known, source: DataFile | Document, unit: str | None
) -> bool:
    if unit is None:
        problems.add(
            source,
            1,
            "invalid-value",
            "a unit layer outside `playbooks/units/<unit>/`",
            "move it into the folder of its unit, e.g. `playbooks/units/freight/`",
        )
        return False
    if unit in known.units:
        return True
    hint = did_you_mean(unit, known.units) or "add the unit to `units:` in organization.yml"
    problems.add(source, 1, "unknown-reference", f"folder `units/{unit}` is not a known unit", hint)
    return False


def _ref(
    problems: Problems,
    source: DataFile | Document,
    at: KeyPath,
    value: Any,
    ids: set[str],
    kind: str,
    known: _Known,
) -> None:
    if not isinstance(value, str) or value in ids or value in known.skip:
        return
    hint = did_you_mean(value, ids) or f"known {kind} ids: {', '.join(sorted(ids)) or 'none'}"
    problems.add(source, at, "unknown-reference", f"{kind} `{value}` is not a known {kind}", hint)


def _raci_layer(problems: Problems, known: _Known, repo: Repository, data: DataFile) -> None:
    # What the unit inherits: the group's rows with the layers of the units above it.
    parent = lineage(repo, data.unit)[:-1]
    inherited = {
        row.activity.get("id") for row in playbook(repo, parent[-1] if parent else None).rows
    }
    removed = set(data.data.get("remove") or [])
    ids: set[str] = set()
    for i, act in enumerate(data.data.get("activities") or []):
        at: KeyPath = ("activities", i)
        if act["id"] in ids:
            problems.add(
                data,
                at + ("id",),
                "duplicate-id",
                f"activity `{act['id']}` is changed twice in this unit",
                "merge the two entries into one",
            )
        ids.add(act["id"])
        if act["id"] in removed:
            problems.add(
                data,
                at + ("id",),
                "conflicting-override",
                f"activity `{act['id']}` is both changed and removed in this unit",
                "keep the change or the removal, not both",
            )
        if act["id"] not in inherited and not ("title" in act and "capability" in act):
            problems.add(
                data,
                at,
                "missing-key",
                f"new activity `{act['id']}` needs `title` and `capability`",
                "add them, or use the id of a group activity to change it",
            )
        _ref(
            problems,
            data,
            at + ("capability",),
            act.get("capability"),
            known.capabilities,
            "capability",
            known,
        )
        for role in act["assignments"]:
            _ref(problems, data, at + ("assignments", role), role, known.roles, "role", known)
    for i, aid in enumerate(data.data.get("remove") or []):
        if aid not in inherited:
            hint = did_you_mean(aid, {str(a) for a in inherited}) or "name a group activity id"
            problems.add(
                data,
                ("remove", i),
                "unknown-reference",
                f"activity `{aid}` is not in the matrix this unit inherits",
                hint,
            )
    for phase in data.data.get("adoption") or {}:
        _ref(problems, data, ("adoption", phase), phase, known.phases, "adoption-phase", known)


def _overlay_layer(
    problems: Problems, known: _Known, doc: Document, pairs: dict[tuple[str | None, str], str]
) -> None:
    cap = str(doc.meta.get("capability"))
    _ref(problems, doc, ("capability",), cap, known.capabilities, "capability", known)
    _ref(problems, doc, ("owner",), doc.meta.get("owner"), known.roles, "role", known)
    key = (doc.unit, cap)
    if key in pairs:
        problems.add(
            doc,
            ("capability",),
            "duplicate-overlay",
            f"unit `{doc.unit}` already has an overlay for `{cap}`: {pairs[key]}",
            "merge the two overlays into one file",
        )
    pairs.setdefault(key, doc.path)
