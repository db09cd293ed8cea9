"""`finops-kb new unit` and `finops-kb new assessment`: files that pass `check` as written.

A new unit is added to the `units:` list of organization.yml as text (so the file keeps its
comments and layout) and gets its own folder with a RACI layer that changes nothing yet. A new
assessment rates every capability at the level the unit's effective playbook records today.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import load, schema
from .config import Config, ConfigError
from .facts import did_you_mean
from .files import replace_text
from .ids import SLUG_HINT, is_slug
from .model import Repository
from .scaffold import Created, _scalar
from .units import playbook


def _repo(config: Config) -> Repository:
    repo, _problems = load.load(config.root, config.dirs)
    schema.run(repo)  # only valid entries are offered as references
    return repo


def _known(value: str | None, known: list[str], what: str, option: str) -> None:
    if value is not None and value not in known:
        hint = did_you_mean(value, known) or f"known: {', '.join(known) or 'none'}"
        raise ConfigError(f"{option} {value}: no such {what}; {hint}")


def create_unit(
    config: Config, ident: str, parent: str | None = None, lead: str | None = None
) -> Created:
    if not is_slug(ident):
        raise ConfigError(f"`{ident}` is not a valid unit id: {SLUG_HINT}")
    repo = _repo(config)
    if repo.organization is None:
        raise ConfigError("playbooks have no readable organization.yml to add the unit to")
    if ident in repo.units:
        raise ConfigError(f"unit `{ident}` already exists in {repo.organization.path}")
    _known(parent, list(repo.units), "unit", "--parent")
    _known(lead, list(repo.roles), "role", "--owner")
    folder = config.root / config.playbooks_dir / "units" / ident
    if folder.exists() or folder.is_symlink():
        raise ConfigError(f"{folder.relative_to(config.root)} already exists; edit it instead")
    entry = [f"  - id: {ident}", f"    name: {_scalar(ident.replace('-', ' ').title())}"]
    entry += [f"    parent: {parent}"] if parent else []
    entry += [f"    lead: {lead}"] if lead else []
    org = config.root / repo.organization.path
    before = org.read_text("utf-8")
    replace_text(org, _with_unit(before, entry))
    if ident not in _repo(config).units:  # a layout the text edit did not understand
        replace_text(org, before)
        raise ConfigError(f"could not add the unit to {repo.organization.path}; add it by hand")
    layer = folder / "raci.yml"
    folder.mkdir(parents=True)
    layer.write_text(_LAYER, "utf-8")
    done = [f"the name `{entry[1][10:]}`, added to `units:` of {repo.organization.path}"]
    after = "correct the unit's name; list what it does differently in this file"
    return Created(layer.relative_to(config.root), done, after)


_LAYER = """\
# This unit's changes to the group RACI matrix (playbooks/raci.yml). Everything not listed
# here follows the group. Examples:
#
# activities:
#   - id: allocate-shared-costs        # the id of a group activity: replaces its assignments
#     assignments: {finops-analyst: A, platform-engineering-lead: R}
#   - id: unit-only-activity           # a new id: adds a row for this unit
#     title: What the unit does itself
#     capability: allocation
#     assignments: {finops-analyst: A, platform-engineering-lead: R}
# remove: [saas-renewal-review]        # group activities this unit does not do
# adoption:
#   prepare: in-progress               # this unit's own status of an adoption phase
activities: []
"""


def _with_unit(text: str, entry: list[str]) -> str:
    """organization.yml with `entry` at the end of its `units:` list (made before `roles:`)."""
    lines = text.split("\n")
    top = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    if "units:" in (lines[i].split("#")[0].strip() for i in top):
        start = next(i for i in top if lines[i].split("#")[0].strip() == "units:")
        end = next((i for i in top if i > start), len(lines))
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        return "\n".join(lines[:end] + entry + lines[end:])
    roles = next((i for i in top if lines[i].startswith("roles:")), len(lines))
    return "\n".join(lines[:roles] + ["units:", *entry] + lines[roles:])


def create_assessment(config: Config, unit: str, today: dt.date | None = None) -> Created:
    """An assessment of `unit` ("group" for the group as a whole) dated today."""
    repo = _repo(config)
    uid = None if unit == "group" else unit
    _known(uid, list(repo.units), "unit", "new assessment")
    if not repo.roles:
        raise ConfigError("organization.yml has no roles to name as assessor")
    date = (today or config.clock()).isoformat()
    rel = Path(config.playbooks_dir) / "assessments" / f"{date}-{unit}.yml"
    lead = repo.units[uid].get("lead") if uid else None
    assessor = lead if isinstance(lead, str) and lead in repo.roles else next(iter(repo.roles))
    book = playbook(repo, uid)
    lines = [
        "# Rate each capability as the assessment found it; `target` is the level aimed for.",
        "# Add `evidence:` (what shows the level) under any result.",
        f"date: {date}",
        *([f"unit: {uid}"] if uid else []),
        f"assessor: {assessor}",
        "results:",
    ]
    for cap in sorted(repo.by_id("capability")):
        overlay = book.overlays.get(cap)
        mat = overlay.maturity if overlay and overlay.maturity else {}
        lines += [f"  - capability: {cap}", f"    level: {mat.get('current', 'crawl')}"]
        lines += [f"    target: {mat['target']}"] if "target" in mat else []
    path = config.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:  # never overwrite
            out.write("\n".join(lines) + "\n")
    except FileExistsError:
        raise ConfigError(f"{rel} already exists; edit it instead") from None
    picked = [f"assessor `{assessor}`", "each level and target from the current playbook"]
    return Created(rel, picked, "set each level as the assessment found it; add `evidence:`")
