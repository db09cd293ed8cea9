"""Source pages: find the Markdown files under SOURCE and read their front matter.

Jekyll and MkDocs write YAML between `---` lines; Hugo writes YAML the same way or TOML between
`+++` lines; MkDocs pages may have none at all. Every problem is a diagnostic at the source
file's line; only a SOURCE that is missing or not Markdown is a usage error.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import ConfigError
from ..diagnostics import Diagnostic
from ..files import read_text
from ..yaml_data import parse_yaml_checked
from .findings import finding

MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")
# Output, theme and tool folders of the three generators: not pages, even when they hold `.md`.
_NOT_PAGES = frozenset(
    {"_site", "_includes", "_layouts", "_sass", "node_modules", "vendor", "archetypes", "themes"}
)
_YAML_END = re.compile(r"^(---|\.\.\.)[ \t]*$", re.M)
_TOML_END = re.compile(r"^\+\+\+[ \t]*$", re.M)
_TOML_KEY = re.compile(r"^\s*(?:([A-Za-z0-9_-]+)|\"([^\"]+)\")\s*=|^\s*\[+\s*([A-Za-z0-9_-]+)")
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(slots=True)
class Source:
    rel: str
    """POSIX path from the SOURCE folder: the key for links between the imported pages."""
    shown: str
    """The path diagnostics name (SOURCE as given, joined with `rel`)."""
    meta: dict[str, Any]
    key_lines: dict[str, int]
    """File line of each top-level front-matter key."""
    body: list[str]
    body_line: int
    """File line of the body's first line."""
    syntax: str = "none"
    """Front matter as written: `yaml`, `toml` or `none`."""
    problems: list[Diagnostic] = field(default_factory=list)


def find(source: Path) -> tuple[Path, list[str]]:
    """(folder, Markdown files in it as POSIX paths) for SOURCE, a folder or one file.

    Hidden folders (`.git`), output and theme folders (`_site`, `themes`…) are skipped, and
    symbolic links are not followed: nothing outside SOURCE is read.
    """
    if not source.exists():
        raise ConfigError(f"{source}: no such file or folder")
    if source.is_file():
        if source.suffix.lower() not in MARKDOWN:
            raise ConfigError(f"{source} is not a Markdown file (expected {', '.join(MARKDOWN)})")
        return source.parent, [source.name]
    if not source.is_dir():
        raise ConfigError(f"{source} is neither a file nor a folder")
    found = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NOT_PAGES)
        for name in sorted(files):
            path = Path(folder, name)
            if name.lower().endswith(MARKDOWN) and not path.is_symlink():
                found.append(path.relative_to(source).as_posix())
    if not found:
        raise ConfigError(f"{source} has no Markdown files ({', '.join(MARKDOWN)})")
    return source, found


def read(folder: Path, rel: str, shown: str) -> Source:
    """The page with its front matter; `syntax` is `broken` (with problems) when it cannot be
    read."""
    text, problems = read_text(folder, rel)
    if text is None:
        return _failed(rel, shown, [replace(p, path=shown) for p in problems])
    if text.startswith("+++\n"):
        return _toml(rel, shown, text)
    if text.startswith("---\n") and (end := _YAML_END.search(text, 4)):
        front, body = text[4 : end.start()], text[end.end() + 1 :]
        meta, lines, found, _broken = parse_yaml_checked(front, shown, 2)
        if meta is None or not isinstance(meta, dict):
            return _failed(rel, shown, found or [_not_mapping(shown)])
        key_lines = {str(k[0]): line for k, line in lines.items() if len(k) == 1}
        page = Source(rel, shown, meta, key_lines, body.split("\n"), front.count("\n") + 3, "yaml")
        page.problems += found
        return page
    return Source(rel, shown, {}, {}, text.split("\n"), 1)


def _toml(rel: str, shown: str, text: str) -> Source:
    end = _TOML_END.search(text, 4)
    if end is None:
        problem = finding(
            shown, 1, "import-front-matter", "TOML front matter is not closed", "add a `+++` line"
        )
        return _failed(rel, shown, [problem])
    front = text[4 : end.start()]
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = 1 + (int(m.group(1)) if m else 0)
        why = str(exc).split(" (at", 1)[0]
        hint = "fix the front matter and import again"
        problem = finding(shown, line, "import-front-matter", f"TOML: {why}", hint)
        return _failed(rel, shown, [problem])
    key_lines: dict[str, int] = {}
    for i, line_text in enumerate(front.split("\n")):
        m = _TOML_KEY.match(line_text)
        if m and (key := m.group(1) or m.group(2) or m.group(3)) and key not in key_lines:
            key_lines[key] = i + 2
        if line_text.lstrip().startswith("["):  # keys below a table belong to it
            break
    body = text[end.end() + 1 :]
    return Source(rel, shown, meta, key_lines, body.split("\n"), front.count("\n") + 3, "toml")


def _failed(rel: str, shown: str, problems: list[Diagnostic]) -> Source:
    page = Source(rel, shown, {}, {}, [], 1, "broken")
    page.problems += problems
    return page


def _not_mapping(shown: str) -> Diagnostic:
    return finding(
        shown,
        2,
        "import-front-matter",
        "front matter is not a mapping of keys to values",
        "write front matter as `key: value` lines",
    )
