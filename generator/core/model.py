"""The content model: plain frozen dataclasses that carry their source positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KeyPath = tuple[str | int, ...]
DATA_LISTS = {
    "organization": "roles",
    "raci": "activities",
    "unit-raci": "activities",
    "assessment": "results",
    "kpi-series": "values",
}
"""The list of entries in each data file: an invalid entry is dropped, not the whole file."""


def unit_of(path: str) -> str | None:
    """The business unit a playbook file belongs to: `…/units/<unit>/…`, else None (the group)."""
    parts = path.split("/")
    for i in range(len(parts) - 2):
        if parts[i] == "units":
            return parts[i + 1]
    return None


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one: rules read possibly-invalid data safely."""
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    slug: str
    """Anchor id, computed as Python-Markdown's `toc` does (duplicates get `_1`, `_2`)."""
    line: int
    """1-based line in the file."""


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    """The href as written."""
    line: int


@dataclass(frozen=True, slots=True)
class Section:
    """An H2 or H3 heading with the body text up to the next heading of the same or higher rank."""

    heading: Heading
    words: int
    """Words of prose under the heading, sub-sections excluded."""
    children: tuple[Section, ...] = ()


class _SourceFile:
    """What Markdown and data files share: where they are and the line of each key."""

    __slots__ = ()
    path: str
    key_lines: dict[KeyPath, int]

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    @property
    def unit(self) -> str | None:
        return unit_of(self.path)

    def line_of(self, path: KeyPath) -> int:
        """The line of the deepest known key on `path`, else the first line."""
        for end in range(len(path), 0, -1):
            line = self.key_lines.get(path[:end])
            if line is not None:
                return line
        return 1


@dataclass(slots=True)
class Document(_SourceFile):
    """One Markdown file with front matter."""

    path: str
    """Repository-relative POSIX path."""
    meta: dict[str, Any]
    key_lines: dict[KeyPath, int]
    """Line of every front-matter key and list item, by key path."""
    body: str
    body_line: int
    """1-based file line on which the body starts."""
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    broken: list[KeyPath] = field(default_factory=list)
    """Key paths of front-matter values YAML could not build (kept as written, reported)."""

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def id(self) -> str:
        return str(self.meta.get("id", ""))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))


@dataclass(slots=True)
class DataFile(_SourceFile):
    """A YAML data file (roster, RACI matrix, a unit's RACI changes, assessment, KPI series)."""

    path: str
    data: dict[str, Any]
    key_lines: dict[KeyPath, int]
    broken: list[KeyPath] = field(default_factory=list)
    """Key paths of values YAML could not build (kept as written, reported)."""
    kind: str = ""
    """Which data file it is: a key of DATA_LISTS."""


@dataclass(slots=True)
class Repository:
    """Everything loaded from `content/` and `playbooks/`."""

    documents: list[Document] = field(default_factory=list)
    organization: DataFile | None = None
    raci: DataFile | None = None
    unit_racis: list[DataFile] = field(default_factory=list)
    """Each business unit's changes to the RACI matrix (and its adoption status)."""
    assessments: list[DataFile] = field(default_factory=list)
    kpi_series: list[DataFile] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Every file that was read, including ones that failed to load."""
    unresolved: set[str] = field(default_factory=set)
    """File stems and ids of documents that could not be read or typed, and ids of data entries
    (roles, activities) dropped as invalid; references to them are not reported again, so one
    broken file gives one error, not one per page that links to it."""
    invalid: list[Document] = field(default_factory=list)
    """Documents that failed their schema, taken out of `documents` by the schema gate: only
    checks of the Markdown body (sections) read them; their front matter is not to be trusted."""
    named_by_invalid: set[str] = field(default_factory=set)
    """Role ids that dropped RACI activities assign: not reported as unused."""
    unknown_lists: set[str] = field(default_factory=set)
    """Data lists dropped as a whole (`roles`, `activities`): what they would have defined is
    unknown, so references to roles and unused roles are not reported."""

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

    def by_id(self, kind: str) -> dict[str, Document]:
        return {d.id: d for d in self.documents if d.kind == kind and d.id}

    @property
    def roles(self) -> dict[str, dict[str, Any]]:
        if not self.organization:
            return {}
        roles = self.organization.data.get("roles") or []
        return {r["id"]: r for r in roles if isinstance(r, dict) and isinstance(r.get("id"), str)}

    @property
    def units(self) -> dict[str, dict[str, Any]]:
        """Unit id -> its entry in the roster, in the order written."""
        if not self.organization:
            return {}
        units = self.organization.data.get("units") or []
        return {u["id"]: u for u in units if isinstance(u, dict) and isinstance(u.get("id"), str)}

    @property
    def activities(self) -> list[dict[str, Any]]:
        if not self.raci:
            return []
        acts = self.raci.data.get("activities") or []
        return [a for a in acts if isinstance(a, dict)]
