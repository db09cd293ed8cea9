"""Page bodies: Liquid and Hugo URL helpers resolved, other template tags reported, heading
levels moved to the model's (H2 sections, H3 below them, the title in front matter).

Bodies are kept as (text, source line) pairs, so everything found later in the written page
is reported at the line of the source file it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..diagnostics import Diagnostic
from ..markdown_scan import read
from .findings import finding

Line = tuple[str, int]
"""(text, 1-based line in the source file)"""
RefResolver = Callable[[str], str | None]
"""A Hugo `ref` argument -> the site-absolute link of the imported page, or None."""

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_BASEURL = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(["'])(.*?)\1\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)"""
    r"""\s*-?\}\}"""
)
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(\S+?)\s*-?%\}")
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(\S+?)\s*-?%\}")
_HTML_URL = re.compile(r"""\b(?:href|src)\s*=\s*["']?(/(?!/)[^"'\s>]*)""", re.I)
_REF = re.compile(r"""\{\{([<%])\s*(?:rel)?ref\s+"?([^"\s>%]+)"?\s*[>%]\}\}""")
_TEMPLATE = re.compile(r"\{%.*?%\}|\{\{[<%].*?[>%]\}\}|\{\{.*?\}\}")
_SNIPPET = re.compile(r"^\s*-{1,2}8<-{1,2}")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


@dataclass(slots=True)
class Body:
    lines: list[Line]
    title: tuple[str, int] | None = None
    """The leading H1 (text, source line), taken out of the body."""
    notes: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def convert(
    lines: list[str], first: int, shown: str, resolve: RefResolver, title: str | None
) -> Body:
    """Template tags, then heading levels, of the body `lines` that start at file line
    `first`; `title` is the front matter's."""
    body = Body([])
    fence = ""
    for i, text in enumerate(lines):
        line = first + i
        if fence:
            if text.strip().startswith(fence):
                fence = ""
        elif m := _FENCE.match(text):
            fence = m.group(1)
        else:
            text = _outside_code(
                text, partial(_tags, line=line, shown=shown, resolve=resolve, body=body)
            )
            if _SNIPPET.match(text):
                body.problems.append(_tag(shown, line, text.strip(), "an MkDocs snippet"))
            html = _HTML_URL.finditer(_CODE_SPAN.sub("", text)) if "=" in text else ()
            body.problems += [_html(shown, line, m.group(1)) for m in html]
        body.lines.append((text, line))
    _headings(body, title)
    return body


def _outside_code(text: str, convert_part: Callable[[str], str]) -> str:
    """`text` with `convert_part` applied to what lies outside code spans."""
    if "{" not in text:
        return text
    out, at = [], 0
    for m in _CODE_SPAN.finditer(text):
        out += [convert_part(text[at : m.start()]), m.group()]
        at = m.end()
    return "".join(out) + convert_part(text[at:])


def _tags(text: str, line: int, shown: str, resolve: RefResolver, body: Body) -> str:
    if "{" not in text:
        return text
    text = _RAW.sub("", text)
    text = _BASEURL.sub("", text)
    text = _URL_FILTER.sub(lambda m: "/" + m.group(2).lstrip("/"), text)
    text = _LINK_TAG.sub(lambda m: "/" + m.group(1).lstrip("/"), text)
    # A reference to a page that was not imported becomes a plain site-absolute link: reported
    # by the link stage here, and by `check` at its line, instead of a shortcode in a URL.
    text = _REF.sub(lambda m: resolve(m.group(2)) or "/" + m.group(2).lstrip("/"), text)
    text = _POST_URL.sub(lambda m: resolve(m.group(1)) or "/" + m.group(1).lstrip("/"), text)
    for m in _TEMPLATE.finditer(text):
        what = "a Hugo shortcode" if m.group()[2:3] in "<%" else "a Liquid tag"
        body.problems.append(_tag(shown, line, m.group(), what))
    return text


def _tag(shown: str, line: int, tag: str, what: str) -> Diagnostic:
    return finding(
        shown,
        line,
        "import-template-tag",
        f"`{tag[:80]}` is {what}; it was left in the text as it is",
        "write what it showed in Markdown (a link, an image, an admonition `!!! note`), "
        "or remove it",
    )


def _html(shown: str, line: int, url: str) -> Diagnostic:
    return finding(
        shown,
        line,
        "import-link",
        f"`{url}` in raw HTML is a URL of the old site; raw HTML is not rewritten",
        "write it as a Markdown link or image, which the import rewrites, or as a relative URL",
    )


def norm(text: str) -> str:
    return " ".join(text.lower().replace("&", "and").split())


def _headings(body: Body, title: str | None) -> None:
    """Take the leading H1 out as the title and move the levels so sections are H2.

    The first H1 is the title unless the front matter has another title and further H1s
    follow: then the H1s are the page's sections."""
    heads = read("\n".join(t for t, _ in body.lines)).headings
    drop: set[int] = set()
    sections = title and norm(heads[0][1]) != norm(title) if heads else False
    if heads and heads[0][0] == 1 and not (sections and [h[0] for h in heads].count(1) > 1):
        _level, text, i = heads.pop(0)
        body.title = (text, body.lines[i][1])
        drop |= _heading_lines(body.lines, i)
    shift = _shift(heads, title or (body.title[0] if body.title else ""))
    if shift and heads and heads[0][0] + shift < 2:  # the single H2 that wraps the sections
        drop |= _heading_lines(body.lines, heads.pop(0)[2])
    if shift:
        body.notes.append(f"headings moved {'down' if shift > 0 else 'up'} one level")
        for level, _text, i in heads:
            drop |= _set_level(body.lines, i, max(2, min(6, level + shift)))
    body.lines = [line for k, line in enumerate(body.lines) if k not in drop]


def _shift(heads: list[tuple[int, str, int]], title: str) -> int:
    """+1 when H1s remain as sections; -1 when the sections are H3 under one H2 (which is
    dropped when it repeats the title); 2 - lowest level when there is no H2 at all."""
    levels = [h[0] for h in heads]
    if not levels:
        return 0
    if 1 in levels:
        return 1
    if levels.count(2) == 1 and levels[0] == 2 and len(levels) > 1:
        return -1 if norm(heads[0][1]) == norm(title) or not title else _keep_wrapper(heads)
    return 2 - min(levels) if min(levels) > 2 else 0


def _keep_wrapper(heads: list[tuple[int, str, int]]) -> int:
    # A lone H2 with its own words ("Overview") stays a section; the H3s become its siblings.
    heads[0] = (3, heads[0][1], heads[0][2])
    return -1


def _heading_lines(lines: list[Line], i: int) -> set[int]:
    """Lines of the heading at `i` (two for a setext heading) and the blank lines after it."""
    out = {i}
    if not _ATX.match(lines[i][0]) and i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1][0]):
        out.add(i + 1)
    k = max(out) + 1
    while k < len(lines) and not lines[k][0].strip():
        out.add(k)
        k += 1
    return out


def _set_level(lines: list[Line], i: int, level: int) -> set[int]:
    """Give the heading at `i` the new level; a setext heading becomes an ATX one, and the
    line of its underline is returned, to be dropped."""
    raw, src = lines[i]
    if m := _ATX.match(raw):
        lines[i] = (m.group(1) + "#" * level + raw[m.end() :], src)
    elif i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1][0]):
        lines[i] = ("#" * level + " " + raw.strip(), src)
        return {i + 1}
    return set()
