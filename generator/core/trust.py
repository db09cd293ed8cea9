"""What tells a reader how far to trust a page: an overdue review, and where to report a problem.

The "report a problem" link comes from the plugin option `report_issue_url`, a URL template
with `{title}`, `{path}` and `{page_url}`; each value is percent-encoded whole, so a title with
`&` or `#` cannot end the query early. Only http(s) templates are accepted: the link is written
into every page, and a `javascript:` URL there would run in the reader's browser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .facts import page_owner, review_due
from .model import Document

PLACEHOLDERS = ("title", "path", "page_url")
_FIELD = re.compile(r"\{([^{}]*)\}")


def report_url_problem(template: str) -> str | None:
    """What is wrong with a `report_issue_url` template, or None if it is usable."""
    if any(c.isspace() or ord(c) < 32 for c in template):
        return "must not contain spaces or control characters; write them as %20"
    try:
        parts = urlsplit(_FIELD.sub("x", template))
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "must be an http:// or https:// address, e.g. https://git.example/kb/issues/new"
    unknown = [f for f in _FIELD.findall(template) if f not in PLACEHOLDERS]
    if unknown:
        names = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        return f"has an unknown placeholder `{{{unknown[0]}}}` (placeholders: {names})"
    if "{" in _FIELD.sub("", template) or "}" in _FIELD.sub("", template):
        return "has an unmatched `{` or `}`; write a literal brace as %7B or %7D"
    return None


def report_url(template: str, title: str, path: str, page_url: str) -> str:
    """The template with each placeholder replaced by its percent-encoded value."""
    values = {"title": title, "path": path, "page_url": page_url}
    return _FIELD.sub(lambda m: quote(values.get(m.group(1), ""), safe=""), template)


@dataclass(frozen=True, slots=True)
class Overdue:
    due: dt.date
    owner: str | None
    """Role id of the page's owner (None: no owner recorded)."""


def overdue(
    doc: Document, overlays: dict[str, Document], interval: int, today: dt.date
) -> Overdue | None:
    """The overdue review of a page (None: reviewed in time, or no review date)."""
    due = review_due(doc, interval)
    if due is None or due >= today:
        return None
    return Overdue(due, page_owner(doc, overlays))
