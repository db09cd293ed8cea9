"""RACI consistency: one Accountable, at least one Responsible, every role used."""

from __future__ import annotations

from ..config import Config
from ..diagnostics import Diagnostic
from ..model import Repository


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    if not repo.raci:
        return []
    raci, problems, used = repo.raci, [], set()
    for i, act in enumerate(raci.data.get("activities") or []):
        if not isinstance(act, dict) or not isinstance(act.get("assignments"), dict):
            continue
        letters = act["assignments"]
        used.update(letters)
        line, name = raci.line_of(("activities", i, "assignments")), act.get("id", f"#{i + 1}")
        accountable = [role for role, letter in letters.items() if letter == "A"]
        if len(accountable) != 1:
            found = ", ".join(accountable) if accountable else "none"
            problems.append(
                Diagnostic(
                    raci.path,
                    line,
                    "raci-accountable",
                    f"activity `{name}` needs exactly one A (accountable), found {found}",
                    "keep one A; make the others R (responsible) or C (consulted)",
                )
            )
        if "R" not in letters.values():
            problems.append(
                Diagnostic(
                    raci.path,
                    line,
                    "raci-responsible",
                    f"activity `{name}` has no R (responsible)",
                    "give the role that does the work an R; the A may also be the R",
                )
            )
    org = repo.organization
    if org:
        for i, role in enumerate(org.data.get("roles") or []):
            if isinstance(role, dict) and role.get("id") not in used:
                problems.append(
                    Diagnostic(
                        org.path,
                        org.line_of(("roles", i, "id")),
                        "unused-role",
                        f"role `{role.get('id')}` has no RACI assignment",
                        "assign it in playbooks/raci.yml or remove it from the roster",
                    )
                )
    return problems
