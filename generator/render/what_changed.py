"""The generated "What changed" page: per framework edition, the capabilities renamed, added,
merged and removed, from the capabilities' `aliases` and `added_in` (core/editions.py)."""

from __future__ import annotations

from ..core import layout
from ..core.editions import Edition, Entry, history
from ..core.layout import relative
from .context import RenderContext
from .html_parts import md

HERE = layout.WHAT_CHANGED

_SECTIONS = (
    ("renamed", "Renamed"),
    ("added", "Added"),
    ("merged", "Merged"),
    ("removed", "Removed"),
)


def _link(ctx: RenderContext, entry: Entry) -> str:
    cap = entry.capability
    return f"[{md(cap.title)}]({relative(HERE, ctx.graph.docs_path[cap.path])})"


def _line(ctx: RenderContext, kind: str, entry: Entry) -> str:
    old, now = md(entry.old), _link(ctx, entry)
    then = md(entry.then)
    if kind == "added":
        return f"- {then} (today {now})" if then else f"- {now}"
    if kind == "removed":
        return f"- {old} was removed; {now} covers its concerns"
    verb = "was renamed to" if kind == "renamed" else "was merged into"
    return f"- {old} {verb} {then} (today {now})" if then else f"- {old} {verb} {now}"


def _edition(ctx: RenderContext, edition: Edition) -> list[str]:
    out = [f"## FinOps Framework {edition.year}", ""]
    if edition.empty:
        return [*out, "No capability was renamed, added, merged or removed.", ""]
    for kind, heading in _SECTIONS:
        entries: list[Entry] = getattr(edition, kind)
        if entries:
            out += [f"### {heading} in {edition.year}", ""]
            out += [_line(ctx, kind, e) for e in entries]
            out.append("")
    return out


def page(ctx: RenderContext) -> str:
    """The page's Markdown."""
    caps = [c for c in ctx.graph.capabilities.values() if c.path in ctx.graph.docs_path]
    editions, undated = history(caps)
    out = [
        "# What changed in the framework",
        "",
        "The FinOps Framework is revised from edition to edition. This page lists, for each "
        "edition, the capabilities that were renamed, added, merged into another or removed, "
        "with a link to the page that covers them today. Old names still find their page in "
        "search, and old addresses forward to it.",
        "",
    ]
    for edition in editions:
        out += _edition(ctx, edition)
    if undated:
        out += ["## Other former names", ""]
        out += [f"- {md(e.old)}: see {_link(ctx, e)}" for e in undated]
        out.append("")
    if not editions and not undated:
        out.append("No capability records a former name or the edition it was added in.")
    return "\n".join(out)
