"""The reports of `finops-kb check`: text, JSON, GitHub annotations, JUnit XML, SARIF 2.1.0,
GitLab Code Quality and a Markdown job summary, all written from the same sorted diagnostics.

One rule makes the formats agree with each other and with the exit status: with `--strict` a
warning fails the run, so `strict()` turns it into an error before any format sees it (as a
compiler's -Werror does). Each format then reports exactly the findings, severities and counts
that decided the exit status; SARIF keeps each code's own default in its rule configuration.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from .codes import CODES
from .diagnostics import Diagnostic, escape_char, summary, visible

FORMATS = ("text", "json", "github", "junit", "sarif", "codequality", "markdown")

ANNOTATIONS_PER_STEP = 10
"""GitHub shows 10 error and 10 warning annotations of a step and silently drops the rest."""

SUMMARY_BYTES = 1_000_000
"""GitHub refuses a job summary of more than 1 MiB per step; what fits is kept, with a note."""

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
"""SARIF's base for the repository-relative URIs: the folder of the MkDocs config."""

# What XML 1.0 cannot carry at all, even as a character reference.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Lone surrogates (undecodable file names) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# ASCII punctuation that means something to CommonMark, GFM (tables, autolinks, strikethrough,
# emoji `:x:`, mentions `@x`, math `$x$`) or HTML; each is written backslash-escaped.
_MARKDOWN = re.compile(r"""[!#$&*+.:<>@\[\\\]^_`{|}~]""")
# Invisible characters that reorder or hide text (bidi controls, zero-width marks).
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True, slots=True)
class Run:
    """One `check`: its diagnostics (after `strict()` when --strict), the files it read."""

    diagnostics: list[Diagnostic]
    files: list[str]
    seconds: float
    summary_at: str = ""
    """Where the Markdown list of every finding goes, named in the annotations' last line."""

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def summary(self) -> str:
        return summary(self.diagnostics, len(self.files), self.seconds)


def strict(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning fails the run, so every format reports it as an error."""
    return [replace(d, severity="error") for d in diagnostics]


def render(name: str, run: Run) -> str:
    """The report `name` (one of FORMATS), without a final newline."""
    ds = run.diagnostics
    if name == "json":
        return to_json(ds, len(run.files), run.seconds)
    if name == "github":
        return to_github(ds, run.summary_at)
    if name == "junit":
        return to_junit(ds, run.files, run.seconds).rstrip("\n")
    if name == "sarif":
        return to_sarif(ds, failed=run.failed)
    if name == "codequality":
        return to_codequality(ds)
    if name == "markdown":
        return to_markdown(ds, len(run.files), run.seconds)
    return to_text(ds, len(run.files), run.seconds)


def to_text(diagnostics: list[Diagnostic], files: int, seconds: float) -> str:
    return "\n".join([d.format() for d in diagnostics] + [summary(diagnostics, files, seconds)])


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


def _body(d: Diagnostic) -> str:
    return d.message + (f" (hint: {d.hint})" if d.hint else "")


def to_github(diagnostics: list[Diagnostic], summary_at: str = "") -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic, one line each.

    GitHub keeps the first 10 errors and 10 warnings of a step; rather than let it drop the
    others unseen, the last line is a notice that counts them and says where all of them are.
    """
    lines, shown = [], Counter[str]()
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        shown[kind] += 1
        if shown[kind] <= ANNOTATIONS_PER_STEP:
            lines.append(
                f"::{kind} file={_github_property(d.path)},line={max(d.line, 1)},col={d.column},"
                f"title={_github_property(d.code)}::{_github_data(_body(d))}"
            )
    hidden = len(diagnostics) - len(lines)
    if hidden:
        where = summary_at or "the output of `finops-kb check`"
        lines.append(
            f"::notice title=finops-kb check::{_github_data(f'{hidden} more')} not annotated "
            f"(GitHub shows {ANNOTATIONS_PER_STEP} errors and {ANNOTATIONS_PER_STEP} warnings "
            f"per step); all {len(diagnostics)} are in {_github_data(where)}"
        )
    return "\n".join(lines)


def _xml(text: str) -> str:
    """Text that XML 1.0 can hold: forbidden characters become visible escapes."""
    return _NOT_XML.sub(escape_char, text)


def to_junit(
    diagnostics: list[Diagnostic], files: list[str], seconds: float, strict: bool = False
) -> str:
    """JUnit XML: one test case per checked file, failing with its errors.

    `strict` fails a file on its warnings too; the CLI has already made them errors then.
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


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """A stable id per finding: its file, code and message (not its line, which moves when
    text is added above it), and its rank among identical findings, so that each is unique."""
    seen, out = Counter[tuple[str, str, str]](), []
    for d in diagnostics:
        key = (d.path, d.code, d.message)
        text = "\x00".join([*key, str(seen[key])])
        seen[key] += 1
        out.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return out


def _uri(path: str) -> str:
    """A repository-relative path as a URI reference (spaces, `#`, `%` percent-encoded)."""
    try:
        raw = path.encode("utf-8", "surrogateescape")  # the bytes of an undecodable name
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")


def _fenced(text: str) -> str:
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


def _sarif_rule(code: str) -> dict[str, object]:
    c = CODES.get(code)
    if c is None:  # a code missing from codes.py still gets the rule its results point to
        return {"id": code, "shortDescription": {"text": code}}
    return {
        "id": code,
        "shortDescription": {"text": c.summary},
        "fullDescription": {"text": c.summary},
        "help": {
            "text": f"{c.summary}\n\nWrong:\n{c.bad}\n\nRight:\n{c.good}",
            "markdown": f"{c.summary}\n\n**Wrong**\n\n{_fenced(c.bad)}\n\n"
            f"**Right**\n\n{_fenced(c.good)}",
        },
        "defaultConfiguration": {"level": {"off": "none"}.get(c.severity, c.severity)},
    }


def to_sarif(diagnostics: list[Diagnostic], failed: bool) -> str:
    """SARIF 2.1.0 for code-scanning dashboards: every code as a rule, one result per finding.

    `executionSuccessful` says the check ran to the end; `exitCode` is the run's exit status
    (1 when it failed on findings)."""
    codes = list(CODES) + sorted({d.code for d in diagnostics} - CODES.keys())
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True):
        location = {
            "artifactLocation": {"uri": _uri(d.path), "uriBaseId": SRCROOT},
            "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
        }
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity == "error" else "warning",
                "message": {"text": _body(d)},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"finopsKb/v1": fingerprint},
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "finops-kb",
                "version": __version__,
                "rules": [_sarif_rule(code) for code in codes],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The folder of the MkDocs config."}}
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "exitCode": int(failed)}],
        "results": results,
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)


def to_codequality(diagnostics: list[Diagnostic]) -> str:
    """GitLab's Code Quality report: errors are `major`, warnings `minor`."""
    issues = [
        {
            "description": f"{d.code}: {_body(d)}",
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": "major" if d.severity == "error" else "minor",
            "location": {"path": d.path, "lines": {"begin": max(d.line, 1)}},
        }
        for d, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True)
    ]
    return json.dumps(issues, indent=2)


def markdown_text(text: str) -> str:
    """`text` as literal Markdown on one line: no markup, link, mention or HTML gets through."""
    text = _HIDDEN.sub(escape_char, visible(text))
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), text)


def to_markdown(
    diagnostics: list[Diagnostic], files: int, seconds: float, limit: int | None = None
) -> str:
    """A job summary: the counts, then one table row per finding (up to `limit` bytes)."""
    head = [f"### finops-kb check: {summary(diagnostics, files, seconds)}", ""]
    if not diagnostics:
        return "\n".join([*head, "No problems found."])
    head += ["| File | Line | Severity | Code | Message | Hint |", "|---|---:|---|---|---|---|"]
    rows: list[str] = []
    size = sum(len(line) + 1 for line in head) + 200
    for d in diagnostics:
        cells = [d.path, str(d.line), d.severity, d.code, d.message, d.hint]
        row = "| " + " | ".join(markdown_text(cell) for cell in cells) + " |"
        size += len(row.encode("utf-8", "surrogatepass")) + 1
        if limit is not None and size > limit:
            left = len(diagnostics) - len(rows)
            rows += [
                "",
                f"{left} more not listed: a job summary holds 1 MiB; `finops-kb check` "
                "lists them all.",
            ]
            break
        rows.append(row)
    return "\n".join(head + rows)
