"""Ids, references between files, aliases and duplicate definitions."""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..facts import did_you_mean
from ..model import Document, KeyPath, Repository, mapping

ID_KINDS = ("capability", "domain", "persona", "principle", "phase", "adoption-phase")


class _Refs:
    """Checks references of one file against the known ids of a target kind."""

    def __init__(self, repo: Repository) -> None:
        self.ids = {kind: set(repo.by_id(kind)) for kind in ID_KINDS}
        self.ids["role"] = set(repo.roles)
        kinds = (*ID_KINDS, "page", "overlay", "charter")
        self.unresolved = repo.unresolved | {
            d.stem for d in repo.documents if d.kind not in kinds or d.id not in ("", d.stem)
        }
        self.aliases = {
            a["slug"]: d.id for d in repo.of_kind("capability") for a in _aliases(d.meta)
        }
        # Without a readable roster every role reference would be reported: the missing or
        # broken organization.yml is reported once instead.
        no_roster = "roles" in repo.unknown_lists or repo.organization is None
        self.unknown_kinds = {"role"} if no_roster else set()
        self.problems = Problems()

    def check(self, value: Any, kind: str, path: str, line: int, what: str) -> None:
        if not isinstance(value, str) or value in self.ids[kind] or value in self.unresolved:
            return
        if kind in self.unknown_kinds:
            return
        if kind == "capability" and value in self.aliases:
            hint = f"`{value}` is a former name; use `{self.aliases[value]}`"
        else:
            hint = did_you_mean(value, self.ids[kind]) or (
                f"known ids: {', '.join(sorted(self.ids[kind])) or 'none'}"
            )
        self.problems.add(
            path, line, "unknown-reference", f"{what} `{value}` is not a known {kind}", hint
        )

    def each(
        self, values: Any, kind: str, path: str, line_of: Any, key: KeyPath, what: str
    ) -> None:
        if isinstance(values, list):
            for i, v in enumerate(values):
                self.check(v, kind, path, line_of(key + (i,)), what)


def _aliases(meta: dict[str, Any]) -> list[dict[str, Any]]:
    aliases = meta.get("aliases")
    if not isinstance(aliases, list):
        return []
    return [a for a in aliases if isinstance(a, dict) and isinstance(a.get("slug"), str)]


def _ids(repo: Repository) -> Problems:
    problems = Problems()
    first: dict[str, tuple[str, int]] = {}
    for doc in repo.documents:
        if doc.kind not in ID_KINDS or not isinstance(doc.meta.get("id"), str):
            continue
        line = doc.line_of(("id",))
        if doc.id != doc.stem:
            problems.add(
                doc,
                line,
                "id-mismatch",
                f"id `{doc.id}` differs from the file name `{doc.stem}.md`",
                f"rename the file to `{doc.id}.md` or set `id: {doc.stem}`",
            )
        if doc.id in first:
            where = "{}:{}".format(*first[doc.id])
            problems.add(
                doc,
                line,
                "duplicate-id",
                f"id `{doc.id}` is already used by {where}",
                "ids must be unique across the repository; rename one",
            )
        else:
            first[doc.id] = (doc.path, line)
    seen_alias: dict[str, str] = {}
    for doc in repo.of_kind("capability"):
        for i, alias in enumerate(_aliases(doc.meta)):
            slug, line = alias["slug"], doc.line_of(("aliases", i, "slug"))
            if slug in first:
                problems.add(
                    doc,
                    line,
                    "alias-collision",
                    f"alias `{slug}` is the id of {first[slug][0]}",
                    "an alias must not shadow a current page; remove it",
                )
            elif slug in seen_alias:
                problems.add(
                    doc,
                    line,
                    "alias-collision",
                    f"alias `{slug}` is also an alias of `{seen_alias[slug]}`",
                    "an old name can redirect to one page only",
                )
            seen_alias.setdefault(slug, doc.id)
    return problems


def _documents(repo: Repository, refs: _Refs) -> None:
    overlays: dict[str, str] = {}
    for doc in repo.documents:
        m, p, at = doc.meta, doc.path, doc.line_of
        refs.check(m.get("owner"), "role", p, at(("owner",)), "owner")
        if doc.kind == "capability":
            refs.check(m.get("domain"), "domain", p, at(("domain",)), "domain")
            personas = mapping(m.get("personas"))
            for group in ("lead", "involved"):
                refs.each(personas.get(group), "persona", p, at, ("personas", group), "persona")
            refs.each(m.get("related"), "capability", p, at, ("related",), "related capability")
            if doc.id in (m.get("related") or []):
                refs.problems.add(
                    p,
                    at(("related",)),
                    "self-reference",
                    "a capability cannot be related to itself",
                    f"remove `{doc.id}` from `related`",
                )
        elif doc.kind == "overlay":
            cap = m.get("capability")
            refs.check(cap, "capability", p, at(("capability",)), "capability")
            if isinstance(cap, str) and cap in overlays:
                refs.problems.add(
                    p,
                    at(("capability",)),
                    "duplicate-overlay",
                    f"`{cap}` already has an overlay: {overlays[cap]}",
                    "merge the two overlays into one file",
                )
            overlays.setdefault(str(cap), p)
        elif doc.kind == "charter":
            _charter(doc, refs)


def _charter(doc: Document, refs: _Refs) -> None:
    m, p, at = doc.meta, doc.path, doc.line_of
    for key in ("chair", "sponsor"):
        refs.check(m.get(key), "role", p, at((key,)), key)
    refs.each(m.get("members"), "role", p, at, ("members",), "member")
    for key, field in (("decision_rights", "approver"), ("open_decisions", "owner")):
        for i, item in enumerate(m.get(key) or []):
            if isinstance(item, dict):
                refs.check(item.get(field), "role", p, at((key, i, field)), field)


def _data(repo: Repository, refs: _Refs) -> list[Diagnostic]:
    problems = Problems()
    if repo.organization:
        org, seen = repo.organization, set()
        for i, role in enumerate(org.data.get("roles") or []):
            if not isinstance(role, dict):
                continue
            refs.check(
                role.get("persona"),
                "persona",
                org.path,
                org.line_of(("roles", i, "persona")),
                "persona",
            )
            rid = role.get("id")
            if rid in seen:
                problems.add(
                    org,
                    ("roles", i, "id"),
                    "duplicate-id",
                    f"role `{rid}` is defined twice",
                    "give each role one entry",
                )
            seen.add(rid)
    if repo.raci:
        raci, seen = repo.raci, set()
        for i, act in enumerate(repo.raci.data.get("activities") or []):
            if not isinstance(act, dict):
                continue
            refs.check(
                act.get("capability"),
                "capability",
                raci.path,
                raci.line_of(("activities", i, "capability")),
                "capability",
            )
            for role in act.get("assignments") or {}:
                refs.check(
                    role,
                    "role",
                    raci.path,
                    raci.line_of(("activities", i, "assignments", role)),
                    "role",
                )
            if act.get("id") in seen:
                problems.add(
                    raci,
                    ("activities", i, "id"),
                    "duplicate-id",
                    f"activity `{act.get('id')}` is defined twice",
                    "give each activity a unique id",
                )
            seen.add(act.get("id"))
    return problems


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    refs = _Refs(repo)
    problems = _ids(repo)
    _documents(repo, refs)
    problems += _data(repo, refs)
    unread = "roles" in repo.unknown_lists  # organization.yml exists but could not be read
    if not repo.organization and not unread and (repo.of_kind("overlay") or repo.raci):
        problems.add(
            config.playbooks_dir + "/organization.yml",
            0,
            "missing-file",
            "playbooks refer to roles but organization.yml is missing",
            "create playbooks/organization.yml with the roster of roles",
        )
    return problems + refs.problems
