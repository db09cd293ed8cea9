"""RACI consistency: one Accountable, at least one Responsible, every role used, in the group's
matrix and in every unit's."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..model import DataFile, Repository


def _activity(raci: DataFile, i: int, act: dict[str, Any]) -> list[Diagnostic]:
    """One A and at least one R, reported at the entries that break it."""
    letters: dict[str, str] = act["assignments"]
    name = act.get("id", f"#{i + 1}")
    here = raci.line_of(("activities", i))
    problems = Problems()
    accountable = [role for role, letter in letters.items() if letter == "A"]
    if len(accountable) != 1:
        # at the first A too many, or at the activity when it has none
        line = (
            raci.line_of(("activities", i, "assignments", accountable[1])) if accountable else here
        )
        found = ", ".join(accountable) if accountable else "none"
        problems.add(
            raci,
            line,
            "raci-accountable",
            f"activity `{name}` needs exactly one A (accountable), found {found}",
            "keep one A; make the others R (responsible) or C (consulted)"
            if accountable
            else "make the role that answers for the outcome the A",
        )
    if "R" not in letters.values():
        problems.add(
            raci,
            here,
            "raci-responsible",
            f"activity `{name}` has no R (responsible)",
            "give the role that does the work an R; the A may also be the R",
        )
    return problems


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    if not repo.raci:
        return []
    raci, problems, used = repo.raci, Problems(), set(repo.named_by_invalid)
    for i, act in enumerate(repo.activities):  # valid, typed entries: the schema gate ran
        used.update(act["assignments"])
        problems += _activity(raci, i, act)
    # A unit's rows replace the group's assignments whole, so each holds on its own: checking
    # them in the unit's file checks every unit's effective matrix, at the unit's line.
    for layer in repo.unit_racis:
        for i, act in enumerate(layer.data.get("activities") or []):
            used.update(act["assignments"])
            problems += _activity(layer, i, act)
    org = repo.organization
    if org and "activities" not in repo.unknown_lists:
        for i, role in enumerate(org.data.get("roles") or []):
            if role["id"] not in used:
                problems.add(
                    org,
                    ("roles", i, "id"),
                    "unused-role",
                    f"role `{role['id']}` has no RACI assignment",
                    "assign it in playbooks/raci.yml or remove it from the roster",
                )
    return problems
