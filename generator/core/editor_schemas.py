"""Schemas for editors: `finops-kb schema --out DIR [--with-ids] [--editor vscode]`.

The shipped schemas (`schemas/`) refer to each other by relative `$ref` (`common.json#/$defs/ref`)
and carry relative `$id`s, which a validator can only resolve when told a base URI. The copies
written here get the `file:` URI of their own file as `$id`, so every `$ref` resolves to a file
beside them, offline and with no option, in jsonschema, check-jsonschema and yaml-language-server.

With the repository's ids, the fields that refer to one (a capability's domain, personas and
related capabilities, every capability, role and unit field, the RACI assignment keys, a unit's
removed activities and adoption phases) list the ids that exist, so editors offer them and flag
a typo as `finops-kb check` would. Fields that create an id (`id`, a role's `id`, an alias
`slug`) stay open: a new id is always allowed there; where an existing one also means something
(a unit's RACI row), the ids are offered as `examples`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import ConfigError
from .model import Repository
from .schema import schema_files

Pointer = tuple[str, ...]
_ACTIVITY: Pointer = ("properties", "activities", "items", "properties")
_UNIT: Pointer = ("properties", "units", "items", "properties")
REFERENCE_FIELDS: dict[str, dict[Pointer, str]] = {
    "common.json": {("$defs", "review", "owner"): "role"},
    "capability.json": {
        ("properties", "domain"): "domain",
        ("properties", "personas", "properties", "lead", "items"): "persona",
        ("properties", "personas", "properties", "involved", "items"): "persona",
        ("properties", "related", "items"): "capability",
    },
    "overlay.json": {("properties", "capability"): "capability", ("properties", "owner"): "role"},
    "unit-overlay.json": {
        ("properties", "capability"): "capability",
        ("properties", "owner"): "role",
    },
    "adoption-phase.json": {("properties", "owner"): "role"},
    "charter.json": {
        ("properties", "chair"): "role",
        ("properties", "sponsor"): "role",
        ("properties", "members", "items"): "role",
        ("properties", "decision_rights", "items", "properties", "approver"): "role",
        ("properties", "open_decisions", "items", "properties", "owner"): "role",
    },
    "organization.json": {
        (*_UNIT, "parent"): "unit",
        (*_UNIT, "lead"): "role",
        ("properties", "roles", "items", "properties", "persona"): "persona",
        ("properties", "roles", "items", "properties", "unit"): "unit",
    },
    "raci.json": {
        (*_ACTIVITY, "capability"): "capability",
        (*_ACTIVITY, "assignments", "propertyNames"): "role",
    },
    "unit-raci.json": {
        (*_ACTIVITY, "capability"): "capability",
        (*_ACTIVITY, "assignments", "propertyNames"): "role",
        ("properties", "remove", "items"): "activity",
        ("properties", "adoption", "propertyNames"): "adoption-phase",
    },
    "assessment.json": {
        ("properties", "unit"): "unit",
        ("properties", "assessor"): "role",
        ("properties", "results", "items", "properties", "capability"): "capability",
    },
    "kpi-series.json": {("properties", "capability"): "capability", ("properties", "unit"): "unit"},
}
"""Every field whose value (or key, for `propertyNames`) must be an existing id, by schema file
and JSON pointer. Each points at a `{"$ref": "…#/$defs/ref"}` of the shipped schema; a test
holds that every such field is listed here or in OPEN_FIELDS, so a new one cannot be missed."""
OPEN_FIELDS: dict[str, set[Pointer]] = {
    "common.json": {("$defs", "status")},  # a Material status, from `extra.status`
    "organization.json": {(*_UNIT, "scopes", "items")},  # FinOps scopes: any slug
    "assessment.json": {("properties", "scope")},
}
"""Slug fields that name no id of the repository: left as they are."""
EXAMPLE_FIELDS: dict[str, dict[Pointer, str]] = {
    # A group activity's id changes that row in the unit; a new id adds a row.
    "unit-raci.json": {(*_ACTIVITY, "id"): "activity"},
}
"""Id fields where an existing id means something and a new one is allowed too: the ids are
offered (`examples`), not required."""
_WHERE = {
    "capability": "a capability page",
    "domain": "a domain page",
    "persona": "a persona page",
    "role": "a role of organization.yml",
    "unit": "a unit of organization.yml",
    "activity": "an activity of raci.yml",
    "adoption-phase": "an adoption phase of playbooks/adoption/",
}
ID_KINDS = tuple(_WHERE)
_LISTS = {"role": "roles", "unit": "units", "activity": "activities"}
"""Kinds whose ids a data file lists; an unreadable list leaves its ids unknown."""


def repository_ids(repo: Repository) -> dict[str, list[str]]:
    """The ids of each kind that references may name, from the files that pass their schema
    (read after `check`'s schema gate, so nothing unvalidated is offered). A kind whose list
    could not be read (a broken organization.yml) is left out: nothing is known to list."""
    found: dict[str, Any] = {
        "role": repo.roles,
        "unit": repo.units,
        "activity": [a["id"] for a in repo.activities if isinstance(a.get("id"), str)],
    }
    ids = {}
    for kind in ID_KINDS:
        if _LISTS.get(kind) in repo.unknown_lists:
            continue
        names = sorted(set(found[kind] if kind in found else repo.by_id(kind)))
        if names:
            ids[kind] = names
    return ids


def editor_schemas(folder: Path, ids: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """File name -> schema as written into `folder`: `$id` is the file's own `file:` URI, and
    with `ids` the reference fields enumerate them."""
    schemas = {name: json.loads(text) for name, text in schema_files().items()}
    if ids:
        _enumerate(schemas, ids)
    base = folder.resolve()
    for name, schema in schemas.items():
        schema["$id"] = (base / name).as_uri()
    return schemas


def _enumerate(schemas: dict[str, Any], ids: Mapping[str, list[str]]) -> None:
    defs = schemas["common.json"]["$defs"]
    for kind, values in ids.items():
        defs[f"{kind}-id"] = {
            "$ref": "#/$defs/ref",
            "enum": list(values),
            "description": f"The id of {_WHERE[kind]}: the ids there when these schemas were "
            "written. After adding one, run `finops-kb schema --with-ids` again.",
        }
    for name, fields in REFERENCE_FIELDS.items():
        prefix = "" if name == "common.json" else "common.json"
        for pointer, kind in fields.items():
            if kind in ids and name in schemas:
                _node(schemas[name], pointer)["$ref"] = f"{prefix}#/$defs/{kind}-id"
                if pointer[-1] == "propertyNames":
                    _offer_keys(_node(schemas[name], pointer[:-1]), ids[kind])
    for name, fields in EXAMPLE_FIELDS.items():
        for pointer, kind in fields.items():
            if kind in ids and name in schemas:
                _node(schemas[name], pointer)["examples"] = list(ids[kind])


def _offer_keys(mapping: dict[str, Any], keys: list[str]) -> None:
    """Editors offer the keys of `properties` as completions; `propertyNames` only in some."""
    value = mapping.get("additionalProperties", {})
    mapping["properties"] = {key: dict(value) if isinstance(value, dict) else {} for key in keys}


def _node(schema: dict[str, Any], pointer: Pointer) -> dict[str, Any]:
    node: Any = schema
    for key in pointer:
        node = node[key]
    if not isinstance(node, dict):
        raise TypeError(f"{'/'.join(pointer)} is not a schema object")
    return node


def write_schemas(out: Path, schemas: Mapping[str, Any]) -> list[Path]:
    """Write every schema into the folder `out` (made if missing)."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for the schemas")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(schemas.items()):
        path = out / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    return written


# --- VS Code: .vscode/settings.json ------------------------------------------------------------

DATA_SCHEMAS: dict[str, str | list[str]] = {
    "organization.json": "organization.yml",
    "raci.json": "raci.yml",
    "unit-raci.json": "units/*/raci.yml",
    "assessment.json": ["assessments/*.yml", "assessments/*.yaml"],
    "kpi-series.json": ["kpis/*.yml", "kpis/*.yaml"],
}
"""Each data file's schema and where it lives in the playbooks folder (as `load.data_kind`)."""


def yaml_schemas(root: Path, out: Path, playbooks_dir: str) -> dict[str, str | list[str]]:
    """The `yaml.schemas` entries of the YAML extension: schema file -> the playbook it checks.

    A schema folder inside the workspace is named relative to it (`./schemas/raci.json`), so
    the settings can be committed; one outside it by its `file:` URI."""
    folder = out.resolve()
    try:
        prefix = "./" + folder.relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        prefix = folder.as_uri() + "/"
    prefix = prefix.replace("/./", "/")
    data = playbooks_dir.strip("/") + "/"
    return {
        prefix + schema: data + globs if isinstance(globs, str) else [data + g for g in globs]
        for schema, globs in DATA_SCHEMAS.items()
    }


def vscode_settings(root: Path, entries: Mapping[str, str | list[str]]) -> tuple[Path, str]:
    """(file, new text) of `root/.vscode/settings.json` with `entries` in `yaml.schemas`.

    Every other setting and mapping is kept, but for one of another schema folder that maps the
    very same files (the same glob or list of globs): it goes, so each file has one schema.
    Nothing is written here, so a file that cannot be rewritten faithfully is refused (exit 2)
    before anything changes."""
    path = root / ".vscode" / "settings.json"
    target = _settings_target(root, path)
    settings = _read_settings(target, path, entries)
    schemas = settings.get("yaml.schemas", {})
    if not isinstance(schemas, dict):
        raise ConfigError(
            f"{path}: `yaml.schemas` is not a mapping; make it one "
            '(`"yaml.schemas": {}`) and run the command again'
        )
    ours = list(entries.values())
    kept = {k: v for k, v in schemas.items() if k in entries or v not in ours}
    kept.update(entries)
    settings["yaml.schemas"] = kept
    return target, json.dumps(settings, indent=4, ensure_ascii=False) + "\n"


def _settings_target(root: Path, path: Path) -> Path:
    """The file to write: `path`, or what its symbolic link names if that stays inside `root`."""
    if path.parent.exists() and not path.parent.is_dir():
        raise ConfigError(f"{path.parent} is a file; VS Code keeps its settings in a folder there")
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path} is not a file; remove it or make it a JSON file")
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise ConfigError(f"{path} links to {target}, outside the repository; not changed")
    return target


_JSONC = re.compile(r'"(?:[^"\\\n]|\\.)*"|(//|/\*)|(,)\s*[}\]]')
"""A JSON string (skipped whole), else a comment or a trailing comma: what JSONC adds."""


def _read_settings(
    target: Path, path: Path, entries: Mapping[str, str | list[str]]
) -> dict[str, Any]:
    if not target.exists():
        return {}
    try:
        text = target.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8; save it as UTF-8") from None
    if not text.strip():
        return {}
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as exc:
        settings = _without_trailing_commas(text, path, exc, entries)
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: expected a JSON object `{{…}}` of settings")
    return settings


def _without_trailing_commas(
    text: str, path: Path, exc: json.JSONDecodeError, entries: Mapping[str, str | list[str]]
) -> Any:
    """Settings with trailing commas, as VS Code allows, read without them: rewriting loses
    nothing. Comments would be lost, so a file with comments is refused, saying what to add."""
    for match in _JSONC.finditer(text):
        if match.group(1):
            line = text.count("\n", 0, match.start()) + 1
            wanted = json.dumps({"yaml.schemas": dict(entries)})[1:-1]
            raise ConfigError(
                f"{path}:{line}: has comments (JSON with comments), which rewriting would lose; "
                f"not changed: add {wanted} to it by hand"
            )
    try:
        return json.loads(_JSONC.sub(lambda m: m[0][1:] if m[2] else m[0], text))
    except json.JSONDecodeError:
        raise ConfigError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix it, or remove the file"
        ) from None


def write_settings(path: Path, text: str) -> None:
    """Replace `path` in one step: an editor reading settings never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
