"""A line scanner for the parts of Markdown the checks need: headings, links, words.

markdown-it-py parses ~300-500 pages/s here, which alone would spend the whole 2-second budget
of `check` on 2,000 pages. This scanner reads only what the rules use, about 20x faster, and
tests/test_scan.py holds it to markdown-it's answers (headings with levels, text, lines, and
link targets with lines) on every page of the bundled knowledge base.
"""

from __future__ import annotations

import re

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BLOCK_START = re.compile(r"^ {0,3}(?:[-*+>]|\d+[.)]|#|`{3}|~{3}|\||<)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^()\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_MARKUP = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|`")

Heading = tuple[int, str, int]
"""(level, text without inline markup, 0-based line)"""
Link = tuple[str, int]
"""(target, 0-based line)"""


def heading_text(raw: str) -> str:
    """Inline Markdown of a heading as plain text: link text kept, markup dropped."""
    text = _LINK.sub(lambda m: m.group(1), raw)
    return _MARKUP.sub("", text).strip()


def _code_free(line: str) -> str:
    """The line with code spans blanked out, so links inside them are not seen."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def _count(text: str) -> int:
    """Whitespace-separated words, not counting a list marker."""
    parts = text.split()
    return len(parts) - (1 if parts and parts[0] in ("-", "*", "+", ">") else 0)


def scan(body: str) -> tuple[list[Heading], list[Link], list[int]]:
    """Headings, links and the number of words on each line (0 in fences and on headings)."""
    lines = body.split("\n")
    headings: list[Heading] = []
    links: list[Link] = []
    words = [0] * len(lines)
    fence = ""
    previous_para = False
    for i, line in enumerate(lines):
        first = line.lstrip()[:1]
        if fence:
            if first == fence[0] and line.lstrip().startswith(fence):
                fence = ""
            else:
                words[i] = _count(line)
            continue
        if not first:
            previous_para = False
            continue
        if first in "`~" and (opened := _FENCE.match(line)):
            fence, previous_para = opened.group(1)[0] * len(opened.group(1)), False
            continue
        if first == "#" and (heading := _ATX.match(line)):
            headings.append((len(heading.group(1)), heading_text(heading.group(2) or ""), i))
            links += [(m.group(2), i) for m in _LINK.finditer(_code_free(line))]
            previous_para = False
            continue
        if first in "=-" and previous_para and (setext := _SETEXT.match(line)):
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append((level, heading_text(lines[i - 1]), i - 1))
            words[i - 1] = 0
            previous_para = False
            continue
        previous_para = not (first in "-*+>#`~|<" or first.isdigit()) or not _BLOCK_START.match(
            line
        )
        plain = _code_free(line)
        if "](" in plain:
            links += [(m.group(2), i) for m in _LINK.finditer(plain)]
            plain = _LINK.sub(lambda m: m.group(1), plain)
        words[i] = _count(plain)
    return headings, links, words
