"""The generated parts of a page (HTML from templates/parts/) as Markdown, for the `.md` copy
of each page that assistants and search tools read.

The parts use a small, known vocabulary (tables, lists, links, facts paragraphs, SVG charts),
so a converter on the standard library's parser covers them; general HTML converters pull in
a DOM library for the same result. Text from the HTML is escaped so that a title holding `|`,
`*` or `<script>` stays literal in the Markdown, as `md()` does for headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

_ACTIVE = re.compile(r"([\\`*_\[\]|])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_SPACES = re.compile(r"[ \t\r\n]+")
_BLOCKS = {"p", "div", "section", "figure", "figcaption", "aside", "table", "ul", "ol", "tr"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIPPED = {"script", "style", "select", "template", "head"}
_TASK = re.compile(r"^\\\[([x ])\\\] ")
# Classes of parts that are page controls (the unit switcher's links work through CSS `:target`),
# and of the unit view names that the switcher leaves to stand as labels.
_CONTROLS = {"fkb-unit-links"}
_LABELS = {"fkb-unit-view-name"}
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
Rewrite = Callable[[str], str]


def text(value: str) -> str:
    """`value` as literal inline Markdown: emphasis, code, links, pipes and tags stay text."""
    value = _ENTITY_LIKE.sub("&amp;", value).replace("<", "&lt;")
    return _ACTIVE.sub(r"\\\1", value)


def to_markdown(html: str, rewrite: Rewrite = str) -> str:
    """The Markdown of a part; `rewrite` maps each link's href (e.g. to the `.md` page)."""
    parser = _Converter(rewrite)
    parser.feed(html)
    parser.close()
    return parser.result()


class _Converter(HTMLParser):
    def __init__(self, rewrite: Rewrite) -> None:
        super().__init__(convert_charrefs=True)
        self.rewrite = rewrite
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.skip = 0  # depth inside an element whose content is not for readers
        self.lists: list[str] = []  # "-" or "1." per open list
        self.rows: list[list[str]] | None = None
        self.header_rows = 0
        self.links: list[str | None] = []
        self.svg: _Svg | None = None
        self.indent = ""  # a list item's marker, for the next line written
        self.last_item = False
        self.label = False  # inside a unit view's name, shown bold

    # --- structure ----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        hidden = "hidden" in a or a.get("aria-hidden") == "true" or classes & _CONTROLS
        if self.skip or tag in _SKIPPED or hidden:
            self.skip += tag not in {"input", "br", "img"}
            return
        if self.svg is not None or tag == "svg":
            self._svg_start(tag, a)
        elif tag in _BLOCKS or tag in _HEADINGS or tag == "li":
            self._block_start(tag)
            self.label = bool(classes & _LABELS)
            self.line.append("**" if self.label else "")
        elif tag in {"td", "th"}:
            self.line = []
        elif tag == "a":
            href = a.get("href")
            self.links.append(self.rewrite(href) if href else None)
            self.line.append("[" if href else "")
        else:
            self._inline_start(tag, a)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if self.svg is not None:
            self._svg_end(tag)
        elif tag in {"td", "th"} and self.rows is not None:
            cell = _SPACES.sub(" ", "".join(self.line)).strip()
            self.rows[-1].append(cell or " ")
            self.header_rows += tag == "th" and len(self.rows) == 1 and len(self.rows[-1]) == 1
            self.line = []
        elif tag == "table":
            self._table_end()
        elif tag in {"ul", "ol"}:
            self.flush()
            self.lists.pop() if self.lists else None
        elif tag == "a":
            href = self.links.pop() if self.links else None
            self.line.append(f"]({href})" if href else "")
        elif tag in _MARKS:
            self.line.append(_MARKS[tag])
        elif tag == "code":
            self.line.append("`")
        elif tag in _BLOCKS or tag in _HEADINGS or tag == "li":
            self.line.append("**" if self.label else "")
            self.label = False
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"input", "br", "img"}:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.svg is not None:
            self.svg.data(data)
        elif self.line and self.line[-1] == "`":
            self.line.append(data.replace("`", "'"))
        else:
            self.line.append(text(data))

    def _block_start(self, tag: str) -> None:
        self.flush()
        if tag == "table":
            self.rows, self.header_rows = [], 0
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in {"ul", "ol"}:
            self.lists.append("-" if tag == "ul" else "1.")
        elif tag == "li":
            self.indent = "   " * (len(self.lists) - 1) + (self.lists[-1] if self.lists else "-")
        elif tag in _HEADINGS:
            self.line.append("#" * _HEADINGS[tag] + " ")

    def _inline_start(self, tag: str, a: dict[str, str | None]) -> None:
        if tag in _MARKS:
            self.line.append(_MARKS[tag])
        elif tag == "code":
            self.line.append("`")
        elif tag == "br":
            self.line.append(" ")
        elif tag == "input" and a.get("type") == "checkbox":
            self.line.append("[x] " if "checked" in a else "[ ] ")
        elif tag == "img" and a.get("alt"):
            self.line.append(text(a["alt"] or ""))

    def flush(self) -> None:
        """End the current line as a block (in a table, lines are cells and wait)."""
        if self.rows is not None:
            return
        line = _SPACES.sub(" ", "".join(self.line)).strip()
        self.line = []
        if not line:
            return
        item, self.indent = self.indent, ""
        if item:  # the templates write checklists as "[x] criterion": a task list item
            line = _TASK.sub(r"[\1] ", line)
            line = f"{item} {line}"
        self.blocks.append(("\n" if item and self.last_item else "\n\n") + line)
        self.last_item = bool(item)

    def _table_end(self) -> None:
        rows, self.rows = [r for r in self.rows or [] if r], None
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [" "] * (width - len(r)) for r in rows]
        head = rows[0] if self.header_rows else [" "] * width
        body = rows[1:] if self.header_rows else rows
        lines = [_row(head), _row(["---"] * width), *(_row(r) for r in body)]
        self.blocks.append("\n\n" + "\n".join(lines))
        self.last_item = False

    # --- charts -------------------------------------------------------------------------------

    def _svg_start(self, tag: str, a: dict[str, str | None]) -> None:
        if self.svg is None:
            self.flush()
            self.svg = _Svg()
        self.svg.start(tag, a.get("href"), self.rewrite)

    def _svg_end(self, tag: str) -> None:
        assert self.svg is not None
        if self.svg.end(tag):
            self.blocks.extend("\n\n" + b for b in self.svg.summary())
            self.last_item = False
            self.svg = None

    def result(self) -> str:
        self.flush()
        return "".join(self.blocks).strip("\n") + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


class _Svg:
    """A chart read for its words: its title and description, then each linked label with the
    titles of the shapes that follow it (the heatmap: a capability and its levels)."""

    def __init__(self) -> None:
        self.depth = 0
        self.title: list[str] = []
        self.desc: list[str] = []
        self.items: list[tuple[str, list[str], list[str]]] = []  # (href, label, notes)
        self.into: list[str] | None = None

    def start(self, tag: str, href: str | None, rewrite: Rewrite) -> None:
        self.depth += 1
        if tag in {"title", "desc"}:
            if self.depth == 2:
                self.into = self.title if tag == "title" else self.desc
            elif self.items:
                self.into = self.items[-1][2]
                self.into.append("\0")  # one note per shape
            else:
                self.into = []  # a point's title in a line chart: its desc says it all
        elif tag == "a":
            self.items.append((rewrite(href) if href else "", [], []))
            self.into = self.items[-1][1]

    def data(self, value: str) -> None:
        if self.into is not None:
            self.into.append(value)

    def end(self, tag: str) -> bool:
        self.depth -= 1
        if tag in {"title", "desc", "a"}:
            self.into = None
        return self.depth == 0

    def summary(self) -> list[str]:
        out = []
        title, desc = _words(self.title), _words(self.desc)
        if title or desc:
            out.append(f"*Chart: {text(title)}*" + (f" {text(desc)}" if desc else ""))
        lines = []
        for href, label_parts, notes_parts in self.items:
            label = _words(label_parts)
            notes = [n.removeprefix(label + ": ") for n in "".join(notes_parts).split("\0")]
            shown = f"[{text(label)}]({href})" if href else text(label)
            detail = "; ".join(text(n.strip()) for n in notes if n.strip())
            lines.append(f"- {shown}: {detail}" if detail else f"- {shown}")
        if lines:
            out.append("\n".join(lines))
        return out


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())
