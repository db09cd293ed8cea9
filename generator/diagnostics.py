"""Diagnostics are data: every stage returns them, the CLI and the plugin print them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from xml.sax.saxutils import escape, quoteattr

SEVERITIES = ("error", "warning", "off")


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
        text = f"{self.path}:{self.line}:{self.column}: {self.severity} {self.code} {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


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


def to_json(diagnostics: list[Diagnostic], files: int, seconds: float) -> str:
    """The `--format json` document; its shape is documented in the README."""
    return json.dumps(
        {
            "version": 1,
            "files": files,
            "seconds": round(seconds, 3),
            "errors": sum(d.severity == "error" for d in diagnostics),
            "warnings": sum(d.severity == "warning" for d in diagnostics),
            "diagnostics": [asdict(d) for d in diagnostics],
        },
        indent=2,
    )


def to_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""

    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        body = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(
            f"::{kind} file={d.path},line={max(d.line, 1)},col={d.column},"
            f"title={d.code}::{esc(body)}"
        )
    return "\n".join(lines)


def to_junit(diagnostics: list[Diagnostic], files: list[str], seconds: float) -> str:
    """JUnit XML: one test case per checked file, failing with its diagnostics."""
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(any(x.severity == "error" for x in ds) for ds in by_file.values())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="finops-kb check" tests="{len(by_file)}" failures="{failures}" '
        f'time="{seconds:.3f}">',
        f'<testsuite name="finops-kb check" tests="{len(by_file)}" failures="{failures}" '
        f'time="{seconds:.3f}">',
    ]
    for path in sorted(by_file):
        ds = by_file[path]
        out.append(f'<testcase classname="finops-kb" name={quoteattr(path)}>')
        errors = [d for d in ds if d.severity == "error"]
        if errors:
            text = "\n".join(d.format() for d in errors)
            out.append(
                f"<failure message={quoteattr(f'{len(errors)} problem(s)')} "
                f'type="finops-kb">{escape(text)}</failure>'
            )
        warnings = [d for d in ds if d.severity == "warning"]
        if warnings:
            out.append(
                f"<system-out>{escape(chr(10).join(d.format() for d in warnings))}</system-out>"
            )
        out.append("</testcase>")
    out += ["</testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"
