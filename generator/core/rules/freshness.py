"""Overdue reviews: `last_reviewed` plus the review interval, naming who owns the page."""

from __future__ import annotations

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import page_owner, review_due
from ..model import Repository


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    today = config.clock()
    overlays = {str(d.meta.get("capability")): d for d in repo.of_kind("overlay")}
    roles = repo.roles
    problems = Problems()
    for doc in repo.documents:
        if "last_reviewed" not in doc.meta:
            continue
        line = doc.line_of(("last_reviewed",))
        due = review_due(doc, config.review_interval_days)
        if due is None:
            problems.add(
                doc,
                line,
                "invalid-value",
                f"`last_reviewed`: `{doc.meta['last_reviewed']}` is not a date",
                "write the date as YYYY-MM-DD",
            )
            continue
        if due >= today:
            continue
        owner = page_owner(doc, overlays)
        role = roles.get(owner or "", {})
        who = f"{role.get('title', owner)} ({owner})" if owner else "no owner"
        if role.get("contact"):
            who += f", {role['contact']}"
        problems.add(
            doc,
            line,
            "overdue-review",
            f"review overdue since {due.isoformat()} "
            f"(last reviewed {doc.meta['last_reviewed']}); owner: {who}",
            "review the page, then set `last_reviewed` to today's date",
        )
    return problems
