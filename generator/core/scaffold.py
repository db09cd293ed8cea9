"""`finops-kb new`: start a file from the content model, never overwriting one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from .config import Config, ConfigError
from .ids import SLUG_HINT, is_slug, is_slug_path
from .rules.sections import REQUIRED

FRONT = {
    "capability": """kind: capability
id: {id}
title: {title}
domain: understand-usage-and-cost
summary: One sentence on what this capability achieves.
phases: [inform]
personas:
  lead: [finops-practitioner]
  involved: []
related: []
aliases: []
framework_version: "{year}"
last_reviewed: {today}
sources:
  - title: {title}
    url: https://www.finops.org/framework/capabilities/{slug}/""",
    "overlay": """kind: overlay
capability: {id}
owner: head-of-finops
maturity:
  current: crawl
  target: walk
  assessed: {today}
kpis:
  - name: Name of a KPI we track
    target: ">= 80%"
    current: "n/a"
last_reviewed: {today}""",
    "adoption-phase": """kind: adoption-phase
id: {id}
title: {title}
order: 5
status: not-started
owner: head-of-finops
exit_criteria:
  - criterion: What must be true to close this phase
    met: false
last_reviewed: {today}""",
    "page": """kind: page
title: {title}
last_reviewed: {today}""",
}
WHERE = {
    "capability": "{content}/capabilities/{id}.md",
    "overlay": "{playbooks}/capabilities/{id}.md",
    "adoption-phase": "{playbooks}/adoption/{id}.md",
    "page": "{content}/{id}.md",
}


def create(config: Config, kind: str, ident: str, today: dt.date | None = None) -> Path:
    """Write the new file and return its path relative to the repository root.

    The id is checked before any path is built from it; an existing file (or symlink) is never
    replaced, even one that appears between the check and the write.
    """
    rel = _target(config, kind, ident)
    today = today or config.clock()
    title = ident.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    front = FRONT[kind].format(
        id=_scalar(ident), slug=ident, title=_scalar(title), today=today, year=today.year
    )
    body = []
    for name, children in REQUIRED.get(kind, []):
        body += [f"## {name}", "", "Write this section.", ""]
        for child in children:
            body += [f"### {child}", "", "- Write this level.", ""]
    path = config.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
            out.write(f"---\n{front}\n---\n" + "\n".join(body))
    except FileExistsError:
        raise ConfigError(f"{rel} already exists; edit it instead") from None
    return Path(rel)


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


def _scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string (`2024`, `yes` get quotes)."""
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text)
