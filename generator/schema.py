"""Stage 2: validate front matter and data files against the JSON Schemas in `schemas/`.

The schema files are the single source of truth: they validate here, `finops-kb schema` hands them
to editors, and the content-model docs are generated from them.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .diagnostics import Diagnostic
from .model import DataFile, Document, KeyPath, Repository

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
)
DATA_KINDS = ("organization", "raci")


def schema_files() -> dict[str, str]:
    """File name -> text of every shipped schema."""
    folder = resources.files("generator") / "schemas"
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


def did_you_mean(word: str, choices: Any) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{match[0]}`?" if match else ""


def _dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def validate(kind: str, data: dict[str, Any], line_of: Any, rel: str) -> list[Diagnostic]:
    """Check `data` against the schema of `kind`; `line_of(path)` gives a key path's line."""
    try:
        _fast()[kind](data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = _validators()[kind]
    problems: list[Diagnostic] = []
    for error in validator.iter_errors(data):
        problems += _explain(error, line_of, rel)
    return problems


def _explain(error: ValidationError, line_of: Any, rel: str) -> list[Diagnostic]:
    path: KeyPath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and schema.get("additionalProperties") is False:
        known = schema.get("properties", {})
        out = []
        for key in error.instance:
            if key not in known:
                mean = did_you_mean(key, known)
                hint = mean or f"allowed keys: {', '.join(known)}"
                out.append(
                    Diagnostic(
                        rel,
                        line_of(path + (key,)),
                        "unknown-key",
                        f"unknown key `{_dotted(path + (key,))}`",
                        hint,
                    )
                )
        return out
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        line = line_of(path) if path else 1
        return [
            Diagnostic(
                rel,
                line,
                "missing-key",
                f"missing required key `{_dotted(path + (k,))}`",
                f"add `{k}:`" + _describe(schema.get("properties", {}).get(k), " —"),
            )
            for k in missing
        ]
    hint = _describe(schema)
    if error.validator == "pattern" and "a-z0-9" in str(error.validator_value):
        hint = "use lower-case letters, digits and hyphens (kebab-case)"
    elif error.validator == "enum":
        hint = "use one of: " + ", ".join(map(str, error.validator_value))
        mean = did_you_mean(str(error.instance), map(str, error.validator_value))
        hint = f"{mean} ({hint})" if mean else hint
    return [
        Diagnostic(
            rel, line_of(path), "invalid-value", f"`{_dotted(path)}`: {error.message}", hint.strip()
        )
    ]


def _describe(schema: Any, sep: str = "") -> str:
    if isinstance(schema, dict) and schema.get("description"):
        return f"{sep} {schema['description']}"
    return ""


def validate_document(doc: Document) -> list[Diagnostic]:
    kind = doc.meta.get("kind")
    if kind is None:
        return [
            Diagnostic(
                doc.path,
                1,
                "missing-key",
                "missing required key `kind`",
                "add `kind:` with one of: " + ", ".join(DOCUMENT_KINDS),
            )
        ]
    if kind not in DOCUMENT_KINDS:
        hint = did_you_mean(str(kind), DOCUMENT_KINDS) or "use one of: " + ", ".join(DOCUMENT_KINDS)
        return [
            Diagnostic(
                doc.path, doc.line_of(("kind",)), "unknown-kind", f"unknown kind `{kind}`", hint
            )
        ]
    return validate(str(kind), doc.meta, doc.line_of, doc.path)


def validate_data(kind: str, data: DataFile) -> list[Diagnostic]:
    return validate(kind, data.data, data.line_of, data.path)


def run(repo: Repository) -> list[Diagnostic]:
    """Validate every document and data file; returns the diagnostics.

    Documents that fail validation keep their place in the repository: later rules read fields
    defensively, so one bad key never hides the other problems of a file.
    """
    problems: list[Diagnostic] = []
    for doc in repo.documents:
        problems += validate_document(doc)
    if repo.organization:
        problems += validate_data("organization", repo.organization)
    if repo.raci:
        problems += validate_data("raci", repo.raci)
    return problems
