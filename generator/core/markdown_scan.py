"""A line scanner for the parts of Markdown the checks need: headings, links, words.

markdown-it-py parses ~300-500 pages/s here, which alone would spend the whole 2-second budget
of `check` on 2,000 pages. This scanner reads only what the rules use, much faster, and reads
it as CommonMark does: block quotes and list items (with lazy continuation lines), fenced and
indented code, HTML blocks, ATX and setext headings, and in paragraphs and headings code spans,
backslash escapes, autolinks, inline links and images, and reference links (full, collapsed
and shortcut) with their definitions. tests/test_scan.py holds it to markdown-it-py on the
CommonMark spec examples that have a heading or a link and on every bundled page, and lists
the few deliberate differences.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .markdown_blocks import blocks
from .markdown_inlines import inline
from .markdown_links import definitions

Heading = tuple[int, str, int]
"""(level, text without inline markup, 0-based line)"""
Link = tuple[str, int]
"""(target, 0-based line)"""

_INLINE_MARK = re.compile(r"[\\`<\[\]!&*_]")


@dataclass(slots=True)
class Scanned:
    """Everything the scanner read from one body, lines 0-based."""

    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    """Inline links, images and autolinks, at the line of their `[` or `<`."""
    uses: list[tuple[str, int]] = field(default_factory=list)
    """Reference links and images: (normalized label, line of the use)."""
    definitions: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Normalized label -> (target, line of the definition); the first definition wins."""
    words: list[int] = field(default_factory=list)

    def rendered_links(self) -> list[Link]:
        """Every link as a Markdown renderer sees it: references at their use."""
        refs = [(self.definitions[label][0], line) for label, line in self.uses]
        return sorted(self.links + refs, key=lambda link: link[1])

    def checked_links(self) -> list[Link]:
        """What `check` checks: inline links, and each used definition once, at its line
        (where the target is written)."""
        used = dict.fromkeys(label for label, _line in self.uses)
        return sorted(self.links + [self.definitions[label] for label in used], key=_by_line)


def _by_line(link: Link) -> int:
    return link[1]


def heading_text(raw: str, refs: dict[str, tuple[str, int]] | None = None) -> str:
    """Inline Markdown of a heading as plain text: link text kept, markup dropped."""
    if not _INLINE_MARK.search(raw):
        return raw.strip()
    return "".join(inline(raw, refs or {}, want_text=True).out).strip()


def read(body: str) -> Scanned:
    """Read a Markdown body: headings, links, reference definitions and words per line."""
    state, words = blocks(body.split("\n"))
    out = Scanned(words=words)
    paragraphs = state.paragraphs
    for k, (start, para) in enumerate(paragraphs):
        if para[0][:1] == "[" and (used := definitions(start, para, out.definitions)):
            paragraphs[k] = (start + used, para[used:])
    for level, raw, line in state.heads:
        if line < 0:  # a setext heading: the text of its paragraph
            start, para = paragraphs[-1 - line]
            if not para:
                continue
            raw, line = "\n".join(t.strip() for t in para), start
        out.headings.append((level, " ".join(heading_text(raw, out.definitions).split("\n")), line))
        _links_of(line, [raw], out)
    out.headings.sort(key=_third)
    setext = {-1 - line for _level, _raw, line in state.heads if line < 0}
    for k, (start, para) in enumerate(paragraphs):
        if para and k not in setext:
            _links_of(start, para, out)
    return out


def _third(heading: Heading) -> int:
    return heading[2]


_NEWLINE = re.compile("\n")


def _links_of(start: int, lines: list[str], out: Scanned) -> None:
    text = lines[0] if len(lines) == 1 else "\n".join(lines)
    if "[" not in text and "<" not in text:
        return
    found = inline(text, out.definitions)
    if len(lines) == 1:
        out.links += [(target, start) for target, _at in found.links]
        out.uses += [(label, start) for label, _at in found.uses]
        return
    # Line of each offset by bisection: counting newlines from the start for every link is
    # quadratic in a long paragraph full of links.
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    out.links += [(target, start + bisect_left(breaks, at)) for target, at in found.links]
    out.uses += [(label, start + bisect_left(breaks, at)) for label, at in found.uses]


def scan(body: str) -> tuple[list[Heading], list[Link], list[int]]:
    """Headings, links to check (reference links at their definition, once) and the number of
    words on each line (0 on headings)."""
    found = read(body)
    return found.headings, found.checked_links(), found.words
