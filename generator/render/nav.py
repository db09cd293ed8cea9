"""The site navigation: by domain, persona, phase and organization, built from the graph.

Material writes navigation titles into its pages as they are (MkDocs' templates do not
autoescape), so every title taken from data is HTML-escaped here, by `_t`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

from ..core import layout
from ..core.graph import Graph, _order

NavItem = Any
T = TypeVar("T")

GROUP_ABOVE = 60
"""A domain with more capabilities than this lists them in the navigation in alphabetical groups
of GROUP_SIZE. Material renders the whole open section on every page, so one flat section of
500 capabilities makes every page carry 500 links and the build grow with N squared."""
GROUP_SIZE = 40


def groups(items: list[T], title: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Consecutive runs of GROUP_SIZE items, labelled like a dictionary's guide words."""
    runs = [items[i : i + GROUP_SIZE] for i in range(0, len(items), GROUP_SIZE)]
    out = []
    for run in runs:
        first, last = title(run[0]).split(), title(run[-1]).split()
        words = 1 if first[:1] != last[:1] else 2
        out.append((f"{' '.join(first[:words])} – {' '.join(last[:words])}", run))
    return out


def _t(title: Any) -> str:
    return escape(str(title))


def _entries(g: Graph, docs: list[Any]) -> list[NavItem]:
    return [{_t(d.title): g.docs_path[d.path]} for d in docs if d.path in g.docs_path]


def build(g: Graph, org_name: str, generated: list[str], packs: bool) -> list[NavItem]:
    content = g.content_dir + "/"
    placed: set[str] = set()

    def take(docs: list[Any]) -> list[NavItem]:
        placed.update(d.path for d in docs)
        return _entries(g, docs)

    framework: list[NavItem] = []
    what = [d for d in g.repo.of_kind("page") if d.path == content + "what-is-finops.md"]
    framework += take(what)
    for domain in g.domains:
        caps = g.by_domain.get(domain.id, [])
        listed = take(caps)
        if len(caps) > GROUP_ABOVE:
            listed = [{_t(label): take(run)} for label, run in groups(caps, lambda d: d.title)]
        framework.append({_t(domain.title): [{"Overview": g.docs_path[domain.path]}, *listed]})
        placed.add(domain.path)
    personas = list(g.personas.values())
    core = [p for p in personas if p.meta.get("type") == "core"]
    allied = [p for p in personas if p.meta.get("type") != "core"]
    framework.append(
        {"Personas": take(core) + ([{"Allied personas": take(allied)}] if allied else [])}
    )
    for kind, title in (("principle", "Principles"), ("phase", "Phases")):
        docs = sorted(g.repo.of_kind(kind), key=_order)
        if docs:
            framework.append({title: take(docs)})
    about = [d for d in g.repo.of_kind("page") if d.path.startswith(content + "about/")]
    placed.update(d.path for d in about)
    rest = sorted(
        (d for d in g.repo.of_kind("page") if d.path.startswith(content) and d.path not in placed),
        key=lambda d: d.path,
    )
    framework += take(rest)
    framework.append({"What changed": layout.WHAT_CHANGED})

    org: list[NavItem] = [{"Overview": "organization/index.md"}]
    if g.charter:
        org.append({_t(g.charter.title): g.docs_path[g.charter.path]})
    org += [
        {"Who does what (RACI)": "organization/raci.md"},
        {"Maturity overview": "organization/maturity.md"},
        {"Adoption roadmap": ["organization/adoption/index.md", *_entries(g, g.adoption)]},
        {"Roles": [{_t(r["title"]): f"organization/roles/{rid}.md"} for rid, r in g.roles.items()]},
    ]
    if g.repo.units:
        units = [{_t(u["name"]): f"organization/units/{uid}.md"} for uid, u in g.repo.units.items()]
        org.append({"Business units": ["organization/units/index.md", *units]})
    nav: list[NavItem] = [
        {"Home": "index.md"},
        {"FinOps Framework": framework},
        {_t(org_name): org},
    ]
    if packs:
        nav.append({"Onboarding packs": "packs/index.md"})
    about_nav = _entries(g, sorted(about, key=lambda d: d.path))
    about_nav += [
        {"Review status": "about/review-status.md"},
        {"Check codes": "about/check-codes.md"},
        {"Content model reference": "about/content-model-reference.md"},
    ]
    nav.append({"About this site": about_nav})
    known = set(generated) | set(g.docs_path.values())
    return _prune(nav, known)


def _prune(items: list[NavItem], known: set[str]) -> list[NavItem]:
    """Drop entries whose page does not exist (e.g. no charter or no packs in a small repo)."""
    out: list[NavItem] = []
    for item in items:
        if isinstance(item, str):
            if item in known:
                out.append(item)
            continue
        ((title, value),) = item.items()
        if isinstance(value, list):
            kept = _prune(value, known)
            if kept:
                out.append({title: kept})
        elif value in known:
            out.append(item)
    return out
