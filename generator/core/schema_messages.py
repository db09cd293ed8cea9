"""A JSON Schema error as an editor reads it: the key at its line, and a hint that says what to
write (a "did you mean", the allowed values, or the shape YAML needs)."""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import ValidationError

from .diagnostics import Diagnostic
from .facts import did_you_mean
from .ids import SLUG_HINT, SLUG_PATTERN
from .model import KeyPath


def _dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def explain(error: ValidationError, line_of: Any, rel: str) -> list[Diagnostic]:
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
    if error.validator == "pattern" and error.validator_value == SLUG_PATTERN:
        hint = SLUG_HINT
    elif error.validator == "pattern":
        hint = (
            "write it as described —" + hint
            if hint
            else f"write it to match `{error.validator_value}`"
        )
    elif error.validator == "type":
        hint = _TYPE_HINTS.get(str(error.validator_value), "") + _describe(schema, " —")
    elif error.validator == "enum":
        hint = "use one of: " + ", ".join(map(str, error.validator_value))
        mean = did_you_mean(str(error.instance), map(str, error.validator_value))
        hint = f"{mean} ({hint})" if mean else hint
    return [
        Diagnostic(
            rel, line_of(path), "invalid-value", f"`{_dotted(path)}`: {error.message}", hint.strip()
        )
    ]


# What to write instead of a value of the wrong type (YAML terms, as editors write them).
_TYPE_HINTS = {
    "string": "write text here (in quotes if it starts with a character YAML treats specially)",
    "array": "write a list: `[a, b]`, or one `- item` per line",
    "object": "write `key: value` pairs under it, indented",
    "integer": "write a whole number",
    "number": "write a number",
    "boolean": "write `true` or `false`",
}


def _describe(schema: Any, sep: str = "") -> str:
    if isinstance(schema, dict) and schema.get("description"):
        return f"{sep} {schema['description']}"
    return ""
