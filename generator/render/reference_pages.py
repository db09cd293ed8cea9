"""Reference pages generated from the code's own tables: check codes and the content model."""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from ..core.codes import CODES
from ..core.rules.sections import REQUIRED
from ..core.schema import schema_files

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _text(text: Any) -> str:
    """Schema prose as Markdown: `<id>` and `&` shown literally outside code spans, which
    Markdown already shows literally; `|` escaped for table cells."""
    out, last = [], 0
    raw = str(text)
    for m in _CODE_SPAN.finditer(raw):
        out += [escape(raw[last : m.start()], quote=False), m.group(0)]
        last = m.end()
    out.append(escape(raw[last:], quote=False))
    return "".join(out).replace("|", "\\|").replace("\n", " ")


def check_codes() -> str:
    out = [
        "# Check codes",
        "",
        "Every problem `finops-kb check` reports has one of these codes. "
        "Severities can be changed per code under the plugin's `severity:` option.",
        "",
    ]
    for code, c in CODES.items():
        out += [
            f"## {code}",
            "",
            f"*Default severity: {c.severity}.* {c.summary}",
            "",
            "Wrong:",
            "",
            "```",
            c.bad,
            "```",
            "",
            "Right:",
            "",
            "```",
            c.good,
            "```",
            "",
        ]
    return "\n".join(out)


def _type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        target = defs.get(name) or defs.get("review", {}).get(name, {})
        return _type(target, defs) if target else name
    if "enum" in schema:
        return " / ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type", "any")
    if kind == "array":
        return "list of " + _type(schema.get("items", {}), defs)
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _fields(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for key, sub in schema.get("properties", {}).items():
        name = prefix + key
        target = sub
        if "$ref" in sub:
            ref = sub["$ref"].split("/")[-1]
            target = {**(defs.get(ref) or defs.get("review", {}).get(ref, {})), **sub}
        desc = _text(target.get("description", ""))
        rows.append(
            f"| `{name}` | {_type(sub, defs)} | {'yes' if key in required else ''} | {desc} |"
        )
        items = target.get("items", {}) if target.get("type") == "array" else target
        if isinstance(items, dict) and items.get("properties"):
            rows += _fields(items, defs, name + ("[]." if target.get("type") == "array" else "."))
    return rows


def content_model() -> str:
    files = schema_files()
    defs = json.loads(files["common.json"])["$defs"]
    out = [
        "# Content model reference",
        "",
        "Generated from the JSON Schemas shipped with finops-kb (`finops-kb schema`), which are "
        "also what `finops-kb check` validates against.",
        "",
    ]
    for name in sorted(files):
        if name == "common.json":
            continue
        schema = json.loads(files[name])
        out += [
            f"## {name[:-5]}",
            "",
            _text(schema.get("title", "")),
            "",
            "| Key | Type | Required | Meaning |",
            "|---|---|---|---|",
            *_fields(schema, defs),
            "",
        ]
        sections = REQUIRED.get(name[:-5])
        if sections:
            out += [
                "Required sections: "
                + " · ".join(
                    f"`## {n}`" + (" (" + ", ".join(f"`### {c}`" for c in cs) + ")" if cs else "")
                    for n, cs in sections
                ),
                "",
            ]
    return "\n".join(out)
