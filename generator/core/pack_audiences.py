"""Packs made on the command line for one role, persona or business unit (`pack --role ID`),
and the capabilities an audience owns or leads: short packs without a YAML edit."""

from __future__ import annotations

from typing import Any

from .config import Config, ConfigError
from .facts import did_you_mean
from .graph import Graph
from .model import Document, mapping
from .pack_specs import Pack, audience_raci

AUDIENCES = ("role", "persona", "unit")
ROLE_PACK: list[tuple[str, Any]] = [("roles", None), ("summaries", None), ("contacts", None)]
"""A role's pack: what is expected of it (its RACI rows, committees and activities), the
capabilities it owns or leads in summary, and whom to ask."""
PERSONA_PACK: list[tuple[str, Any]] = [
    ("expected", None),
    ("raci", None),
    ("summaries", None),
    ("contacts", None),
]
UNIT_PACK: list[tuple[str, Any]] = [("unit", None), ("raci", None), ("contacts", None)]


def _known(g: Graph, kind: str) -> dict[str, str]:
    """Id -> name of every role, persona or unit."""
    if kind == "role":
        return {r: str(v.get("title") or r) for r, v in g.roles.items()}
    if kind == "persona":
        return {p: d.title for p, d in g.personas.items()}
    return {u: str(v.get("name") or u) for u, v in g.repo.units.items()}


def _shown(value: str) -> str:
    flat = value.replace("\n", " ")
    return f"`{flat if len(flat) <= 60 else flat[:60] + '…'}`"


def adhoc(config: Config, g: Graph, kind: str, value: str) -> Pack:
    """The pack for one role, persona or unit; an unknown id is a ConfigError with a hint."""
    known = _known(g, kind)
    if value not in known:
        hint = did_you_mean(value, known) or (
            f"use one of: {', '.join(known)}" if known else f"the repository defines no {kind}"
        )
        raise ConfigError(f"pack --{kind}: unknown {kind} {_shown(value)}; {hint}")
    name = known[value]
    if kind == "role":
        persona = mapping(g.roles[value]).get("persona")
        personas = [persona] if isinstance(persona, str) else []
        pack = Pack(f"role-{value}", "Your FinOps pack", personas, [value], name, list(ROLE_PACK))
    elif kind == "persona":
        roles = [r for r, v in g.roles.items() if mapping(v).get("persona") == value]
        pack = Pack(
            f"persona-{value}", "Your FinOps pack", [value], roles, name, list(PERSONA_PACK)
        )
    else:
        roles = [r for r, v in g.roles.items() if mapping(v).get("unit") == value]
        personas = list(dict.fromkeys(str(mapping(g.roles[r]).get("persona")) for r in roles))
        pack = Pack(
            f"unit-{value}", f"FinOps at {name}", personas, roles, name, list(UNIT_PACK), value
        )
    pack.review_days = config.review_interval_days
    if not audience_raci(g, pack):  # a chapter with an empty table says nothing
        pack.chapters = [c for c in pack.chapters if c[0] != "raci"]
    return pack


def led_capabilities(g: Graph, pack: Pack) -> list[tuple[Document, list[str]]]:
    """Capabilities the audience owns (an audience role owns the overlay) or leads (an audience
    persona is among the `lead` personas), each with how: "owner", "lead"."""
    personas, roles = set(pack.personas), set(pack.roles)
    out = []
    for cap in g.capabilities.values():
        how = []
        overlay = g.overlays.get(cap.id)
        if overlay is not None and overlay.meta.get("owner") in roles:
            how.append("owner")
        lead = mapping(cap.meta.get("personas")).get("lead")
        if isinstance(lead, list) and personas & {p for p in lead if isinstance(p, str)}:
            how.append("lead")
        if how:
            out.append((cap, how))
    return out
