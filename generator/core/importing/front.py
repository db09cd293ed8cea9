"""Front matter of Jekyll, Hugo and MkDocs pages mapped to the content model.

What the kind's schema knows is kept, `description` becomes `summary`, categories and keywords
join `tags`, old URLs go to the link index (and, for a capability, to `aliases`); keys that only
mean something to the old generator are dropped and named, unknown keys are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..diagnostics import Diagnostic
from ..facts import did_you_mean
from ..schema import schema_files
from .findings import finding
from .sources import Source

URL_KEYS = ("permalink", "url", "aliases", "redirect_from", "slug")
TAG_KEYS = ("tags", "categories", "keywords")
SUMMARY_KEYS = ("summary", "description", "excerpt")
# Keys the three generators use for layout, ordering, dates and publishing: no place in the
# model, and nothing an editor needs to decide about, so they are dropped and only named.
DROPPED = frozenset(
    "layout weight draft published date lastmod last_modified_at publishDate publishdate "
    "expiryDate expirydate author authors toc toc_sticky menu menus nav_order parent "
    "grand_parent has_children nav_exclude has_toc sidebar sidebar_position sidebar_label type "
    "linkTitle sitemap image images cover math mermaid series translationKey headless cascade "
    "build outputs resources markup excerpt_separator render_with_liquid disableToc "
    "ShowToc TocOpen feature_image header footer classes".split()
)
NEVER_FROM_SOURCE = frozenset({"kind", "id", "aliases", "template"})
"""Keys the import sets itself (the kind, the id from the file name, aliases from old URLs),
and `template`, which names a template of the old site's theme."""


@lru_cache(maxsize=16)
def properties(kind: str) -> frozenset[str]:
    """Front-matter keys the schema of `kind` allows."""
    schema = json.loads(schema_files()[f"{kind}.json"])
    return frozenset(schema.get("properties", {}))


@dataclass(slots=True)
class Mapped:
    meta: dict[str, Any]
    lines: dict[str, int]
    """Source line each key of `meta` came from."""
    notes: list[str] = field(default_factory=list)
    """What was mapped and dropped, for the import's summary line."""
    problems: list[Diagnostic] = field(default_factory=list)


def map_front(src: Source, kind: str, ident: str, heading: tuple[str, int] | None) -> Mapped:
    """Front matter of `kind` for `src`. `heading` is the page's leading H1 (text, line), the
    title when the front matter has none."""
    meta: dict[str, Any] = {"kind": kind}
    if kind != "page":
        meta["id"] = ident
    out = Mapped(meta, {})
    _title(src, out, heading)
    _summary(src, out)
    _tags(src, out)
    allowed = properties(kind)
    dropped: list[str] = []
    for key, value in src.meta.items():
        line = src.key_lines.get(key, 1)
        what = _place(key, line, out, allowed)
        if what == "keep":
            meta[key], out.lines[key] = value, line
        elif what == "drop":
            dropped.append(key)
        elif what == "unknown":
            out.problems.append(_unknown(src, key, line, allowed))
        if key in ("draft", "published") and value is (key == "draft"):
            out.problems.append(_draft(src, key, value, line))
    if dropped:
        out.notes.append("dropped " + ", ".join(dropped))
    return out


_MAPPED = frozenset({"title", *SUMMARY_KEYS, *TAG_KEYS, *URL_KEYS})


def _place(key: str, line: int, out: Mapped, allowed: frozenset[str]) -> str:
    """`keep`, `drop`, `unknown`, or `mapped` (read by the mapping functions)."""
    if key == "description" and out.lines.get("summary") != line and key in allowed:
        return "keep"  # a meta description beside a summary of its own
    if key in _MAPPED:
        return "mapped"
    if key in allowed and key not in NEVER_FROM_SOURCE:
        return "keep"
    if key in DROPPED or key in NEVER_FROM_SOURCE:
        return "drop"
    return "unknown"


def _title(src: Source, out: Mapped, heading: tuple[str, int] | None) -> None:
    value = src.meta.get("title")
    if isinstance(value, str | int | float) and str(value).strip():
        out.meta["title"], out.lines["title"] = str(value).strip(), src.key_lines.get("title", 1)
    elif heading:
        out.meta["title"], out.lines["title"] = heading
        out.notes.append("title from the first heading")
    else:
        stem = src.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        out.meta["title"] = stem.replace("-", " ").replace("_", " ").strip().capitalize() or stem
        out.lines["title"] = 1
        out.notes.append("title from the file name")


def _summary(src: Source, out: Mapped) -> None:
    for key in SUMMARY_KEYS:
        value = src.meta.get(key)
        if isinstance(value, str) and value.strip():
            out.meta["summary"] = " ".join(value.split())
            out.lines["summary"] = src.key_lines.get(key, 1)
            if key != "summary":
                out.notes.append(f"summary from {key}")
            return


def _tags(src: Source, out: Mapped) -> None:
    tags: list[str] = []
    used = []
    for key in TAG_KEYS:
        value = src.meta.get(key)
        # Jekyll also takes a space-separated string: `tags: cost cloud`.
        items = value.split() if isinstance(value, str) else value
        if value is not None and not isinstance(items, list):
            out.problems.append(_unusable(src, key))
        if not isinstance(items, list) or not items:
            continue
        used.append(key)
        out.lines.setdefault("tags", src.key_lines.get(key, 1))
        tags += [str(t).strip() for t in items if isinstance(t, str | int | float)]
    if tags:
        out.meta["tags"] = list(dict.fromkeys(t for t in tags if t))
        if used != ["tags"]:
            out.notes.append("tags from " + " and ".join(used))


def _unusable(src: Source, key: str) -> Diagnostic:
    return finding(
        src.shown,
        src.key_lines.get(key, 1),
        "import-unknown-key",
        f"`{key}` is neither a list nor words; it was dropped",
        f"write `{key}` as a list, e.g. `{key}: [cost, cloud]`, and import again",
    )


def _unknown(src: Source, key: str, line: int, allowed: frozenset[str]) -> Diagnostic:
    close = did_you_mean(key, allowed - NEVER_FROM_SOURCE)
    return finding(
        src.shown,
        line,
        "import-unknown-key",
        f"front-matter key `{key}` has no place in the content model; it was dropped",
        close or "if it matters, say it in the page's text; otherwise nothing to do",
    )


def _draft(src: Source, key: str, value: object, line: int) -> Diagnostic:
    return finding(
        src.shown,
        line,
        "import-draft",
        f"the page was not published (`{key}: {str(value).lower()}`); imported, it will be",
        "review it before the next build, or delete the imported file",
    )
