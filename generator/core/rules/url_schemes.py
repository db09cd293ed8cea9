"""URLs the site would render as links: only http(s), mailto and relative paths.

A `javascript:`, `data:` or `vbscript:` URL in a link runs script or shows forged content when
clicked. `safe_url` is the one test for it: this rule reports such URLs at their line, and the
generated HTML parts never render an unsafe URL as a link, even when the rule is switched off.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Problems
from ..model import KeyPath, Repository

ALLOWED_SCHEMES = ("http", "https", "mailto")
# Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme
# (`java\tscript:`), so the test looks at the URL without them.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def safe_url(url: str) -> bool:
    """Whether `url` may be the target of a link: http(s), mailto, or a path on this site."""
    text = _IGNORED.sub("", html.unescape(str(url))).lower()
    scheme = _SCHEME.match(text)
    if scheme:
        return scheme.group(1) in ALLOWED_SCHEMES
    # `//host` and `/\host` leave the site without naming a scheme; a colon before the first
    # slash would make a scheme of its own in some parsers.
    return not text.startswith(("//", "/\\", "\\")) and ":" not in text.split("/", 1)[0]


def _data_urls(repo: Repository) -> Iterator[tuple[str, int, str, str]]:
    """(path, line, field, url) of every URL written in front matter or data files."""
    org = repo.organization
    if org and isinstance(org.data.get("repository_url"), str):
        key: KeyPath = ("repository_url",)
        yield org.path, org.line_of(key), "repository_url", org.data["repository_url"]
    for doc in repo.documents:
        sources: Any = doc.meta.get("sources")
        for i, source in enumerate(sources if isinstance(sources, list) else []):
            url = source.get("url") if isinstance(source, dict) else None
            if isinstance(url, str):
                yield doc.path, doc.line_of(("sources", i, "url")), f"sources[{i}].url", url
        for link in doc.links:
            yield doc.path, link.line, "link", link.target


def run(repo: Repository, config: Config) -> list[Diagnostic]:
    problems = Problems()
    for path, line, field, url in _data_urls(repo):
        if safe_url(url):
            continue
        shown = url if len(url) <= 60 else url[:57] + "..."
        problems.add(
            path,
            line,
            "unsafe-url",
            f"{field} `{shown}` is not an http(s), mailto or relative URL",
            "link to an http(s) page or a file of this site; such a URL is shown as text, "
            "never as a link",
        )
    return problems
