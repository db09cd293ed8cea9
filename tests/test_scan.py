"""The line scanner that `check` uses must agree with markdown-it-py, the reference parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.load import split_front_matter
from generator.scan import scan

ROOT = Path(__file__).parent.parent
FILES = sorted(
    p for d in ("content", "playbooks", "tests/cases/base") for p in (ROOT / d).rglob("*.md")
)
_md = MarkdownIt("commonmark").disable(["image", "html_inline", "html_block", "entity"])

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
"""


def reference(body: str) -> tuple[list[tuple[int, str, int]], list[tuple[str, int]]]:
    """Headings and links as markdown-it-py sees them."""
    headings, links = [], []
    tokens = _md.parse(body)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(
                c.content for c in inline.children or () if c.type in ("text", "code_inline")
            )
            headings.append((int(tok.tag[1]), text.strip(), tok.map[0]))
        elif tok.type == "inline":
            line = tok.map[0]
            for child in tok.children or ():
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "link_open":
                    links.append((str(child.attrs["href"]), line))
    return headings, links


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_scanner_matches_markdown_it(path: Path) -> None:
    _front, body, _line, _problems = split_front_matter(path.read_text("utf-8"), "x")
    headings, links, _words = scan(body)
    assert (headings, links) == reference(body)


def test_scanner_matches_markdown_it_on_tricky_markdown() -> None:
    headings, links, words = scan(TRICKY)
    assert (headings, links) == reference(TRICKY)
    assert words[10] == 0 and words[7] > 0  # headings carry no words; code in fences does
