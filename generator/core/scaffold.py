"""`finops-kb new`: start a file from the content model that passes `check`, never overwriting one.

What a new file refers to (a capability's domain and lead persona, an overlay's capability and
owner, a phase's owner) is taken from the repository, so the file is valid as written; what
cannot be valid (an overlay of an unknown capability, an id in use) is refused before anything is
written. The prose is placeholder text from `placeholders.py`, which `check` reports as
`placeholder-text` until it is replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import load, schema
from .config import Config, ConfigError
from .facts import did_you_mean
from .ids import SLUG_HINT, is_slug, is_slug_path
from .layout import virtual_paths
from .placeholders import CRITERION, KPI, PAGE, PERSONA, SECTIONS, SUMMARY, markdown
from .rules.id_references import ID_KINDS
from .rules.sections import PERSONA_SECTION, REQUIRED

KINDS = ("capability", "overlay", "adoption-phase", "page")
WHERE = {
    "capability": "{content}/capabilities/{id}.md",
    "overlay": "{playbooks}/capabilities/{id}.md",
    "adoption-phase": "{playbooks}/adoption/{id}.md",
    "page": "{content}/{id}.md",
}
PREFERRED_PERSONA = "finops-practitioner"
"""The default lead persona of a new capability, when the repository has it."""
_MARKUP = "\\`<>[]!*_#&"
"""Characters that a heading would read as Markdown, not as text."""
FRAMEWORK_CAPABILITIES = "https://www.finops.org/framework/capabilities/"


@dataclass(frozen=True, slots=True)
class Choices:
    """What the editor chose on the command line (None: let `new` pick from the repository)."""

    domain: str | None = None
    persona: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    """Repository-relative path of the new file."""
    defaults: list[str] = field(default_factory=list)
    """What `new` picked for the editor, to say so (`domain \\`x\\``)."""
    next: str = "replace its placeholder text; `finops-kb check` shows where"
    """What the editor does next."""


class _Known:
    """The ids of the repository that a new file may refer to or must not repeat."""

    def __init__(self, config: Config) -> None:
        repo, _problems = load.load(config.root, config.dirs)
        everything = list(repo.documents)
        schema.run(repo)  # the gate: only valid files are offered as references
        self.used = {d.id: d.path for d in everything if d.kind in ID_KINDS and d.id}
        self.aliases = {
            a["slug"]: d.id
            for d in repo.of_kind("capability")
            for a in d.meta.get("aliases") or []
            if isinstance(a, dict) and isinstance(a.get("slug"), str)
        }
        self.capabilities = {d.id for d in everything if d.kind == "capability" and d.id}
        self.overlays = {str(d.meta.get("capability")): d.path for d in repo.of_kind("overlay")}
        domains = sorted(repo.of_kind("domain"), key=lambda d: (_order(d.meta.get("order")), d.id))
        self.domains = [d.id for d in domains if d.id]
        personas = sorted(repo.of_kind("persona"), key=lambda d: d.id)
        self.personas = {d.id: d.title or d.id for d in personas if d.id}
        self.roles = list(repo.roles)
        orders = [_order(d.meta.get("order"), 0) for d in repo.of_kind("adoption-phase")]
        self.next_order = max(orders, default=0) + 1
        self.generated = virtual_paths(repo, config.content_dir, config.playbooks_dir)
        """Docs paths of the pages the site makes itself (home, RACI matrix, role pages)."""


def _order(value: object, default: int = 10**9) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def create(
    config: Config,
    kind: str,
    ident: str,
    today: dt.date | None = None,
    choices: Choices | None = None,
) -> Created:
    """Write the new file and return its path relative to the repository root.

    The id is checked before any path is built from it; an existing file (or symlink) is never
    replaced, even one that appears between the check and the write.
    """
    choices = choices or Choices()
    _only_where_used(kind, choices)
    rel = _target(config, kind, ident)
    known = _Known(config)
    today = today or config.clock()
    front, body, defaults = _BUILDERS[kind](known, ident, choices, today)
    path = config.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
            out.write("---\n" + "\n".join(front) + "\n---\n" + "\n".join(body))
    except FileExistsError:
        raise ConfigError(f"{rel} already exists; edit it instead") from None
    return Created(Path(rel), defaults)


Built = tuple[list[str], list[str], list[str]]
"""(front-matter lines, body lines, defaults picked) of a new file."""


def _capability(known: _Known, ident: str, choices: Choices, today: dt.date) -> Built:
    _refuse_used_id(known, ident)
    defaults: list[str] = []
    if not known.domains:
        raise ConfigError("no domain to put the capability in: add one to content/domains/ first")
    domain = _pick(choices.domain, known.domains, "domain", "--domain")
    if choices.domain is None:
        defaults.append(f"domain `{domain}`: the first by order (--domain to choose another)")
    if not known.personas:
        raise ConfigError("no persona to lead the capability: add one to content/personas/ first")
    persona = choices.persona
    if persona is None:
        persona = PREFERRED_PERSONA if PREFERRED_PERSONA in known.personas else min(known.personas)
        defaults.append(f"lead persona `{persona}` (--persona to choose another)")
    persona = _pick(persona, list(known.personas), "persona", "--persona")
    front = [
        "kind: capability",
        f"id: {_scalar(ident)}",
        f"title: {_scalar(_title(ident))}",
        *_listing("domain ids", known.domains),
        f"domain: {_scalar(domain)}",
        f"summary: {SUMMARY.text}",
        "phases: [inform]  # inform, optimize and/or operate",
        *_listing("persona ids", list(known.personas)),
        "personas:",
        f"  lead: [{_scalar(persona)}]",
        "  involved: []",
        "related: []  # ids of related capabilities",
        "aliases: []",
        f'framework_version: "{today.year}"',
        *_owner_line(known, choices.owner, required=False),
        f"last_reviewed: {today.isoformat()}",
        "sources:  # the framework pages this page adapts",
        "  - title: FinOps Framework capabilities",
        f"    url: {FRAMEWORK_CAPABILITIES}",
    ]
    title = known.personas[persona]
    # A persona may be named by its id too: the safe choice when its title has Markdown in it.
    heading = persona if set(title) & set(_MARKUP) else title
    return front, _sections("capability", heading), defaults


def _overlay(known: _Known, ident: str, choices: Choices, today: dt.date) -> Built:
    if ident not in known.capabilities:
        if ident in known.aliases:
            hint = f"`{ident}` is a former name of `{known.aliases[ident]}`"
        else:
            hint = did_you_mean(ident, known.capabilities) or (
                f"an overlay extends an existing capability: start one with "
                f"`finops-kb new capability {ident}`"
            )
        raise ConfigError(f"no capability `{ident}` in content/capabilities/; {hint}")
    if ident in known.overlays:
        raise ConfigError(f"`{ident}` already has an overlay: {known.overlays[ident]}; edit it")
    owner, defaults = _owner(known, choices.owner)
    front = [
        "kind: overlay",
        f"capability: {_scalar(ident)}",
        *owner,
        "maturity:  # crawl, walk or run",
        "  current: crawl",
        "  target: walk",
        "  # assessed: YYYY-MM-DD  (the date of the assessment)",
        "kpis:",
        f"  - name: {KPI.text}",
        '    target: ">= 80%"',
        '    current: "n/a"',
        f"last_reviewed: {today.isoformat()}",
    ]
    return front, _sections("overlay"), defaults


def _adoption_phase(known: _Known, ident: str, choices: Choices, today: dt.date) -> Built:
    _refuse_used_id(known, ident)
    owner, defaults = _owner(known, choices.owner)
    front = [
        "kind: adoption-phase",
        f"id: {_scalar(ident)}",
        f"title: {_scalar(_title(ident))}",
        f"order: {known.next_order}  # place on the roadmap",
        "status: not-started  # not-started, in-progress or done",
        *owner,
        "exit_criteria:",
        f"  - criterion: {CRITERION.text}",
        "    met: false",
        f"last_reviewed: {today.isoformat()}",
    ]
    return front, _sections("adoption-phase"), defaults


def _page(known: _Known, ident: str, choices: Choices, today: dt.date) -> Built:
    if f"{ident}.md" in known.generated:  # a page there would hide the generated one
        raise ConfigError(f"the site generates the page {ident}.md itself; choose another path")
    front = [
        "kind: page",
        f"title: {_scalar(_title(ident))}",
        *_owner_line(known, choices.owner, required=False),
        f"last_reviewed: {today.isoformat()}",
    ]
    return front, [markdown(PAGE), ""], []


_BUILDERS = {
    "capability": _capability,
    "overlay": _overlay,
    "adoption-phase": _adoption_phase,
    "page": _page,
}


def _sections(kind: str, persona_title: str = "") -> list[str]:
    """Every required section of `kind`, in order, each with its placeholder."""
    body: list[str] = []
    for name, children in REQUIRED.get(kind, []):
        body += [f"## {name}", ""]
        if name == PERSONA_SECTION and kind == "capability":
            body += [f"### {persona_title}", "", markdown(PERSONA), ""]
        elif not children:
            body += [markdown(SECTIONS[(kind, name)]), ""]
        for child in children:
            body += [f"### {child}", "", markdown(SECTIONS[(kind, child)]), ""]
    return body


def _owner(known: _Known, chosen: str | None) -> tuple[list[str], list[str]]:
    """The owner lines of a kind that needs one, and the default picked, if any."""
    lines = _owner_line(known, chosen, required=True)
    defaults = (
        [] if chosen else [f"owner `{known.roles[0]}`: the first role (--owner to choose another)"]
    )
    return lines, defaults


def _owner_line(known: _Known, chosen: str | None, required: bool) -> list[str]:
    if chosen is None and not required:
        return []
    if not known.roles:
        raise ConfigError(
            "no role in playbooks/organization.yml to own the file: add the roster first"
        )
    owner = _pick(chosen or known.roles[0], known.roles, "role", "--owner")
    return [*_listing("role ids", known.roles), f"owner: {_scalar(owner)}"]


def _listing(label: str, ids: list[str]) -> list[str]:
    """A YAML comment naming the ids to choose from, wrapped to fit an editor's window."""
    return textwrap.wrap(
        f"{label}: {', '.join(ids)}",
        width=100,
        initial_indent="# ",
        subsequent_indent="#   ",
        break_on_hyphens=False,
    )


def _pick(value: str | None, known: list[str], what: str, option: str) -> str:
    """`value` if it is a known id (the first known id if None); else a one-line refusal."""
    if value is None:
        return known[0]
    if value in known:
        return value
    hint = did_you_mean(value, known) or f"known: {', '.join(known)}"
    raise ConfigError(f"{option} {value}: no such {what}; {hint}")


def _only_where_used(kind: str, choices: Choices) -> None:
    if choices.domain is not None and kind != "capability":
        raise ConfigError("--domain is only for `new capability`")
    if choices.persona is not None and kind != "capability":
        raise ConfigError("--persona is only for `new capability`")


def _refuse_used_id(known: _Known, ident: str) -> None:
    if ident in known.used:
        raise ConfigError(f"id `{ident}` is already used by {known.used[ident]}; choose another")
    if ident in known.aliases:
        raise ConfigError(
            f"`{ident}` is a former name (alias) of `{known.aliases[ident]}`; choose another id"
        )


def _target(config: Config, kind: str, ident: str) -> str:
    """The repository-relative path for a new file, refused unless it stays in its folder."""
    nested = kind == "page"  # pages may live in sub-folders of content/
    if nested and not is_slug_path(ident):
        raise ConfigError(
            f"`{ident}` is not a valid page path: give slugs separated by `/`, e.g. "
            "`framework/glossary` (lower-case letters, digits and single hyphens; no `.md`)"
        )
    if not nested and not is_slug(ident):
        raise ConfigError(f"`{ident}` is not a valid {kind} id: {SLUG_HINT}")
    rel = WHERE[kind].format(content=config.content_dir, playbooks=config.playbooks_dir, id=ident)
    base = config.dirs[0] if WHERE[kind].startswith("{content}") else config.dirs[1]
    folder = (config.root / base).resolve()
    if not (config.root / rel).parent.resolve().is_relative_to(folder):
        raise ConfigError(f"{rel} would be written outside {base}/ (a symlinked folder?)")
    if (config.root / rel).is_symlink() or (config.root / rel).exists():
        raise ConfigError(f"{rel} already exists; edit it instead")
    return rel


def _title(ident: str) -> str:
    return ident.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def _scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string (`2024`, `yes` get quotes)."""
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text)
