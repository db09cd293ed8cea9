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

import bisect
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from html import unescape

Heading = tuple[int, str, int]
"""(level, text without inline markup, 0-based line)"""
Link = tuple[str, int]
"""(target, 0-based line)"""

_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"(`{3,}(?!.*`)|~{3,})(.*)$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_BREAK = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ITEM = re.compile(r"([-+*]|\d{1,9}[.)])(?:([ \t]+)|$)")
_HTML_END = (
    re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    re.compile(r"-->"),
    re.compile(r"\?>"),
    re.compile(r">"),
    re.compile(r"\]\]>"),
)
_HTML_START = (
    re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I),
    re.compile(r"<!--"),
    re.compile(r"<\?"),
    re.compile(r"<![A-Za-z]"),
    re.compile(r"<!\[CDATA\["),
    re.compile(
        r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup"
        r"|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset"
        r"|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol"
        r"|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr"
        r"|track|ul)(?:[ \t>]|/>|$)",
        re.I,
    ),
)
_ATTR = r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)"
_OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>"
_CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
_HTML_ALONE = re.compile(rf"(?:{_OPEN_TAG}|{_CLOSE_TAG})[ \t]*$")
_INLINE_TAG = re.compile(rf"{_OPEN_TAG}|{_CLOSE_TAG}")
# Inline HTML that runs to an end marker: (start, end marker). The end is looked up with
# `_Inline.next_end`, so a paragraph of many unclosed `<!--` is still read in linear time.
_INLINE_SPANS = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">"))
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*)>")
_EMAIL = re.compile(
    r"<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>"
)
_SPECIAL = re.compile(r"[\\`<\[\]!&]")
_ESCAPED = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_MARKUP = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_LINK_TAIL = re.compile(r"\]\([^()\s\[\]]*(?:\s+\"[^\"\n]*\")?\)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_MAX_NESTING = 32  # parentheses in a link destination, as markdown-it-py allows
_MAX_LABEL = 999  # characters in a link label (CommonMark)
_MAX_CONTAINERS = 32  # nested block quotes and list items; deeper markers are read as text
_TICKS = re.compile(r"`+")
_MARKERS = frozenset("-*+>")
_PLAIN_DEST = re.compile(r"[^\x00-\x20\x7f()\\]*")
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


def label_key(label: str) -> str:
    """A link label as CommonMark matches it: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


def unescape_target(text: str) -> str:
    """A link destination with backslash escapes and entities resolved."""
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", text)
    return unescape(text) if "&" in text else text


# --- blocks -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """The block state while reading lines."""

    containers: list[int] = field(default_factory=list)
    """Open containers, outermost first: -1 for a block quote, else a list item's indent."""
    para: list[str] = field(default_factory=list)
    """Lines of the open paragraph, leading spaces removed (they are consecutive lines)."""
    para_line: int = 0
    """The line number of its first line."""
    fence: str = ""
    """An open fence, `<html>` (an HTML block that ends at its marker) or `<blank>` (one that
    ends at a blank line)."""
    fence_depth: int = 0
    html_end: re.Pattern[str] | None = None
    paragraphs: list[tuple[int, list[str]]] = field(default_factory=list)
    """(first line, lines) of every paragraph."""
    heads: list[tuple[int, str, int]] = field(default_factory=list)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _match_containers(state: _Block, line: str) -> tuple[int, str]:
    """(how many open containers this line continues, the rest of the line)."""
    for depth, kind in enumerate(state.containers):
        if kind < 0:
            lead = _indent(line)
            if lead > 3 or line[lead : lead + 1] != ">":
                return depth, line
            line = line[lead + 1 :]
            if line[:1] == " ":
                line = line[1:]
        elif not line or line.isspace():
            line = ""
        elif line[:kind].isspace():
            line = line[kind:]
        else:
            return depth, line
    return len(state.containers), line


def _starts_block(rest: str, in_para: bool) -> bool:
    """Whether `rest` opens a block that interrupts a paragraph (so it is not lazy text)."""
    lead = _indent(rest)
    if lead > 3:
        return False
    text = rest[lead:]
    first = text[:1]
    if first == ">" or (first == "#" and _ATX.match(text)) or _BREAK.match(text):
        return True
    if first in "`~" and _FENCE.match(text):
        return True
    if first == "<" and any(p.match(text) for p in _HTML_START):
        return True
    item = _ITEM.match(text)
    if item and item.group(2) is not None and text[item.end() :].strip():
        return not in_para or item.group(1) in "-+*" or item.group(1)[:-1] == "1"
    return False


def _open_containers(state: _Block, rest: str) -> tuple[str, bool]:
    """Open the block quotes and list items that start on this line; (rest, opened any)."""
    opened = False
    while True:
        lead = _indent(rest)
        if lead > 3 or len(state.containers) >= _MAX_CONTAINERS:
            return rest, opened
        text = rest[lead:]
        if text[:1] == ">":
            state.containers.append(-1)
            rest = text[2:] if text[1:2] == " " else text[1:]
            opened = True
            continue
        item = _ITEM.match(text)
        if not item or _BREAK.match(text) or (state.para and not _interrupts(item, text)):
            return rest, opened
        spaces = len(item.group(2) or "")
        content = text[item.end() :]
        gap = 1 if spaces > 4 or not content.strip() else spaces
        state.containers.append(lead + len(item.group(1)) + gap)
        rest = " " * (spaces - gap) + content  # more than 4 spaces: the item starts with code
        opened = True


def _interrupts(item: re.Match[str], text: str) -> bool:
    """A list item interrupts a paragraph only if it has content, and if ordered, starts at 1."""
    if not text[item.end() :].strip():
        return False
    return item.group(1) in "-+*" or item.group(1)[:-1] == "1"


def _close_para(state: _Block) -> None:
    if state.para:
        state.paragraphs.append((state.para_line, state.para))
        state.para = []


def _add_line(state: _Block, text: str, i: int) -> None:
    if not state.para:
        state.para_line = i
    state.para.append(text)


def _leaf(state: _Block, rest: str, i: int, opened: bool) -> int:
    """Read the leaf block part of line `i`; returns the line's word count."""
    lead = _indent(rest)
    text = rest[lead:]
    if not text:
        _close_para(state)
        return 0
    if lead > 3 and not state.para:
        return _count(text)  # indented code
    first = text[0]
    if first == "#" and (heading := _ATX.match(text)) and lead <= 3:
        _close_para(state)
        state.heads.append((len(heading.group(1)), heading.group(2) or "", i))
        return 0
    if first in "=-" and state.para and not opened and lead <= 3 and _SETEXT.match(text):
        level = 1 if first == "=" else 2
        state.heads.append((level, "", -1 - len(state.paragraphs)))
        _close_para(state)
        return 0
    if lead <= 3 and first in "`~" and (fence := _FENCE.match(text)):
        _close_para(state)
        state.fence, state.fence_depth = fence.group(1), len(state.containers)
        return 0
    if lead <= 3 and first in "*-_" and _BREAK.match(text):
        _close_para(state)
        return 0
    if lead <= 3 and first == "<" and _html_block(state, text):
        return 0
    _add_line(state, text, i)
    return _words(text)


def _html_block(state: _Block, text: str) -> bool:
    """Open an HTML block if `text` starts one; its lines hold no Markdown links."""
    for kind, start in enumerate(_HTML_START):
        if start.match(text):
            _close_para(state)
            if kind < len(_HTML_END):  # kinds 1-5 end at their marker, 6 at a blank line
                if not _HTML_END[kind].search(text, 2):
                    state.fence, state.html_end = "<html>", _HTML_END[kind]
            else:
                state.fence = "<blank>"
            state.fence_depth = len(state.containers)
            return True
    if not state.para and _HTML_ALONE.match(text):  # kind 7 cannot interrupt a paragraph
        state.fence, state.fence_depth = "<blank>", len(state.containers)
        return True
    return False


def _in_verbatim(state: _Block, depth: int, rest: str) -> int | None:
    """Words on a line inside a fence or an HTML block; None once that block has ended."""
    if depth < state.fence_depth:  # its container ended
        state.fence = ""
        return None
    if state.fence == "<blank>":
        state.fence = state.fence if rest.strip() else ""
        return 0
    if state.fence == "<html>":
        if state.html_end is not None and state.html_end.search(rest):
            state.fence = ""
        return 0
    stripped = rest.lstrip(" ")
    if (
        len(rest) - len(stripped) <= 3
        and stripped.startswith(state.fence)
        and not stripped.lstrip(state.fence[0]).strip()
    ):
        state.fence = ""
        return 0
    return _count(rest)


def _blocks(lines: list[str]) -> tuple[_Block, list[int]]:
    state = _Block()
    words = [0] * len(lines)
    containers = state.containers  # the same list throughout: changed in place
    for i, raw in enumerate(lines):
        line = raw.expandtabs(4) if "\t" in raw else raw
        if not containers and not state.fence:
            rest, depth = line, 0  # the common case: top-level text
        else:
            depth, rest = _match_containers(state, line)
        if state.fence and (inside := _in_verbatim(state, depth, rest)) is not None:
            words[i] = inside
            continue
        first = rest[:1]
        if first.isalpha():  # prose, the most common line by far: a paragraph's text
            if depth < len(state.containers) and not state.para:
                del state.containers[depth:]
            if not state.para:
                state.para_line = i
            state.para.append(rest)
            words[i] = _words(rest)
            continue
        if not first or first == " " and not rest.strip():
            _close_para(state)
            del state.containers[depth:]
            continue
        if first == "#" and (heading := _ATX.match(rest)):
            _close_para(state)
            del state.containers[depth:]
            state.heads.append((len(heading.group(1)), heading.group(2) or "", i))
            continue
        if first in "-*+" and rest[1:2] == " " and rest[2:3].isalpha():
            _close_para(state)  # a bullet item with text: a new item at this depth
            del state.containers[depth:]
            state.containers.append(2)
            state.para_line = i
            state.para.append(rest[2:])
            words[i] = _words(rest)
            continue
        if depth < len(state.containers):
            if state.para and rest.strip() and not _starts_block(rest, True):
                state.para.append(rest.lstrip(" "))  # a lazy continuation line
                words[i] = _words(rest)
                continue
            _close_para(state)
            del state.containers[depth:]
        rest, opened = _open_containers(state, rest)
        if opened:
            _close_para(state)
        words[i] = _leaf(state, rest, i, opened)
    _close_para(state)
    return state, words


# --- reference definitions --------------------------------------------------------------------


def _skip_space(text: str, k: int, newlines: int = 1) -> tuple[int, bool]:
    """Skip spaces and tabs and at most `newlines` line breaks; (index, skipped any)."""
    start = k
    while k < len(text) and (text[k] in " \t" or (text[k] == "\n" and newlines > 0)):
        newlines -= text[k] == "\n"
        k += 1
    return k, k > start


def _label_end(text: str, k: int) -> int:
    """Index of the `]` that ends a link label opened at `k` - 1, or -1."""
    j = k
    while j < len(text) and j - k <= 999:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            return -1
        if c == "]":
            return j if text[k:j].strip() else -1
        j += 1
    return -1


def _destination(text: str, k: int) -> tuple[str, int] | None:
    """(raw destination, end) of a link destination at `k`."""
    if k < len(text) and text[k] == "<":
        j = k + 1
        while j < len(text) and text[j] not in "<>\n":
            j += 2 if text[j] == "\\" else 1
        if j >= len(text) or text[j] != ">":
            return None
        return text[k + 1 : j], j + 1
    plain = _PLAIN_DEST.match(text, k)
    assert plain is not None  # it matches the empty string
    if text[plain.end() : plain.end() + 1] not in ("(", "\\"):
        return text[k : plain.end()], plain.end()  # no parentheses or escapes: done
    j, depth = k, 0
    while j < len(text):
        c = text[j]
        if c == "\\" and j + 1 < len(text) and text[j + 1] in _PUNCT:
            j += 2
            continue
        if c <= " " or c == "\x7f":
            break
        if c == "(":
            depth += 1
            if depth > _MAX_NESTING:
                return None
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return (text[k:j], j) if depth == 0 else None


def _title(text: str, k: int) -> int:
    """End of a link title starting at `k`, or -1."""
    if k >= len(text) or text[k] not in "\"'(":
        return -1
    close = ")" if text[k] == "(" else text[k]
    j = k + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == close:
            return j + 1
        if close == ")" and c == "(":
            return -1
        j += 1
    return -1


def _definition(text: str, start: int) -> tuple[str, str, int] | None:
    """(label, raw destination, end) of a link reference definition at `start`."""
    end = _label_end(text, start + 1)
    if end < 0 or text[end + 1 : end + 2] != ":":
        return None
    k, _ = _skip_space(text, end + 2)
    found = _destination(text, k)
    if found is None or (not found[0] and text[k : k + 1] != "<"):
        return None
    dest, k = found
    after_dest = _line_end(text, k)
    j, spaced = _skip_space(text, k)
    title_end = _title(text, j) if spaced else -1
    if title_end >= 0 and (stop := _line_end(text, title_end)) >= 0:
        return text[start + 1 : end], dest, stop
    if after_dest >= 0:
        return text[start + 1 : end], dest, after_dest
    return None


def _line_end(text: str, k: int) -> int:
    """The start of the next line if only spaces follow `k` on its line, else -1."""
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text):
        return k
    return k + 1 if text[k] == "\n" else -1


def _definitions(start: int, para: list[str], found: dict[str, tuple[str, int]]) -> int:
    """Read the definitions at the start of a paragraph; returns how many lines they use."""
    text = "\n".join(para)
    pos, used = 0, 0
    while pos < len(text) and text[pos] == "[":
        parsed = _definition(text, pos)
        if parsed is None:
            break
        label, dest, end = parsed
        key = label_key(label)
        if key and key not in found:
            found[key] = (unescape_target(dest), start + used)
        used += text.count("\n", pos, end) + (end >= len(text) and text[end - 1 : end] != "\n")
        pos = end
    return used


# --- inlines ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Inline:
    text: str
    refs: dict[str, tuple[str, int]]
    out: list[str] = field(default_factory=list)
    """Plain text pieces (for heading text)."""
    links: list[tuple[str, int]] = field(default_factory=list)
    """(target, offset) of inline links and autolinks."""
    uses: list[tuple[str, int]] = field(default_factory=list)
    """(label, offset) of reference links."""
    openers: list[tuple[int, int, int]] = field(default_factory=list)
    """(offset of `[`, index in out, image?) of open brackets."""
    barrier: int = 0
    """Link openers below this index are inactive: links do not nest."""
    ticks: dict[int, list[int]] | None = None
    ends: dict[str, int] = field(default_factory=dict)
    pos: int = 0
    want_text: bool = False

    def next_end(self, marker: str, at: int) -> int:
        """The first `marker` at or after `at`, for `at` that only grow: each text is searched
        once per marker."""
        hit = self.ends.get(marker)
        if hit is None or -1 < hit < at:
            hit = self.text.find(marker, at)
            self.ends[marker] = hit
        return hit

    def flush(self, upto: int) -> None:
        if upto > self.pos and self.want_text:
            piece = _MARKUP.sub("", self.text[self.pos : upto])
            self.out.append(unescape(piece) if "&" in piece else piece)


def _inline(text: str, refs: dict[str, tuple[str, int]], want_text: bool = False) -> _Inline:
    """Links of a paragraph or heading (and its plain text), as CommonMark reads them."""
    st = _Inline(text, refs, want_text=want_text)
    i = 0
    while (m := _SPECIAL.search(text, i)) is not None:
        j = m.start()
        c = text[j]
        if c == "\\":
            i = _escape(st, j)
        elif c == "`":
            i = _code_span(st, j)
        elif c == "<":
            i = _angle(st, j)
        elif c == "[" or (c == "!" and text[j + 1 : j + 2] == "["):
            st.flush(j)
            st.openers.append((j, len(st.out), int(c == "!")))
            st.out.append("")
            i = st.pos = j + 1 + (c == "!")
        elif c == "]":
            i = _close_bracket(st, j)
        else:
            i = j + 1
    st.flush(len(text))
    return st


def _escape(st: _Inline, j: int) -> int:
    if st.text[j + 1 : j + 2] in _PUNCT and j + 1 < len(st.text):
        st.flush(j)
        st.out.append(st.text[j + 1])
        st.pos = j + 2
        return j + 2
    return j + 1


def _code_span(st: _Inline, j: int) -> int:
    text = st.text
    k = j
    while k < len(text) and text[k] == "`":
        k += 1
    if st.ticks is None:  # every run of backticks by length, found once per paragraph
        st.ticks = {}
        for tick in _TICKS.finditer(text):
            st.ticks.setdefault(tick.end() - tick.start(), []).append(tick.start())
    runs = st.ticks.get(k - j, [])
    at = bisect.bisect_right(runs, j)
    if at >= len(runs):
        return k  # a literal run of backticks
    close = runs[at]
    code = text[k:close].replace("\n", " ")
    if len(code) > 2 and code[0] == " " and code[-1] == " " and code.strip():
        code = code[1:-1]
    st.flush(j)
    st.out.append(code)
    st.pos = close + k - j
    return st.pos


def _angle(st: _Inline, j: int) -> int:
    text = st.text
    auto = _AUTOLINK.match(text, j)
    email = None if auto else _EMAIL.match(text, j)
    if auto or email:
        found = auto or email
        assert found is not None
        st.flush(j)
        target = found.group(1)
        st.links.append((target if auto else f"mailto:{target}", j))
        st.out.append(target)
        st.pos = found.end()
        return found.end()
    end = _inline_html_end(st, j)
    if end < 0:
        return j + 1
    st.flush(j)
    st.pos = end
    return end


def _inline_html_end(st: _Inline, j: int) -> int:
    """End of the inline HTML (tag, comment, processing instruction, declaration, CDATA) at
    `j`, or -1."""
    text = st.text
    if text[j + 1 : j + 2] not in ("!", "?"):
        tag = _INLINE_TAG.match(text, j)
        return tag.end() if tag else -1
    if text.startswith(("<!-->", "<!--->"), j):
        return text.index(">", j) + 1
    for start, marker in _INLINE_SPANS:
        if text.startswith(start, j):
            if marker == ">" and not (
                text[j + 2 : j + 3].isascii() and text[j + 2 : j + 3].isalpha()
            ):
                return -1
            hit = st.next_end(marker, j + len(start))
            return hit + len(marker) if hit >= 0 else -1
    return -1


def _close_bracket(st: _Inline, j: int) -> int:
    if not st.openers:
        return j + 1
    start, index, image = st.openers.pop()
    inactive = not image and len(st.openers) < st.barrier
    st.barrier = min(st.barrier, len(st.openers))
    if inactive:
        return j + 1
    text = st.text
    after = j + 1
    inline = _inline_tail(text, after) if text[after : after + 1] == "(" else None
    if inline is not None:
        dest, end = inline
        st.links.append((unescape_target(dest), start))
    else:
        label, end = _reference_tail(st, start + 1 + image, j)
        if label is None:
            return j + 1
        st.uses.append((label, start))
    st.flush(j)
    if image:
        del st.out[index:]  # an image's alt text is not heading text
    else:
        st.barrier = len(st.openers)  # no links inside links
    st.pos = end
    return end


def _inline_tail(text: str, k: int) -> tuple[str, int] | None:
    """(destination, end) of `(destination "title")` at `k`."""
    j, _ = _skip_space(text, k + 1)
    found = _destination(text, j)
    if found is None:
        return None
    dest, j = found
    if dest == "" and text[j - 1 : j] != ">" and text[j : j + 1] not in ")":
        return None
    j, spaced = _skip_space(text, j)
    if j < len(text) and text[j] != ")":
        end = _title(text, j) if spaced else -1
        if end < 0:
            return None
        j, _ = _skip_space(text, end)
    if j >= len(text) or text[j] != ")":
        return None
    return dest, j + 1


def _reference_tail(st: _Inline, inner: int, j: int) -> tuple[str | None, int]:
    """(normalized label, end) of a full, collapsed or shortcut reference closing at `j`."""
    text = st.text
    after = j + 1
    if text[after : after + 1] == "[":
        end = _label_end(text, after + 1)
        if end >= 0:
            key = label_key(text[after + 1 : end])
            return (key, end + 1) if key in st.refs else (None, 0)
        if text[after + 1 : after + 2] == "]" and j - inner <= _MAX_LABEL:
            key = label_key(text[inner:j])
            ok = key in st.refs and _label_end(text, inner) == j
            return (key, after + 2) if ok else (None, 0)
    if j - inner > _MAX_LABEL:
        return None, 0
    key = label_key(text[inner:j])
    if key in st.refs and _label_end(text, inner) == j:
        return key, after
    return None, 0


# --- the scan ---------------------------------------------------------------------------------


def _count(text: str) -> int:
    """Whitespace-separated words, not counting a list marker."""
    parts = text.split()
    return len(parts) - (parts[0] in _MARKERS if parts else 0)


def _words(text: str) -> int:
    """Words of a line of prose: code spans and link targets do not count."""
    if "`" in text:
        text = _CODE_SPAN.sub(" ", text)
    if "](" in text:
        text = _LINK_TAIL.sub(" ", text)
    parts = text.split()
    return len(parts) - (parts[0] in _MARKERS if parts else 0)


def heading_text(raw: str, refs: dict[str, tuple[str, int]] | None = None) -> str:
    """Inline Markdown of a heading as plain text: link text kept, markup dropped."""
    if not _INLINE_MARK.search(raw):
        return raw.strip()
    return "".join(_inline(raw, refs or {}, want_text=True).out).strip()


def read(body: str) -> Scanned:
    """Read a Markdown body: headings, links, reference definitions and words per line."""
    state, words = _blocks(body.split("\n"))
    out = Scanned(words=words)
    paragraphs = state.paragraphs
    for k, (start, para) in enumerate(paragraphs):
        if para[0][:1] == "[" and (used := _definitions(start, para, out.definitions)):
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
    found = _inline(text, out.definitions)
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
