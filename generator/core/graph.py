"""Stage 3: the link graph — who relates to, owns, links to and is expected to do what."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .layout import docs_path, resolve_link
from .model import DataFile, Document, Heading, Repository
from .units import Playbook, playbook

LEVELS = ("crawl", "walk", "run")


@dataclass(slots=True)
class Activity:
    """The functional activities one persona has in one capability (an H3 of that page)."""

    capability: Document
    heading: Heading
    text: str


@dataclass(frozen=True, slots=True)
class Assessed:
    """One capability's result in one assessment."""

    date: str
    unit: str | None
    scope: str | None
    level: str
    target: str | None
    source: DataFile


@dataclass(slots=True)
class Graph:
    repo: Repository
    content_dir: str
    docs_path: dict[str, str] = field(default_factory=dict)
    """Repository path -> path inside the site's docs tree."""
    capabilities: dict[str, Document] = field(default_factory=dict)
    domains: list[Document] = field(default_factory=list)
    phases: list[Document] = field(default_factory=list)
    """Lifecycle phases in their order."""
    personas: dict[str, Document] = field(default_factory=dict)
    overlays: dict[str, Document] = field(default_factory=dict)
    by_domain: dict[str, list[Document]] = field(default_factory=dict)
    by_phase: dict[str, list[Document]] = field(default_factory=dict)
    referenced_by: dict[str, list[Document]] = field(default_factory=dict)
    """Capability id -> capabilities that list it in `related`."""
    backlinks: dict[str, list[Document]] = field(default_factory=dict)
    """Repository path -> documents whose body links to it."""
    activities: dict[str, list[Activity]] = field(default_factory=dict)
    """Persona id -> functional activities across capabilities."""
    raci_by_capability: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    raci_by_role: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    committees: dict[str, list[str]] = field(default_factory=dict)
    """Role id -> its seats on the steering committee (chair, sponsor, member)."""
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Role id -> its entry in the roster (read once: every role link looks it up)."""
    playbooks: dict[str | None, Playbook] = field(default_factory=dict)
    """Unit id (None: the group) -> its effective playbook."""
    assessed: dict[str, list[Assessed]] = field(default_factory=dict)
    """Capability id -> its assessment results over time, oldest first."""
    series: dict[str, list[DataFile]] = field(default_factory=dict)
    """Capability id -> its KPI series (one per KPI and unit)."""

    @property
    def charter(self) -> Document | None:
        found = self.repo.of_kind("charter")
        return found[0] if found else None

    @property
    def adoption(self) -> list[Document]:
        return sorted(self.repo.of_kind("adoption-phase"), key=lambda d: _order(d))


def _order(doc: Document) -> tuple[int, str]:
    order = doc.meta.get("order")
    return (order if isinstance(order, int) else 999, doc.title)


def section_text(doc: Document, heading: Heading, headings: list[Heading]) -> str:
    """The Markdown under `heading`, up to the next heading of any level in `headings`."""
    return _Body(doc, headings).text_under(heading)


class _Body:
    """A document's lines and heading lines, split once: a page may have thousands of headings,
    and finding each one's end by scanning all of them was quadratic."""

    def __init__(self, doc: Document, headings: list[Heading]) -> None:
        self.doc = doc
        self.lines = doc.body.split("\n")
        self.starts = sorted(h.line for h in headings)

    def text_under(self, heading: Heading) -> str:
        start = heading.line - self.doc.body_line + 1
        after = bisect_right(self.starts, heading.line)
        end = self.starts[after] - self.doc.body_line if after < len(self.starts) else None
        return "\n".join(self.lines[start:end]).strip()


def build(repo: Repository, content_dir: str, playbooks_dir: str) -> Graph:
    g = Graph(repo, content_dir)
    for doc in repo.documents:
        path = docs_path(doc, content_dir, playbooks_dir)
        if path:
            g.docs_path[doc.path] = path
    g.roles = repo.roles
    g.domains = sorted(repo.of_kind("domain"), key=_order)
    g.phases = sorted(repo.of_kind("phase"), key=_order)
    rank = {d.id: i for i, d in enumerate(g.domains)}
    g.capabilities = dict(
        sorted(
            repo.by_id("capability").items(),
            key=lambda kv: (rank.get(str(kv[1].meta.get("domain")), 99), kv[1].title),
        )
    )
    g.personas = dict(
        sorted(
            repo.by_id("persona").items(),
            key=lambda kv: (kv[1].meta.get("type") != "core", kv[1].title),
        )
    )
    g.overlays = {str(d.meta.get("capability")): d for d in repo.of_kind("overlay")}
    _index_capabilities(g)
    g.backlinks = _backlinks(repo)
    _index_raci(g)
    g.committees = _committees(g.charter)
    g.playbooks = {None: playbook(repo, None)} | {u: playbook(repo, u) for u in repo.units}
    g.assessed, g.series = _history(repo)
    return g


def _history(repo: Repository) -> tuple[dict[str, list[Assessed]], dict[str, list[DataFile]]]:
    assessed: dict[str, list[Assessed]] = defaultdict(list)
    for data in repo.assessments:
        meta = data.data
        for result in meta.get("results") or []:
            assessed[result["capability"]].append(
                Assessed(
                    str(meta["date"]),
                    meta.get("unit"),
                    meta.get("scope"),
                    result["level"],
                    result.get("target"),
                    data,
                )
            )
    for results in assessed.values():
        results.sort(key=lambda a: a.date)
    series: dict[str, list[DataFile]] = defaultdict(list)
    for data in repo.kpi_series:
        series[str(data.data.get("capability"))].append(data)
    return dict(assessed), dict(series)


def _index_capabilities(g: Graph) -> None:
    """Capabilities by domain, by phase, by who relates to them; activities by persona."""
    by_domain: dict[str, list[Document]] = defaultdict(list)
    by_phase: dict[str, list[Document]] = defaultdict(list)
    referenced: dict[str, list[Document]] = defaultdict(list)
    activities: dict[str, list[Activity]] = defaultdict(list)
    titles = {p.title.lower(): pid for pid, p in g.personas.items()} | {p: p for p in g.personas}
    for cap in g.capabilities.values():
        by_domain[str(cap.meta.get("domain"))].append(cap)
        for phase in cap.meta.get("phases") or []:
            by_phase[phase].append(cap)
        for other in cap.meta.get("related") or []:
            referenced[other].append(cap)
        for pid, activity in _activities(cap, titles):
            activities[pid].append(activity)
    g.by_domain, g.by_phase, g.referenced_by = by_domain, by_phase, referenced
    g.activities = activities


def _activities(cap: Document, titles: dict[str, str]) -> list[tuple[str, Activity]]:
    """(persona id, activity) of each persona H3 under the capability's Functional activities."""
    section = next(
        (s for s in cap.sections if s.heading.text.lower() == "functional activities"), None
    )
    if not section or not section.children:
        return []
    body = _Body(cap, cap.headings)
    out = []
    for child in section.children:
        pid = titles.get(child.heading.text.lower())
        if pid:
            out.append((pid, Activity(cap, child.heading, body.text_under(child.heading))))
    return out


def _backlinks(repo: Repository) -> dict[str, list[Document]]:
    backlinks: dict[str, list[Document]] = defaultdict(list)
    for doc in repo.documents:
        targets = {resolve_link(doc.path, link.target)[0] for link in doc.links}
        for target in targets:
            if target and target != doc.path:
                backlinks[target].append(doc)
    return backlinks


def _index_raci(g: Graph) -> None:
    by_cap: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_role: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for act in g.repo.activities:
        by_cap[str(act.get("capability"))].append(act)
        for role in act.get("assignments") or {}:
            by_role[role].append(act)
    g.raci_by_capability, g.raci_by_role = by_cap, by_role


def _committees(charter: Document | None) -> dict[str, list[str]]:
    """Role id -> its seats on the steering committee."""
    committees: dict[str, list[str]] = defaultdict(list)
    if charter is None:
        return committees
    m = charter.meta
    for seat in ("chair", "sponsor"):
        if isinstance(m.get(seat), str):
            committees[m[seat]].append(seat)
    for member in m.get("members") or []:
        if "chair" not in committees[member] and "sponsor" not in committees[member]:
            committees[member].append("member")
    return committees
