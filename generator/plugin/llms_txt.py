"""`llms.txt` (https://llmstxt.org/) at the site root: the site's name, a one-paragraph
summary, and a section per part of the site listing the Markdown copies of its pages; and
`llms-full.txt`, every page's Markdown in one file for tools that read a site in one go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..render.html_parts import md
from ..render.markdown_parts import text

# (section, folders of the site it holds); the first section also takes the pages at the root.
SECTIONS = (
    ("Framework", ("", "framework", "domains", "principles", "phases", "personas")),
    ("Capabilities", ("capabilities",)),
    ("Our organization", ("organization",)),
    ("Units", ("organization/units",)),
    ("About", ("about", "packs")),
)
_DESCRIPTION_LIMIT = 160


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    """The `.md` file, from the site root."""
    title: str
    description: str
    markdown: str


def _section(path: str) -> str:
    folder = path.rpartition("/")[0]
    best, depth = SECTIONS[0][0], -1
    for name, folders in SECTIONS:
        for f in folders:
            hit = folder == f or (f and folder.startswith(f + "/"))
            if hit and len(f) > depth:
                best, depth = name, len(f)
    return best


def _line(entry: Entry) -> str:
    words = " ".join(entry.description.split())
    if len(words) > _DESCRIPTION_LIMIT:
        words = words[: _DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    link = f"- [{md(entry.title)}]({entry.path})"
    # Descriptions are Markdown already (see markdown_pages._description).
    return f"{link}: {words}" if words else link


def index(site_name: str, summary: str, entries: list[Entry]) -> str:
    """The text of `llms.txt`."""
    lines = [f"# {md(site_name)}", "", f"> {text(' '.join(summary.split()))}", ""]
    lines.append(
        "Every page of this site is also published as Markdown beside its HTML "
        "(`page.html` → `page.md`); the links below lead to those copies. "
        "`llms-full.txt` holds all of them in one file."
    )
    for name, _ in SECTIONS:
        mine = [e for e in entries if _section(e.path) == name]
        if mine:
            lines += ["", f"## {name}", ""]
            lines += [_line(e) for e in sorted(mine, key=_order)]
    return "\n".join(lines) + "\n"


def _order(entry: Entry) -> tuple[int, int, str]:
    # A folder's index page first, then its pages by title.
    top = entry.path.count("/")
    return (top, 0 if entry.path.endswith("index.md") else 1, entry.title.casefold())


def write_index(site: Path, config: Any, entries: list[Entry]) -> None:
    name = str(config.site_name or "Knowledge base")
    summary = str(config.site_description or f"{name}: how the organization practises FinOps.")
    (site / "llms.txt").write_text(index(name, summary, entries), encoding="utf-8")
    full = "\n\n".join(e.markdown.rstrip("\n") for e in sorted(entries, key=lambda e: e.path))
    (site / "llms-full.txt").write_text(full + "\n", encoding="utf-8")
