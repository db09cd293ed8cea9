"""Stage 2: validate front matter and data files against the JSON Schemas in `schemas/`.

The schema files are the single source of truth: they validate here, `finops-kb schema` hands them
to editors, and the content-model docs are generated from them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .diagnostics import Diagnostic
from .facts import did_you_mean
from .model import DATA_LISTS, DataFile, Document, KeyPath, Repository, mapping
from .schema_messages import explain

DOCUMENT_KINDS = (
    "capability",
    "domain",
    "persona",
    "principle",
    "phase",
    "page",
    "overlay",
    "charter",
    "adoption-phase",
    "unit-overlay",
)
DATA_KINDS = ("organization", "raci", "unit-raci", "assessment", "kpi-series")


def schema_files() -> dict[str, str]:
    """File name -> text of every shipped schema."""
    folder = resources.files("generator.core") / "schemas"
    return {p.name: p.read_text("utf-8") for p in folder.iterdir() if p.name.endswith(".json")}


@cache
def _validators() -> dict[str, Draft202012Validator]:
    schemas = {name: json.loads(text) for name, text in schema_files().items()}
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(s)) for name, s in schemas.items()
    )
    return {
        name[:-5]: Draft202012Validator(s, registry=registry)
        for name, s in schemas.items()
        if name != "common.json"
    }


def _bundle(node: Any, base: dict[str, Any], files: dict[str, Any]) -> Any:
    """The schema with every `$ref` inlined, for a compiler that reads one document."""
    if isinstance(node, dict):
        if "$ref" in node:
            name, _, pointer = node["$ref"].partition("#")
            doc = files[name] if name else base
            target = doc
            for part in pointer.strip("/").split("/"):
                target = target[part]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return {**_bundle(target, doc, files), **_bundle(extra, base, files)}
        return {
            k: _bundle(v, base, files)
            for k, v in node.items()
            if k not in ("$schema", "$id", "$defs")
        }
    if isinstance(node, list):
        return [_bundle(v, base, files) for v in node]
    return node


@cache
def _fast() -> dict[str, Callable[[Any], Any]]:
    """Compiled validators (fastjsonschema, ~25x faster) that only say valid or not.

    Valid data, by far the common case, costs almost nothing; invalid data is validated again by
    jsonschema, whose errors carry the paths the diagnostics need. Both read the same files.
    """
    files = {name: json.loads(text) for name, text in schema_files().items()}
    return {
        name[:-5]: fastjsonschema.compile(_bundle(s, s, files))
        for name, s in files.items()
        if name != "common.json"
    }


MAX_ERRORS = 200
"""Schema errors reported per file. A file with more is broken as a whole (20,000 pasted
entries, say): its first problems are what to fix, and explaining the rest cost seconds."""


def _errors(kind: str, data: dict[str, Any]) -> list[ValidationError]:
    """Up to MAX_ERRORS + 1 schema errors: one more than are explained says there are more."""
    try:
        _fast()[kind](data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    return list(islice(_validators()[kind].iter_errors(data), MAX_ERRORS + 1))


def _explain_all(errors: list[ValidationError], line_of: Any, rel: str) -> list[Diagnostic]:
    # The validators report a missing key once per missing key, each error naming all of
    # them: one diagnostic per key and place is enough.
    explained = (d for error in errors[:MAX_ERRORS] for d in explain(error, line_of, rel))
    problems = list(dict.fromkeys(explained))
    if len(errors) > MAX_ERRORS:
        problems.append(
            Diagnostic(
                rel,
                1,
                "too-many-problems",
                f"more than {MAX_ERRORS} schema problems; the rest of this file is not checked "
                "and nothing in it is used",
                "fix the problems reported above and run `finops-kb check` again",
            )
        )
    return problems


def validate(kind: str, data: dict[str, Any], line_of: Any, rel: str) -> list[Diagnostic]:
    """Check `data` against the schema of `kind`; `line_of(path)` gives a key path's line."""
    return _explain_all(_errors(kind, data), line_of, rel)


def _unknown_keys(error: ValidationError) -> list[str]:
    """The keys an `additionalProperties: false` error is about (none for other errors)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator != "additionalProperties" or schema.get("additionalProperties") is not False:
        return []
    known = schema.get("properties", {})
    return [key for key in error.instance if key not in known]


def _errors_of(kind: str, data: Any, broken: list[KeyPath]) -> list[ValidationError]:
    """Schema errors, less those about values YAML could not build: they are reported."""
    errors = _errors(kind, data)
    if broken:
        errors = [
            e for e in errors if not any(tuple(e.absolute_path)[: len(b)] == b for b in broken)
        ]
    return errors


def _sort(errors: list[ValidationError]) -> tuple[list[KeyPath], list[ValidationError]]:
    """(paths of the values that break the types, unknown-key errors).

    An unknown key breaks nothing: it is reported and removed, and the rest of the data stays.
    """
    damaged: list[KeyPath] = []
    unknown: list[ValidationError] = []
    for error in errors:
        if _unknown_keys(error):
            unknown.append(error)
        else:
            damaged.append(tuple(error.absolute_path))
    return damaged, unknown


def _strip(unknown: list[ValidationError]) -> None:
    for error in unknown:
        for key in _unknown_keys(error):
            error.instance.pop(key, None)


def validate_document(doc: Document) -> list[Diagnostic]:
    return _check_document(doc)[0]


def _check_document(doc: Document) -> tuple[list[Diagnostic], bool]:
    """(diagnostics, whether the document is valid once its unknown keys are removed)."""
    kind = doc.meta.get("kind")
    if kind is None:
        problem = Diagnostic(
            doc.path,
            1,
            "missing-key",
            "missing required key `kind`",
            "add `kind:` with one of: " + ", ".join(DOCUMENT_KINDS),
        )
        return [problem], False
    if kind not in DOCUMENT_KINDS:
        hint = did_you_mean(str(kind), DOCUMENT_KINDS) or "use one of: " + ", ".join(DOCUMENT_KINDS)
        line = doc.line_of(("kind",))
        return [Diagnostic(doc.path, line, "unknown-kind", f"unknown kind `{kind}`", hint)], False
    errors = _errors_of(str(kind), doc.meta, doc.broken)
    problems = _explain_all(errors, doc.line_of, doc.path)
    damaged, unknown = _sort(errors)
    if damaged or doc.broken or len(errors) > MAX_ERRORS:
        return problems, False
    _strip(unknown)
    return problems, True


def validate_data(kind: str, data: DataFile) -> list[Diagnostic]:
    return validate(kind, data.data, data.line_of, data.path)


def _gate_data(kind: str, data: DataFile, repo: Repository) -> list[Diagnostic]:
    """Validate a data file and keep only what is valid: the rest is reported here, once."""
    errors = _errors_of(kind, data.data, data.broken)
    problems = _explain_all(errors, data.line_of, data.path)
    damaged, unknown = _sort(errors)
    _strip(unknown)
    entries, drop, keys = DATA_LISTS[kind], set(), set()
    if len(errors) > MAX_ERRORS:
        keys.add(entries)  # which entries are sound is not known: use none
    for path in damaged + data.broken:
        if len(path) >= 2 and path[0] == entries and isinstance(path[1], int):
            drop.add(path[1])
        elif path:
            keys.add(str(path[0]))
    for key in keys:
        data.data.pop(key, None)
    # What a dropped list of the group's files would have defined (roles, units, activities) is
    # unknown: references to it are not reported again.
    if kind in ("organization", "raci"):
        repo.unknown_lists.update(keys)
    if drop and entries not in keys:
        _drop_entries(data, entries, drop, repo)
    return problems


def _drop_entries(data: DataFile, entries: str, drop: set[int], repo: Repository) -> None:
    """Remove entries `drop` from the list `entries`, renumbering the lines of the others.

    The ids they wrote are remembered, so references to them are not reported again.
    """
    items = data.data[entries]
    for i in drop:
        entry = mapping(items[i])
        if isinstance(entry.get("id"), str):
            repo.unresolved.add(entry["id"])
        repo.named_by_invalid.update(_named(entry.get("assignments")))
    keep = [i for i in range(len(items)) if i not in drop]
    index = {old: new for new, old in enumerate(keep)}
    data.data[entries] = [items[i] for i in keep]
    lines: dict[KeyPath, int] = {}
    for path, line in data.key_lines.items():
        if len(path) < 2 or path[0] != entries or not isinstance(path[1], int):
            lines[path] = line
        elif path[1] in index:
            lines[(entries, index[path[1]], *path[2:])] = line
    data.key_lines = lines


def run(repo: Repository) -> list[Diagnostic]:
    """The gate between loading and every later stage; returns the diagnostics.

    Every document and data file is validated once, here. A document that fails its schema
    moves to `repo.invalid` (its stem and id to `repo.unresolved`), an invalid entry of a data
    file is dropped, and unknown keys are removed: later stages read only valid, typed data,
    and a problem is reported once, not again by every rule that trips over it.
    """
    problems: list[Diagnostic] = []
    valid: list[Document] = []
    for doc in repo.documents:
        found, ok = _check_document(doc)
        problems += found
        if ok:
            valid.append(doc)
            continue
        repo.invalid.append(doc)
        repo.unresolved.add(doc.stem)
        if isinstance(doc.meta.get("id"), str):
            repo.unresolved.add(doc.meta["id"])
    repo.documents = valid
    for data in [repo.organization, repo.raci, *repo.unit_racis]:
        if data is not None:
            problems += _gate_data(data.kind, data, repo)
    for data in [*repo.assessments, *repo.kpi_series]:
        problems += _gate_data(data.kind, data, repo)
    # An assessment or a KPI series is one record: without its date, unit or values it says
    # nothing true, so what is left of an invalid one is not used (its problems are reported).
    repo.assessments = [d for d in repo.assessments if not _errors_of(d.kind, d.data, [])]
    repo.kpi_series = [d for d in repo.kpi_series if not _errors_of(d.kind, d.data, [])]
    return problems


def _named(assignments: Any) -> set[str]:
    """Role ids an invalid `assignments` value seems to name, whatever its shape."""
    if isinstance(assignments, dict):
        return {str(k) for k in assignments}
    if isinstance(assignments, list):
        return set().union(*(_named(a) if isinstance(a, dict) else {str(a)} for a in assignments))
    return set()
