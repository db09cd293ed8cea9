"""Link syntax shared by inline links and reference definitions: labels, destinations, titles,
and the definitions themselves (`[label]: /url "title"`), as CommonMark reads them."""

from __future__ import annotations

import re
from html import unescape

Link = tuple[str, int]
"""(target, 0-based line)"""

_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPED = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_MAX_NESTING = 32  # parentheses in a link destination, as markdown-it-py allows
_PLAIN_DEST = re.compile(r"[^\x00-\x20\x7f()\\]*")


def label_key(label: str) -> str:
    """A link label as CommonMark matches it: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


def unescape_target(text: str) -> str:
    """A link destination with backslash escapes and entities resolved."""
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", text)
    return unescape(text) if "&" in text else text


# --- reference definitions --------------------------------------------------------------------


def skip_space(text: str, k: int, newlines: int = 1) -> tuple[int, bool]:
    """Skip spaces and tabs and at most `newlines` line breaks; (index, skipped any)."""
    start = k
    while k < len(text) and (text[k] in " \t" or (text[k] == "\n" and newlines > 0)):
        newlines -= text[k] == "\n"
        k += 1
    return k, k > start


def label_end(text: str, k: int) -> int:
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


def destination(text: str, k: int) -> tuple[str, int] | None:
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


def link_title(text: str, k: int) -> int:
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
    end = label_end(text, start + 1)
    if end < 0 or text[end + 1 : end + 2] != ":":
        return None
    k, _ = skip_space(text, end + 2)
    found = destination(text, k)
    if found is None or (not found[0] and text[k : k + 1] != "<"):
        return None
    dest, k = found
    after_dest = _line_end(text, k)
    j, spaced = skip_space(text, k)
    title_end = link_title(text, j) if spaced else -1
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


def definitions(start: int, para: list[str], found: dict[str, tuple[str, int]]) -> int:
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
