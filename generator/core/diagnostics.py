"""Diagnostics are data: every stage returns them, the CLI and the plugin print them.

The report formats of `finops-kb check` (JSON, SARIF, JUnit, ...) are in `report.py`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import DataFile, Document, KeyPath

SEVERITIES = ("error", "warning", "off")

# Characters that could end a line, move the cursor or fail to encode: in a path or message they
# would forge a second diagnostic line (or crash the print), so reports show them as escapes.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, with control characters and lone surrogates shown as escapes."""
    return _UNSAFE_TEXT.sub(escape_char, text)


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
