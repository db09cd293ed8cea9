"""Facts that several pages and rules show, each worked out in one place: who owns a page,
when its review is due, how mature a capability is here, and the did-you-mean of a typo.
Everyone reads them from here, so the footer, the review-status page and `check` agree."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import Document

CUTOFF = 0.6
"""How alike a typo and a name must be (difflib's ratio) to be offered as a correction."""


def page_owner(doc: Document, overlays: dict[str, Document]) -> str | None:
    """Role id that keeps `doc` current: its own owner, its overlay's, a charter's chair."""
    meta = doc.meta
    if isinstance(meta.get("owner"), str):
        return str(meta["owner"])
    if doc.kind == "capability" and doc.id in overlays:
        owner = overlays[doc.id].meta.get("owner")
        return str(owner) if isinstance(owner, str) else None
    if doc.kind == "charter" and isinstance(meta.get("chair"), str):
        return str(meta["chair"])
    return None


def review_due(doc: Document, default_days: int) -> dt.date | None:
    """The date the page's next review is due, or None if it has no valid review date."""
    try:
        last = dt.date.fromisoformat(str(doc.meta.get("last_reviewed")))
    except ValueError:
        return None
    interval = doc.meta.get("review_interval_days")
    days = interval if isinstance(interval, int) and interval > 0 else default_days
    try:
        return last + dt.timedelta(days=days)
    except OverflowError:  # due after year 9999: as good as never
        return dt.date.max


@dataclass(frozen=True, slots=True)
class Maturity:
    current: Any
    target: Any
    assessed_on: Any = None
    """The `assessed` date of the overlay, as written."""

    @property
    def known(self) -> bool:
        return self.current is not None or self.target is not None


def maturity(overlay: Document | None) -> Maturity:
    """A capability's maturity here, from its overlay (both None when not assessed)."""
    mat = overlay.meta.get("maturity") if overlay else None
    if not isinstance(mat, dict):
        return Maturity(None, None)
    return Maturity(mat.get("current"), mat.get("target"), mat.get("assessed"))


def closest(word: str, choices: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The name among `choices` that `word` most likely misspells, if any is close enough."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return match[0] if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The hint for a misspelled name: "did you mean `x`?", or empty."""
    match = closest(word, choices)
    return f"did you mean `{match}`?" if match else ""
