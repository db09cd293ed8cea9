"""Editions of the FinOps Framework: what a capability's former names say about its history.

A capability's `aliases` carry the edition(s) that used each former name (`framework: "2023"`
or `"2024-2025"`) and how the name went (`change`: renamed, merged into this capability, or
removed with its concerns covered here); `added_in` records the edition that introduced a
capability. The capability page's "Formerly" line and the "What changed" page both read them
from here, so they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .ids import is_slug
from .model import Document

CHANGES = ("renamed", "merged", "removed")
_EDITION = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True, slots=True)
class Former:
    """One former name of a capability."""

    slug: str
    title: str
    first: int | None = None
    """First edition that used the name (None: not recorded)."""
    last: int | None = None
    """Last edition that used the name; the change came with the edition after it."""
    change: str = "renamed"

    @property
    def editions(self) -> str:
        """ "FinOps Framework 2023", "FinOps Framework 2024–2025", or "" if not recorded."""
        if self.first is None or self.last is None:
            return ""
        years = str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        return f"FinOps Framework {years}"


def edition_range(value: Any) -> tuple[int, int] | None:
    """(first, last) year of an alias's `framework` value, or None if it is not one."""
    match = _EDITION.match(str(value)) if isinstance(value, str | int) else None
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return (first, last) if first <= last else None


def formers(meta: dict[str, Any]) -> list[Former]:
    """The former names in a capability's front matter, in the order written."""
    out: list[Former] = []
    aliases = meta.get("aliases")
    for alias in aliases if isinstance(aliases, list) else []:
        if not isinstance(alias, dict) or not is_slug(alias.get("slug")):
            continue  # check reports it; a slug becomes a path of the site
        years = edition_range(alias.get("framework"))
        change = alias.get("change")
        out.append(
            Former(
                alias["slug"],
                str(alias.get("title") or alias["slug"]),
                years[0] if years else None,
                years[1] if years else None,
                change if change in CHANGES else "renamed",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the "What changed" page: a capability and, for a former name, that name."""

    capability: Document
    old: str = ""
    """The former name (renamed, merged, removed), or the name it was added under."""
    then: str = ""
    """The capability's name in that edition, where it is not its name today."""


@dataclass(slots=True)
class Edition:
    year: int
    renamed: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    merged: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.renamed or self.added or self.merged or self.removed)


def added_in(meta: dict[str, Any]) -> int | None:
    years = edition_range(meta.get("added_in"))
    return years[0] if years and years[0] == years[1] else None


def _name_in(cap: Document, year: int) -> str:
    """The capability's name in edition `year` (its former name then, else its title)."""
    for former in formers(cap.meta):
        if former.change == "renamed" and former.first and former.last:
            if former.first <= year <= former.last:
                return former.title
    return cap.title


def history(capabilities: Iterable[Document]) -> tuple[list[Edition], list[Entry]]:
    """(editions after the first one recorded, newest first; former names with no edition).

    A name last used in edition N changed in the next edition recorded after N (N + 1 if none
    is), so 2024–2025 names show under 2026 and 2023 names under 2024.
    """
    caps = sorted(capabilities, key=lambda c: c.title.lower())
    years: set[int] = set()
    for cap in caps:
        for former in formers(cap.meta):
            if former.first and former.last:
                years.update(range(former.first, former.last + 1))
        for value in (added_in(cap.meta), edition_range(cap.meta.get("framework_version"))):
            if isinstance(value, int):
                years.add(value)
            elif value:
                years.add(value[0])
    editions = {y: Edition(y) for y in sorted(years)[1:]}
    undated: list[Entry] = []
    for cap in caps:
        for former in formers(cap.meta):
            if former.last is None:
                undated.append(Entry(cap, former.title))
                continue
            year = min((y for y in editions if y > former.last), default=former.last + 1)
            edition = editions.setdefault(year, Edition(year))
            then = _name_in(cap, year)
            entry = Entry(cap, former.title, "" if then == cap.title else then)
            getattr(edition, former.change).append(entry)
        year_added = added_in(cap.meta)
        if year_added in editions:
            then = _name_in(cap, year_added)
            entry = Entry(cap, then, "" if then == cap.title else then)
            editions[year_added].added.append(entry)
    return sorted(editions.values(), key=lambda e: -e.year), undated
