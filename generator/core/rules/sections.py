"""Required H2/H3 sections per kind (DESIGN.md §4)."""

from __future__ import annotations

from functools import lru_cache

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import closest, did_you_mean
from ..model import Document, Repository, Section

# kind -> ordered required H2 sections, each with its required H3 children
REQUIRED: dict[str, list[tuple[str, list[str]]]] = {
    "capability": [
        ("Definition", []),
        ("Why it matters", []),
        ("Maturity", ["Crawl", "Walk", "Run"]),
        ("Functional activities", []),
        ("Measures of success", []),
        ("Inputs and outputs", []),
    ],
    "domain": [("Overview", [])],
    "persona": [("Role in FinOps", [])],
    "overlay": [("How we do it here", [])],
    "charter": [
        (name, [])
        for name in (
            "Purpose",
            "Scope",
            "Membership",
            "Decision rights",
            "Cadence and agenda",
            "Escalation",
            "Records",
            "Review",
        )
    ],
    "adoption-phase": [("Goals", []), ("Activities", []), ("Exit criteria", [])],
}
PERSONA_SECTION = "Functional activities"


def structure(kind: str) -> str:
    """The required outline of a kind, for hints."""
    parts = []
    for name, children in REQUIRED.get(kind, []):
        parts.append(
            f"## {name}" + (f" ({', '.join('### ' + c for c in children)})" if children else "")
        )
    return " · ".join(parts)


@lru_cache(maxsize=4096)  # the same few headings recur on every page
def _norm(text: str) -> str:
    return " ".join(text.lower().replace("&", "and").split())


def _match(
    doc: Document,
    found: list[Section],
    required: list[str],
    where: str,
    fallback_line: int,
    kind: str,
) -> tuple[dict[str, Section], Problems]:
    """Pair required names with found sections; report missing and misspelled ones."""
    problems = Problems()
    by_name = {_norm(s.heading.text): s for s in found}
    matched: dict[str, Section] = {}
    leftovers = [s for s in found if _norm(s.heading.text) not in {_norm(r) for r in required}]
    for name in required:
        section = by_name.get(_norm(name))
        if section is None:
            close = closest(_norm(name), [_norm(s.heading.text) for s in leftovers], 0.7)
            if close:
                section = next(s for s in leftovers if _norm(s.heading.text) == close)
                leftovers.remove(section)
                hashes = "#" * section.heading.level
                problems.add(
                    doc,
                    section.heading.line,
                    "misspelled-section",
                    f"section `{section.heading.text}` should be `{name}`",
                    f"rename the heading to `{hashes} {name}`",
                )
            else:
                problems.add(
                    doc,
                    _expected_line(found, matched, fallback_line),
                    "missing-section",
                    f"missing required section `{name}`{where}",
                    f"a {kind} needs: {structure(kind)}",
                )
                continue
        matched[name] = section
    return matched, problems


def _expected_line(found: list[Section], matched: dict[str, Section], fallback: int) -> int:
    """Where a missing section belongs: just after the last required section found so far."""
    if not matched:
        return found[0].heading.line if found else fallback
    last = max(matched.values(), key=lambda s: s.heading.line)
    later = [s.heading.line for s in found if s.heading.line > last.heading.line]
    return min(later) if later else fallback


def _is_empty(section: Section) -> bool:
    return section.words == 0 and all(_is_empty(c) for c in section.children)


def check_document(
    doc: Document,
    personas: dict[str, str],
    unsure: frozenset[str] = frozenset(),
    trusted: bool = True,
) -> list[Diagnostic]:
    """Required sections of `doc`; with `trusted` False (invalid front matter), the persona
    sections, which the front matter lists, are not checked."""
    required = REQUIRED.get(doc.kind)
    if not required:
        return []
    end_line = doc.body_line + doc.body.count("\n")
    matched, problems = _match(doc, doc.sections, [n for n, _ in required], "", end_line, doc.kind)
    for name, children in required:
        section = matched.get(name)
        if section is None:
            continue
        if children:
            below = section.heading.line + 1
            sub, found = _match(
                doc, list(section.children), children, f" under `## {name}`", below, doc.kind
            )
            problems += found
            problems += [_empty(doc, s) for s in sub.values() if _is_empty(s)]
        elif _is_empty(section):
            problems.append(_empty(doc, section))
    lines = [matched[n].heading.line for n, _ in required if n in matched]
    if lines != sorted(lines):
        problems.add(
            doc,
            doc.sections[0].heading.line,
            "section-order",
            "required sections are out of order",
            f"order them as: {structure(doc.kind)}",
        )
    if trusted and doc.kind == "capability" and PERSONA_SECTION in matched:
        problems += _persona_sections(doc, matched[PERSONA_SECTION], personas, unsure)
    return problems


def _empty(doc: Document, section: Section) -> Diagnostic:
    return Diagnostic(
        doc.path,
        section.heading.line,
        "empty-section",
        f"section `{section.heading.text}` is empty",
        "write the section's text or remove the heading if it is optional",
    )


def _persona_sections(
    doc: Document, section: Section, personas: dict[str, str], unsure: frozenset[str]
) -> list[Diagnostic]:
    """One H3 per persona: each must name a known persona; lead personas must have one."""
    problems = Problems()
    titles = {_norm(t): pid for pid, t in personas.items()} | {pid: pid for pid in personas}
    seen = set()
    for child in section.children:
        pid = titles.get(_norm(child.heading.text))
        if pid is None and _norm(child.heading.text) in unsure:
            continue
        if pid is None:
            hint = (
                did_you_mean(child.heading.text, personas.values())
                if closest(child.heading.text, personas.values())
                else ("use a persona title: " + ", ".join(personas.values()))
            )
            problems.add(
                doc,
                child.heading.line,
                "unknown-persona-heading",
                f"`### {child.heading.text}` is not a known persona",
                hint,
            )
        else:
            seen.add(pid)
            if _is_empty(child):
                problems.append(_empty(doc, child))
    lead = (
        doc.meta.get("personas", {}).get("lead", [])
        if isinstance(doc.meta.get("personas"), dict)
        else []
    )
    for i, pid in enumerate(lead if isinstance(lead, list) else []):
        if pid in personas and pid not in seen:
            problems.add(
                doc,
                ("personas", "lead", i),
                "missing-persona-activities",
                f"lead persona `{pid}` has no `### {personas[pid]}` under `## {PERSONA_SECTION}`",
                f"add `### {personas[pid]}` with its activities, or move it to `personas.involved`",
            )
    return problems


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    personas = {d.id: d.title for d in repo.of_kind("persona") if d.id}
    # Headings naming a persona whose own file is invalid (or unreadable, when only its file
    # name is known) are not blamed on the page.
    unsure = frozenset(
        [_norm(d.title) for d in repo.invalid if d.kind == "persona"]
        + [_norm(stem.replace("-", " ")) for stem in repo.unresolved]
    )
    problems = Problems()
    for doc in repo.documents:
        problems += check_document(doc, personas, unsure)
    for doc in repo.invalid:  # the body is checked even when the front matter is not valid
        problems += check_document(doc, personas, unsure, trusted=False)
    return problems
