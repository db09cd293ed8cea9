"""Overdue reviews: `last_reviewed` plus the review interval, naming who owns the page."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..diagnostics import Diagnostic
from ..model import Document, Repository


def owner_of(doc: Document, repo: Repository, overlays: dict[str, Document]) -> str | None:
    """Role id that keeps `doc` current: its own owner, its overlay's, a charter's chair."""
    meta = doc.meta
    if isinstance(meta.get("owner"), str):
        return str(meta["owner"])
    if doc.kind == "capability" and doc.id in overlays:
        return str(overlays[doc.id].meta.get("owner"))
    if doc.kind == "charter" and isinstance(meta.get("chair"), str):
        return str(meta["chair"])
    return None


def due_date(doc: Document, config: Config) -> dt.date | None:
    """The date the page's next review is due, or None if it has no valid review date."""
    try:
        last = dt.date.fromisoformat(str(doc.meta.get("last_reviewed")))
    except ValueError:
        return None
    interval = doc.meta.get("review_interval_days")
    days = interval if isinstance(interval, int) and interval > 0 else config.review_interval_days
    try:
        return last + dt.timedelta(days=days)
    except OverflowError:  # due after year 9999: as good as never
        return dt.date.max


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    today = config.clock()
    overlays = {str(d.meta.get("capability")): d for d in repo.of_kind("overlay")}
    roles = repo.roles
    problems = []
    for doc in repo.documents:
        if "last_reviewed" not in doc.meta:
            continue
        line = doc.line_of(("last_reviewed",))
        due = due_date(doc, config)
        if due is None:
            problems.append(
                Diagnostic(
                    doc.path,
                    line,
                    "invalid-value",
                    f"`last_reviewed`: `{doc.meta['last_reviewed']}` is not a date",
                    "write the date as YYYY-MM-DD",
                )
            )
            continue
        if due >= today:
            continue
        owner = owner_of(doc, repo, overlays)
        role = roles.get(owner or "", {})
        who = f"{role.get('title', owner)} ({owner})" if owner else "no owner"
        if role.get("contact"):
            who += f", {role['contact']}"
        problems.append(
            Diagnostic(
                doc.path,
                line,
                "overdue-review",
                f"review overdue since {due.isoformat()} "
                f"(last reviewed {doc.meta['last_reviewed']}); owner: {who}",
                "review the page, then set `last_reviewed` to today's date",
            )
        )
    return problems
