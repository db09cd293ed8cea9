"""Diagnostics are data: every stage returns them, the CLI and the plugin print them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from xml.sax.saxutils import escape, quoteattr

from .model import DataFile, Document, KeyPath

SEVERITIES = ("error", "warning", "off")

# Characters that could end a line, move the cursor or fail to encode: in a path or message they
# would forge a second diagnostic line (or crash the print), so reports show them as escapes.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# What XML 1.0 cannot carry at all, even as a character reference.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Lone surrogates (undecodable file names) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, with control characters and lone surrogates shown as escapes."""
    return _UNSAFE_TEXT.sub(_escape_char, text)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    """Repository-relative POSIX path of the file the problem is in."""
    line: int
    """1-based line in the file (0 when the problem concerns the whole file)."""
    code: str
    """Stable kebab-case id, documented in `codes.py`."""
    message: str
    hint: str = ""
    """What to do about it."""
    severity: str = ""
    """`error` or `warning`; empty means the code's default."""
    column: int = 1

    def format(self) -> str:
        text = visible(
            f"{self.path}:{self.line}:{self.column}: {self.severity} {self.code} {self.message}"
        )
        return f"{text}\n    hint: {visible(self.hint)}" if self.hint else text


class Problems(list[Diagnostic]):
    """What one rule finds. `add` places a problem at a line, or at a key path of the file,
    which keeps the rules free of line bookkeeping."""

    def add(
        self,
        source: Document | DataFile | str,
        at: int | KeyPath,
        code: str,
        message: str,
        hint: str = "",
    ) -> None:
        path = source if isinstance(source, str) else source.path
        if isinstance(at, int):
            line = at
        elif isinstance(source, str):
            line = 0
        else:
            line = source.line_of(at)
        self.append(Diagnostic(path, line, code, message, hint))


def apply_severities(
    diagnostics: Iterable[Diagnostic], defaults: dict[str, str], overrides: dict[str, str]
) -> list[Diagnostic]:
    """Fill in each diagnostic's severity from the code defaults and the site's overrides.

    Codes set to `off` are dropped. The result is sorted for stable output.
    """
    out = []
    for d in diagnostics:
        severity = overrides.get(d.code) or d.severity or defaults.get(d.code, "error")
        if severity != "off":
            out.append(replace(d, severity=severity))
    return sorted(out, key=lambda d: (d.path, d.line, d.column, d.code, d.message))


def summary(diagnostics: list[Diagnostic], files: int, seconds: float) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} files ({seconds:.2f} s)"
    )


_FIELDS = tuple(f.name for f in fields(Diagnostic))


def _as_dict(d: Diagnostic) -> dict[str, object]:
    # dataclasses.asdict deep-copies every field: a third of the time of a large report.
    return {name: getattr(d, name) for name in _FIELDS}


def to_json(diagnostics: list[Diagnostic], files: int, seconds: float) -> str:
    """The `--format json` document; its shape is documented in the README."""
    return json.dumps(
        {
            "version": 1,
            "files": files,
            "seconds": round(seconds, 3),
            "errors": sum(d.severity == "error" for d in diagnostics),
            "warnings": sum(d.severity == "warning" for d in diagnostics),
            "diagnostics": [_as_dict(d) for d in diagnostics],
        },
        indent=2,
    )


def _github_data(text: str) -> str:
    """Escape a workflow-command message the way GitHub's own toolkit does."""
    text = _SURROGATE.sub("\ufffd", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """Escape a workflow-command property: `:` and `,` would end it early."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic, one line each."""
    lines = []
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        body = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(
            f"::{kind} file={_github_property(d.path)},line={max(d.line, 1)},col={d.column},"
            f"title={_github_property(d.code)}::{_github_data(body)}"
        )
    return "\n".join(lines)


def _xml(text: str) -> str:
    """Text that XML 1.0 can hold: forbidden characters become visible escapes."""
    return _NOT_XML.sub(_escape_char, text)


def to_junit(
    diagnostics: list[Diagnostic], files: list[str], seconds: float, strict: bool = False
) -> str:
    """JUnit XML: one test case per checked file, failing with its diagnostics.

    With `strict`, warnings fail their file too, so the report agrees with the exit status.
    """
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)

    def fails(d: Diagnostic) -> bool:
        return d.severity == "error" or strict

    failures = sum(any(fails(x) for x in ds) for ds in by_file.values())
    counts = f'tests="{len(by_file)}" failures="{failures}" time="{seconds:.3f}"'
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="finops-kb check" {counts}>',
        f'<testsuite name="finops-kb check" {counts}>',
    ]
    for path in sorted(by_file):
        ds = by_file[path]
        out.append(f'<testcase classname="finops-kb" name={quoteattr(_xml(visible(path)))}>')
        failed = [d for d in ds if fails(d)]
        if failed:
            text = _xml("\n".join(d.format() for d in failed))
            out.append(
                f"<failure message={quoteattr(f'{len(failed)} problem(s)')} "
                f'type="finops-kb">{escape(text)}</failure>'
            )
        passed = [d for d in ds if not fails(d)]
        if passed:
            text = _xml("\n".join(d.format() for d in passed))
            out.append(f"<system-out>{escape(text)}</system-out>")
        out.append("</testcase>")
    out += ["</testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"
