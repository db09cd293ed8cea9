"""Onboarding packs: which chapters go into each audience's PDF, checked at config time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .diagnostics import Diagnostic
from .graph import Graph
from .model import mapping
from .schema import did_you_mean

INCLUDES = (
    "page",
    "section",
    "capabilities",
    "raci",
    "charter",
    "adoption",
    "maturity",
    "contacts",
    "roles",
)
BARE = ("raci", "charter", "adoption", "maturity", "contacts", "roles")


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


def _err(config: Config, key: tuple[Any, ...], message: str, hint: str = "") -> Diagnostic:
    line = 0
    for end in range(len(key), -1, -1):
        line = config.pack_lines.get(("packs", *key[:end]), 0)
        if line:
            break
    return Diagnostic(config.config_file, line, "pack-config", message, hint, severity="error")


def resolve(config: Config, g: Graph) -> tuple[list[Pack], list[Diagnostic]]:
    """Turn the `packs:` option into Packs; every problem is reported with its config line."""
    packs, problems, seen = [], [], set()
    pages = {p: d for d, p in g.docs_path.items() if d.startswith(g.content_dir + "/")}
    sections = {p.split("/", 1)[0] for p in pages if "/" in p}
    for i, spec in enumerate(config.packs):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
            problems.append(_err(config, (i,), "a pack needs an `id`", "add `id: engineering`"))
            continue
        pid = spec["id"]
        if pid in seen:
            problems.append(_err(config, (i, "id"), f"pack `{pid}` is defined twice"))
        seen.add(pid)
        unknown = set(spec) - {"id", "title", "audience", "include"}
        problems += [
            _err(
                config,
                (i, k),
                f"pack `{pid}`: unknown key `{k}`",
                did_you_mean(k, ["id", "title", "audience", "include"]),
            )
            for k in unknown
        ]
        audience = mapping(spec.get("audience"))
        personas = [p for p in audience.get("personas") or [] if isinstance(p, str)]
        roles = [r for r in audience.get("roles") or [] if isinstance(r, str)]
        for key, names, known in (("personas", personas, g.personas), ("roles", roles, g.roles)):
            for j, name in enumerate(names):
                if name not in known:
                    problems.append(
                        _err(
                            config,
                            (i, "audience", key, j),
                            f"pack `{pid}`: unknown {key[:-1]} `{name}`",
                            did_you_mean(name, known),
                        )
                    )
        if not personas and not roles:
            problems.append(
                _err(
                    config,
                    (i,),
                    f"pack `{pid}` has no audience",
                    "add `audience: {personas: [...], roles: [...]}`",
                )
            )
        all_personas = list(
            dict.fromkeys(
                personas + [str(g.roles[r].get("persona")) for r in roles if r in g.roles]
            )
        )
        all_roles = list(
            dict.fromkeys(roles + [r for r, v in g.roles.items() if v.get("persona") in personas])
        )
        words = [g.personas[p].title for p in personas if p in g.personas]
        words += [str(g.roles[r]["title"]) for r in roles if r in g.roles]
        pack = Pack(pid, str(spec.get("title") or pid), all_personas, all_roles, ", ".join(words))
        for j, item in enumerate(spec.get("include") or []):
            kind, arg = (
                (item, None)
                if isinstance(item, str)
                else (
                    next(iter(item.items()))
                    if isinstance(item, dict) and len(item) == 1
                    else ("", None)
                )
            )
            where = (i, "include", j)
            if kind not in INCLUDES:
                problems.append(
                    _err(
                        config,
                        where,
                        f"pack `{pid}`: unknown include `{item}`",
                        did_you_mean(str(kind), INCLUDES) or "use one of: " + ", ".join(INCLUDES),
                    )
                )
            elif kind == "page" and arg not in pages:
                problems.append(
                    _err(
                        config,
                        where,
                        f"pack `{pid}`: unknown page `{arg}`",
                        did_you_mean(str(arg), pages) or "give a path inside content/",
                    )
                )
            elif kind == "section" and arg not in sections:
                problems.append(
                    _err(
                        config,
                        where,
                        f"pack `{pid}`: unknown section `{arg}`",
                        did_you_mean(str(arg), sections)
                        or "use a folder of content/: " + ", ".join(sorted(sections)),
                    )
                )
            elif kind == "capabilities" and not audience_capabilities(g, pack, arg):
                problems.append(
                    _err(
                        config,
                        where,
                        f"pack `{pid}`: the capability selection is empty",
                        "widen the audience or list capability ids",
                    )
                )
            elif kind == "raci" and not audience_raci(g, pack):
                problems.append(_err(config, where, f"pack `{pid}`: the audience has no RACI rows"))
            else:
                pack.chapters.append((kind, arg))
        if not pack.chapters and not any(d.message.startswith(f"pack `{pid}`") for d in problems):
            problems.append(
                _err(
                    config,
                    (i,),
                    f"pack `{pid}` selects nothing",
                    "add `include:` entries, e.g. `- page: what-is-finops.md`",
                )
            )
        packs.append(pack)
    return packs, problems


def audience_capabilities(g: Graph, pack: Pack, arg: Any) -> list[Any]:
    if isinstance(arg, list):
        return [g.capabilities[c] for c in arg if c in g.capabilities]
    if arg == "all":
        return list(g.capabilities.values())
    wanted = set(pack.personas)
    owned = {c for c, o in g.overlays.items() if o.meta.get("owner") in pack.roles}
    out = []
    for cap in g.capabilities.values():
        personas = mapping(cap.meta.get("personas"))
        involved = set(personas.get("lead") or []) | set(personas.get("involved") or [])
        if involved & wanted or cap.id in owned:
            out.append(cap)
    return out


def audience_raci(g: Graph, pack: Pack) -> list[dict[str, Any]]:
    roles = set(pack.roles)
    return [a for a in g.repo.activities if roles & set(a.get("assignments") or {})]
