"""Untouched scaffold text: the placeholder sentences of `finops-kb new`, still in a file.

A placeholder is prose, so `empty-section` is satisfied by it; this rule reports it instead, as a
warning, so that `check --strict` (and CI) fails until every placeholder is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..model import Document, KeyPath, Repository
from ..placeholders import BODY, FRONT, Placeholder

_BY_TEXT = {p.text: p for p in BODY}
_ANY = re.compile("|".join(re.escape(text) for text in sorted(_BY_TEXT, key=len, reverse=True)))
"""Any body placeholder; the longest first, should one ever contain another."""
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
"""A code span: a placeholder quoted in one (a guide that documents `new`) is not one."""


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, text without code spans) of every line outside fenced code."""
    fence = ""
    for i, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield i, _CODE_SPAN.sub("", line) if "`" in line else line


def _body(doc: Document, problems: Problems) -> None:
    if not _ANY.search(doc.body):  # the common case, one pass over the body
        return
    for i, line in _prose_lines(doc.body):
        for found in _ANY.finditer(line):
            _report(problems, doc, doc.body_line + i, _BY_TEXT[found.group()])


def _strings(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _front(doc: Document, problems: Problems) -> None:
    for path, text in _strings(doc.meta):
        placeholder = FRONT.get(text.strip())
        if placeholder is not None:
            _report(problems, doc, doc.line_of(path), placeholder)


def _report(problems: Problems, doc: Document, line: int, placeholder: Placeholder) -> None:
    problems.add(
        doc,
        line,
        "placeholder-text",
        f'placeholder left by `finops-kb new`: "{placeholder.text}"',
        placeholder.hint,
    )


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    problems = Problems()
    for doc in [*repo.documents, *repo.invalid]:
        _front(doc, problems)
        _body(doc, problems)
    return problems
