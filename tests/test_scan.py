"""The line scanner that `check` uses must agree with markdown-it-py, the reference parser.

Two sets of inputs: all 652 examples of the CommonMark spec 0.31.2 (tests/data/
commonmark-spec-examples.json, CC BY-SA 4.0, see its `source`), which include every example
with a heading, a link or an image and those where a careless scanner would see one that is not
there; and every Markdown page of the bundled knowledge base. Compared are what `check` relies
on: headings (level, anchor slug, line) and link and image targets with their lines.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from markdown.extensions.toc import slugify
from markdown_it import MarkdownIt

from generator.core.load import split_front_matter
from generator.core.markdown_scan import read, scan

ROOT = Path(__file__).parent.parent
FILES = sorted(
    p for d in ("content", "playbooks", "tests/cases/base") for p in (ROOT / d).rglob("*.md")
)
SPEC = json.loads((ROOT / "tests/data/commonmark-spec-examples.json").read_text("utf-8"))
_md = MarkdownIt("commonmark")

# Deliberate differences from CommonMark, by spec example number: none among the spec examples.
# Outside them, by design: tabs are expanded to 4-column stops before a line is read (CommonMark
# counts a tab inside a container marker as partial columns); a link label longer than 999
# characters and parentheses nested deeper than 32 in a destination end the link (markdown-it-py
# has the same limits); block quotes and list items nested deeper than 32 are read as text
# (markdown-it-py stops at 20 by default). Heading ids written with attr_list
# (`## Title {#id}`) are not CommonMark and are read as heading text, as markdown-it-py does.
DIFFERENT: dict[int, str] = {}

TRICKY = """Intro with a [link](a.md#x) and `[not a link](b.md)` in code.

Setext heading
--------------

```markdown
## Not a heading
[not a link](c.md)
```

## Heading with `code` and **bold** and [a link](d.md) ##

- item with [two](e.md) [links](f.md "title")
- [nested [brackets]](g.md)

~~~
# still code
~~~
### Last

    [indented code](h.md)

An \\[escaped\\](i.md) bracket and [text over
two lines](j.md), a [reference][ref], a [collapsed][], and a [shortcut].

[ref]: k.md
[collapsed]: l.md "title"
[shortcut]:
  m.md

> quoted [link](n.md)
lazy [line](o.md)

1. item

       [code in an item](p.md)

   [text in an item](q.md)

<div>
[raw html block](r.md)
</div>

![an image](s.png) and <https://example.org> and [a](<t u.md>)
"""


def _walk(tokens: list[Any]) -> Any:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def reference(body: str) -> tuple[list[tuple[int, str, int]], list[tuple[str, int]]]:
    """Headings (level, slug, line) and link and image targets as markdown-it-py sees them."""
    headings, links = [], []
    tokens = _md.parse(body)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(
                " " if c.type == "softbreak" else c.content
                for c in inline.children or ()
                if c.type in ("text", "code_inline", "softbreak")
            )
            headings.append((int(tok.tag[1]), slugify(text.strip(), "-"), tok.map[0]))
        elif tok.type == "inline":
            line = tok.map[0]
            for child in _walk(tok.children or []):
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "link_open":
                    links.append((str(child.attrs["href"]), line))
                elif child.type == "image":
                    links.append((str(child.attrs["src"]), line))
    return headings, sorted(links, key=lambda link: (link[1], link[0]))


def ours(body: str) -> tuple[list[tuple[int, str, int]], list[tuple[str, int]]]:
    """The scanner's headings and links, with targets normalized as markdown-it-py does."""
    found = read(body)
    headings = [(level, slugify(text, "-"), line) for level, text, line in found.headings]
    links = [(_md.normalizeLink(target), line) for target, line in found.rendered_links()]
    return headings, sorted(links, key=lambda link: (link[1], link[0]))


@pytest.mark.parametrize("example", SPEC["examples"], ids=lambda e: f"example-{e['example']}")
def test_scanner_matches_markdown_it_on_commonmark_spec(example: dict[str, Any]) -> None:
    if example["example"] in DIFFERENT:
        pytest.skip(DIFFERENT[example["example"]])
    body = example["markdown"]
    assert ours(body) == reference(body), body


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_scanner_matches_markdown_it(path: Path) -> None:
    _front, body, _line, _problems = split_front_matter(path.read_text("utf-8"), "x")
    assert ours(body) == reference(body)


def test_scanner_matches_markdown_it_on_tricky_markdown() -> None:
    assert ours(TRICKY) == reference(TRICKY)
    headings, _links, words = scan(TRICKY)
    assert words[10] == 0 and words[7] > 0  # headings carry no words; code in fences does


def test_check_sees_each_reference_definition_once_at_its_line() -> None:
    body = "[a][r] and [b][r] and [c][R]\n\n[r]: x.md\n[unused]: y.md\n"
    _headings, links, _words = scan(body)
    assert links == [("x.md", 2)]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 20000 + "x" + "]" * 20000 + "(y.md)",
        "[" * 20000 + "[a](b)" * 20000,
        "[a](" * 20000,
        "[a]: b\n" * 20000,
        '[a](b "' * 20000,
        "`a " * 20000,
        "x <!-- " * 20000,
        "x <? " * 20000,
        "x <![CDATA[ " * 20000,
        "x <!X " * 20000,
        "<" * 20000,
        "- a\n  > b\n" * 10000,
        ("- " * 1000 + "a\n") * 100,
        ">" * 20000,
    ],
    ids=lambda body: repr(body[:8]),
)
def test_scanner_is_linear_on_adversarial_input(body: str) -> None:
    start = time.perf_counter()
    read(body)
    # Each takes well under a second here; quadratic work would take minutes.
    assert time.perf_counter() - start < 10
