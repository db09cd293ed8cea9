"""Onboarding packs: which chapters go into each audience's PDF, checked at config time."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from typing import Any

from .config import Config, config_line
from .diagnostics import Diagnostic
from .facts import did_you_mean
from .graph import Graph
from .ids import SLUG_HINT, is_slug
from .model import mapping

BARE = (
    "executive",
    "expected",
    "summaries",
    "raci",
    "charter",
    "adoption",
    "maturity",
    "contacts",
    "roles",
    "unit",
)
"""Includes that take no value: `- raci`."""
INCLUDES = ("page", "section", "capabilities", *BARE)


@dataclass(slots=True)
class Pack:
    id: str
    title: str
    personas: list[str]
    """Audience personas, including those of the audience's roles."""
    roles: list[str]
    """Audience roles, including every role whose persona is in the audience."""
    audience: str
    """The audience in words, for the cover."""
    chapters: list[tuple[str, Any]] = field(default_factory=list)
    """(include kind, argument) in order."""
    unit: str | None = None
    """The business unit the pack is for: its chapters use the unit's effective playbook."""
    review_days: int = 365
    """The site's default review interval, for the overdue reviews of the executive summary."""


KEYS = ("id", "title", "audience", "include")
_SHOW = reprlib.Repr()
# A value echoed in a message stays short, even a YAML alias bomb.
_SHOW.maxstring = _SHOW.maxother = 60
_SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 1, 4, 4


def _show(value: Any) -> str:
    """A value from the config, quoted for a message."""
    text = value if isinstance(value, str) and len(value) <= 60 else _SHOW.repr(value)
    return f"`{text}`"


def _strs(value: Any) -> list[str]:
    """The strings of a list (other values are reported by the schema or by `resolve`)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass(slots=True)
class _Reader:
    """Reads the `packs:` option, collecting every problem with its config line."""

    config: Config
    g: Graph
    pages: dict[str, str]
    sections: set[str]
    files: set[str]
    problems: list[Diagnostic] = field(default_factory=list)
    bad_audience: set[str] = field(default_factory=set)
    """Packs whose audience is invalid: an empty selection there is a follow-on error."""
    follow_on: set[str] = field(default_factory=set)
    """Packs that name something whose own file or entry is already reported as invalid."""

    def broken(self, pid: str, kind: str, name: Any) -> bool:
        """True (and the pack noted) when `name` is known to exist but failed its own checks:
        that failure is reported where it is written, not again here."""
        repo = self.g.repo
        if kind == "page":
            hit = f"{self.g.content_dir}/{name}" in self.files
        elif kind == "section":
            hit = any(f.startswith(f"{self.g.content_dir}/{name}/") for f in self.files)
        else:
            unread = kind == "role" and "roles" in getattr(repo, "unknown_lists", ())
            hit = unread or name in repo.unresolved
        if hit:
            self.follow_on.add(pid)
        return bool(hit)

    def err(self, key: tuple[Any, ...], message: str, hint: str = "") -> None:
        line = config_line(self.config, ("packs", *key))
        self.problems.append(
            Diagnostic(self.config.config_file, line, "pack-config", message, hint, "error")
        )

    def pack(self, i: int, spec: Any, seen: set[str]) -> Pack | None:
        """The pack's identity and audience; None when it has no usable id."""
        if not isinstance(spec, dict) or "id" not in spec:
            self.err((i,), "a pack needs an `id`", "add `id: engineering`")
            return None
        pid = spec["id"]
        if not is_slug(pid):
            self.err((i, "id"), f"pack id {_show(pid)} is not a slug", SLUG_HINT)
            return None  # the id names the PDF file: never build a path from it
        if pid in seen:
            self.err((i, "id"), f"pack `{pid}` is defined twice", "give each pack its own id")
        seen.add(pid)
        for k in spec:
            if k not in KEYS:
                self.err(
                    (i, k), f"pack `{pid}`: unknown key {_show(k)}", did_you_mean(str(k), KEYS)
                )
        title = spec.get("title", pid)
        if not isinstance(title, str) or not title.strip():
            self.err((i, "title"), f"pack `{pid}`: `title` must be text", "e.g. `title: For X`")
            title = pid
        personas, roles = self.audience(i, pid, spec.get("audience"))
        g = self.g
        unit = self.unit(i, pid, spec.get("audience"))
        if unit is not None:  # the unit's own roles are its audience too
            roles += [r for r, v in g.roles.items() if mapping(v).get("unit") == unit]
        all_personas = list(
            dict.fromkeys(personas + _strs([mapping(g.roles.get(r)).get("persona") for r in roles]))
        )
        in_audience = [r for r, v in g.roles.items() if mapping(v).get("persona") in personas]
        words = [str(g.personas[p].title) for p in personas if p in g.personas]
        words += [_role_title(g, r) for r in roles if r in g.roles]
        if unit is not None:
            words.insert(0, str(g.repo.units[unit]["name"]))
        return Pack(
            pid,
            title,
            all_personas,
            list(dict.fromkeys(roles + in_audience)),
            ", ".join(dict.fromkeys(words)),
            unit=unit,
            review_days=self.config.review_interval_days,
        )

    def unit(self, i: int, pid: str, audience: Any) -> str | None:
        """The audience's business unit, if it names a known one (else reported here)."""
        value = mapping(audience).get("unit")
        units = self.g.repo.units
        if value is None or (isinstance(value, str) and value in units):
            return value
        hint = did_you_mean(str(value), units) or f"use a unit id: {', '.join(units) or 'none'}"
        self.err((i, "audience", "unit"), f"pack `{pid}`: unknown unit {_show(value)}", hint)
        self.bad_audience.add(pid)
        return None

    def audience(self, i: int, pid: str, audience: Any) -> tuple[list[str], list[str]]:
        """Known personas and roles of the audience; each problem at its line."""
        hint = "add `audience: {personas: [...], roles: [...], unit: ...}`"
        if audience is not None and not isinstance(audience, dict):
            self.err((i, "audience"), f"pack `{pid}`: `audience` must be a mapping", hint)
            self.bad_audience.add(pid)
            return [], []
        audience = audience or {}
        before = len(self.problems)
        for k in audience:
            if k not in ("personas", "roles", "unit"):
                self.err(
                    (i, "audience", k),
                    f"pack `{pid}`: unknown audience key {_show(k)}",
                    did_you_mean(str(k), ["personas", "roles", "unit"]),
                )
        found: dict[str, list[str]] = {}
        for key, known in (("personas", self.g.personas), ("roles", self.g.roles)):
            found[key] = self.names(i, pid, key, audience.get(key), known)
        if len(self.problems) > before:
            self.bad_audience.add(pid)
        elif not any(audience.get(k) for k in ("personas", "roles", "unit")):
            self.err((i,), f"pack `{pid}` has no audience", hint)
            self.bad_audience.add(pid)
        return found["personas"], found["roles"]

    def names(self, i: int, pid: str, key: str, value: Any, known: dict[str, Any]) -> list[str]:
        what = key[:-1]
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(
                (i, "audience", key),
                f"pack `{pid}`: `{key}` must be a list of {what} ids",
                f"e.g. `{key}: [{next(iter(known), what)}]`",
            )
            return []
        out = []
        for j, name in enumerate(value):
            if isinstance(name, str) and name in known:
                out.append(name)
            elif isinstance(name, str) and self.broken(pid, what, name):
                self.bad_audience.add(pid)
            else:
                self.err(
                    (i, "audience", key, j),
                    f"pack `{pid}`: unknown {what} {_show(name)}",
                    did_you_mean(str(name), known) if isinstance(name, str) else "",
                )
        return out

    def chapters(self, i: int, pid: str, include: Any, pack: Pack) -> None:
        if include is not None and not isinstance(include, list):
            self.err(
                (i, "include"),
                f"pack `{pid}`: `include` must be a list",
                "e.g. `include: [{page: what-is-finops.md}, raci]`",
            )
            return
        for j, item in enumerate(include or []):
            kind, arg = _entry(item)
            problem = self.chapter_problem(pack, kind, arg)
            if problem and isinstance(arg, str) and self.broken(pid, str(kind), arg):
                continue  # a page or section that is invalid itself: reported at its file
            if problem:
                self.err((i, "include", j), f"pack `{pid}`: {problem[0]}", problem[1])
            else:
                pack.chapters.append((kind, arg))

    def chapter_problem(self, pack: Pack, kind: Any, arg: Any) -> tuple[str, str] | None:
        """What is wrong with one `include:` entry, as (message, hint), or None."""
        if kind not in INCLUDES:
            hint = did_you_mean(str(kind), INCLUDES) if isinstance(kind, str) else ""
            return f"unknown include {_show(kind)}", hint or "use one of: " + ", ".join(INCLUDES)
        if kind in BARE:
            if arg is not None:
                return f"`{kind}` takes no value", f"write `- {kind}`"
            if (
                kind == "raci"
                and pack.id not in self.bad_audience
                and not audience_raci(self.g, pack)
            ):
                return "the audience has no RACI rows", "widen the audience or drop `raci`"
            if kind == "unit" and pack.unit is None and pack.id not in self.bad_audience:
                return "`unit` needs a unit in the audience", "add `unit: <unit id>` to `audience`"
            return None
        if kind == "page" and (not isinstance(arg, str) or arg not in self.pages):
            hint = did_you_mean(arg, self.pages) if isinstance(arg, str) else ""
            return f"unknown page {_show(arg)}", hint or "give a path inside content/"
        if kind == "section" and (not isinstance(arg, str) or arg not in self.sections):
            hint = did_you_mean(arg, self.sections) if isinstance(arg, str) else ""
            folders = ", ".join(sorted(self.sections))
            return f"unknown section {_show(arg)}", hint or f"use a folder of content/: {folders}"
        if kind == "capabilities":
            return self.capabilities_problem(pack, arg)
        return None

    def capabilities_problem(self, pack: Pack, arg: Any) -> tuple[str, str] | None:
        if not isinstance(arg, list) and arg not in ("all", "audience"):
            return (
                f"`capabilities` must be `all`, `audience` or a list of ids, not {_show(arg)}",
                "e.g. `capabilities: audience`",
            )
        known = self.g.capabilities
        listed = arg if isinstance(arg, list) else []
        missing = [c for c in listed if not (isinstance(c, str) and c in known)]
        skipped = [c for c in missing if isinstance(c, str) and self.broken(pack.id, "cap", c)]
        unknown = [c for c in missing if c not in skipped]
        if skipped and not unknown:
            return None  # only invalid capabilities are missing; each is reported at its file
        hint = did_you_mean(unknown[0], known) if unknown and isinstance(unknown[0], str) else ""
        if pack.id in self.bad_audience and arg == "audience":
            return None  # the audience is reported already; an empty selection follows from it
        if not audience_capabilities(self.g, pack, arg):
            also = f" (unknown capability {_show(unknown[0])})" if unknown else ""
            return f"the capability selection is empty{also}", hint or (
                "widen the audience or list capability ids"
            )
        if unknown:
            return f"unknown capability {_show(unknown[0])}", hint or "list capability ids"
        return None


def _entry(item: Any) -> tuple[Any, Any]:
    """(kind, argument) of an `include:` entry: `raci` or `page: x.md`."""
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict) and len(item) == 1:
        return next(iter(item.items()))
    return item, None


def _role_title(g: Graph, role: str) -> str:
    title = mapping(g.roles.get(role)).get("title")
    return title if isinstance(title, str) and title else role


def resolve(config: Config, g: Graph) -> tuple[list[Pack], list[Diagnostic]]:
    """Turn the `packs:` option into Packs; every problem is reported with its config line.

    A pack whose id is not a slug is left out: its id would become a file name.
    """
    pages = {p: d for d, p in g.docs_path.items() if d.startswith(g.content_dir + "/")}
    sections = {p.split("/", 1)[0] for p in pages if "/" in p}
    reader = _Reader(config, g, pages, sections, set(g.repo.files))
    packs: list[Pack] = []
    seen: set[str] = set()
    for i, spec in enumerate(config.packs):
        before = len(reader.problems)
        pack = reader.pack(i, spec, seen)
        if pack is None:
            continue
        reader.chapters(i, pack.id, spec.get("include"), pack)
        if not pack.chapters and len(reader.problems) == before and pack.id not in reader.follow_on:
            reader.err(
                (i,),
                f"pack `{pack.id}` selects nothing",
                "add `include:` entries, e.g. `- page: what-is-finops.md`",
            )
        packs.append(pack)
    return packs, reader.problems


def audience_capabilities(g: Graph, pack: Pack, arg: Any) -> list[Any]:
    if isinstance(arg, list):
        return [g.capabilities[c] for c in _strs(arg) if c in g.capabilities]
    if arg == "all":
        return list(g.capabilities.values())
    wanted = set(pack.personas)
    owned = {c for c, o in g.overlays.items() if o.meta.get("owner") in pack.roles}
    out = []
    for cap in g.capabilities.values():
        personas = mapping(cap.meta.get("personas"))
        involved = set(_strs(personas.get("lead"))) | set(_strs(personas.get("involved")))
        if involved & wanted or cap.id in owned:
            out.append(cap)
    return out


def audience_raci(g: Graph, pack: Pack) -> list[dict[str, Any]]:
    """The RACI rows of the audience's roles: in the pack's unit's effective matrix if it has
    a unit, else in the group's."""
    roles = set(pack.roles)
    rows = [r.activity for r in g.playbooks[pack.unit].rows] if pack.unit else g.repo.activities
    return [a for a in rows if isinstance(a, dict) and roles & set(mapping(a.get("assignments")))]
