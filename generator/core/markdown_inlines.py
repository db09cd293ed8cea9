"""Inline Markdown for the link check: code spans, escapes, autolinks, inline HTML, links and
images, and reference links, read as CommonMark reads them (see markdown_scan.py)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html import unescape

from .markdown_links import (
    destination,
    label_end,
    label_key,
    link_title,
    skip_space,
    unescape_target,
)

Link = tuple[str, int]
"""(target, 0-based line)"""

_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ATTR = r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)"
_OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>"
_CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
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
_MARKUP = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_MAX_LABEL = 999  # characters in a link label (CommonMark)
_TICKS = re.compile(r"`+")


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


def inline(text: str, refs: dict[str, tuple[str, int]], want_text: bool = False) -> _Inline:
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
    j, _ = skip_space(text, k + 1)
    found = destination(text, j)
    if found is None:
        return None
    dest, j = found
    if dest == "" and text[j - 1 : j] != ">" and text[j : j + 1] not in ")":
        return None
    j, spaced = skip_space(text, j)
    if j < len(text) and text[j] != ")":
        end = link_title(text, j) if spaced else -1
        if end < 0:
            return None
        j, _ = skip_space(text, end)
    if j >= len(text) or text[j] != ")":
        return None
    return dest, j + 1


def _reference_tail(st: _Inline, inner: int, j: int) -> tuple[str | None, int]:
    """(normalized label, end) of a full, collapsed or shortcut reference closing at `j`."""
    text = st.text
    after = j + 1
    if text[after : after + 1] == "[":
        end = label_end(text, after + 1)
        if end >= 0:
            key = label_key(text[after + 1 : end])
            return (key, end + 1) if key in st.refs else (None, 0)
        if text[after + 1 : after + 2] == "]" and j - inner <= _MAX_LABEL:
            key = label_key(text[inner:j])
            ok = key in st.refs and label_end(text, inner) == j
            return (key, after + 2) if ok else (None, 0)
    if j - inner > _MAX_LABEL:
        return None, 0
    key = label_key(text[inner:j])
    if key in st.refs and label_end(text, inner) == j:
        return key, after
    return None, 0
