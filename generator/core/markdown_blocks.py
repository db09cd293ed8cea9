"""Markdown blocks for the link check: containers, code, HTML blocks, headings, paragraphs and
reference definitions, read line by line as CommonMark reads them (see markdown_scan.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_LINK_TAIL = re.compile(r"\]\([^()\s\[\]]*(?:\s+\"[^\"\n]*\")?\)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_MAX_CONTAINERS = 32  # nested block quotes and list items; deeper markers are read as text
_MARKERS = frozenset("-*+>")


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


def _simple_line(state: _Block, rest: str, depth: int, i: int) -> int | None:
    """The words of a line of the common kinds (prose, blank, ATX heading, bullet with text),
    after taking it into `state`; None for any other line."""
    first = rest[:1]
    if first.isalpha():  # prose, the most common line by far: a paragraph's text
        if depth < len(state.containers) and not state.para:
            del state.containers[depth:]
        if not state.para:
            state.para_line = i
        state.para.append(rest)
        return _words(rest)
    if not first or first == " " and not rest.strip():
        _close_para(state)
        del state.containers[depth:]
        return 0
    if first == "#" and (heading := _ATX.match(rest)):
        _close_para(state)
        del state.containers[depth:]
        state.heads.append((len(heading.group(1)), heading.group(2) or "", i))
        return 0
    if first in "-*+" and rest[1:2] == " " and rest[2:3].isalpha():
        _close_para(state)  # a bullet item with text: a new item at this depth
        del state.containers[depth:]
        state.containers.append(2)
        state.para_line = i
        state.para.append(rest[2:])
        return _words(rest)
    return None


def blocks(lines: list[str]) -> tuple[_Block, list[int]]:
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
        simple = _simple_line(state, rest, depth, i)
        if simple is not None:
            words[i] = simple
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
