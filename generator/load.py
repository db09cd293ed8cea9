"""Stage 1: read every content file into the model, keeping source lines.

Nothing here raises on bad input: unreadable files become diagnostics.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from markdown.extensions.toc import slugify, unique
from markdown_it import MarkdownIt

from .diagnostics import Diagnostic
from .model import DataFile, Document, Heading, KeyPath, Link, Repository, Section

try:  # libyaml is ~8x faster; the pure-Python loader gives the same nodes
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader

DATA_FILES = {"organization.yml": "organization", "raci.yml": "raci"}
_FENCE = re.compile(r"^---[ \t]*$", re.M)
_WORD = re.compile(r"[^\W_][\w'’-]*")
_md = MarkdownIt("commonmark").disable(["image", "html_inline", "html_block", "entity"])


def read_text(root: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a file as UTF-8 (a BOM is allowed) with LF line endings."""
    raw = (root / rel).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Diagnostic(
                rel,
                line,
                "not-utf8",
                f"file is not valid UTF-8 (byte {exc.start})",
                "save the file as UTF-8",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [
            Diagnostic(
                rel,
                1,
                "empty-file",
                "file is empty",
                "add front matter with a `kind:` or delete the file",
            )
        ]
    return text, []


def parse_yaml(
    text: str, rel: str, first_line: int
) -> tuple[Any, dict[KeyPath, int], list[Diagnostic]]:
    """Parse YAML safely, with the file line of every key and duplicate keys reported.

    `first_line` is the file line on which `text` starts, so errors count from the top of the file.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        lines: dict[KeyPath, int] = {}
        problems: list[Diagnostic] = []
        _walk(node, (), first_line, lines, problems, rel)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        what = exc.problem or "invalid YAML"
        return (
            None,
            {},
            [
                Diagnostic(
                    rel,
                    line,
                    "yaml-syntax",
                    f"YAML syntax error: {what}",
                    "check indentation, colons and quoting on this line",
                    column=column,
                )
            ],
        )
    except yaml.YAMLError as exc:
        return None, {}, [Diagnostic(rel, first_line, "yaml-syntax", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return _plain(data), lines, problems


def _walk(
    node: Any,
    path: KeyPath,
    first: int,
    lines: dict[KeyPath, int],
    problems: list[Diagnostic],
    rel: str,
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first + key_node.start_mark.line
            if key in seen:
                problems.append(
                    Diagnostic(
                        rel,
                        line,
                        "duplicate-key",
                        f"duplicate key `{key}` (first defined on line {seen[key]})",
                        "YAML keeps only the last value; remove or merge one of them",
                    )
                )
            seen.setdefault(key, line)
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), first, lines, problems, rel)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = first + item.start_mark.line
            _walk(item, path + (i,), first, lines, problems, rel)


def _plain(value: Any) -> Any:
    """JSON-compatible data: dates as ISO strings, keys as strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Return (front matter, body, body's first line, diagnostics)."""
    end = _FENCE.search(text, 4) if text.startswith("---\n") else None
    if end is None:
        opened = text.startswith("---\n")
        problem = Diagnostic(
            rel,
            1,
            "missing-front-matter",
            "front matter is not closed" if opened else "file has no YAML front matter",
            "add a line `---` after the last front-matter key"
            if opened
            else "start the file with `---`, a `kind:` line and the kind's keys, then `---`",
        )
        return None, text, 1, [problem]
    front = text[4 : end.start()]
    body_line = front.count("\n") + 3
    return front, text[end.end() + 1 :], body_line, []


def parse_body(body: str, body_line: int) -> tuple[list[Heading], list[Link], list[Section]]:
    """Headings, links and the H2/H3 section tree, with file lines."""
    headings: list[Heading] = []
    links: list[Link] = []
    slugs: set[str] = set()
    flat: list[tuple[Heading, int]] = []  # (heading, words directly under it)
    words = 0
    tokens = _md.parse(body)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            text = _inline_text(inline)
            slug = unique(slugify(text, "-"), slugs)
            line = body_line + (tok.map[0] if tok.map else 0)
            heading = Heading(int(tok.tag[1]), text, slug, line)
            headings.append(heading)
            if flat:
                flat[-1] = (flat[-1][0], words)
            flat.append((heading, 0))
            words = 0
        elif tok.type == "inline":
            if i and tokens[i - 1].type != "heading_open":
                words += len(_WORD.findall(_inline_text(tok)))
            _collect_links(tok, body_line, links)
        elif tok.type in ("fence", "code_block"):
            words += len(_WORD.findall(tok.content))
    if flat:
        flat[-1] = (flat[-1][0], words)
    return headings, links, _tree(flat)


def _inline_text(inline: Any) -> str:
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def _collect_links(inline: Any, body_line: int, out: list[Link]) -> None:
    line = body_line + (inline.map[0] if inline.map else 0)
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            out.append(Link(href, line))


def _tree(flat: list[tuple[Heading, int]]) -> list[Section]:
    sections: list[Section] = []
    current: tuple[Heading, int, list[Section]] | None = None

    def close() -> None:
        if current:
            sections.append(Section(current[0], current[1], tuple(current[2])))

    for heading, words in flat:
        if heading.level == 2:
            close()
            current = (heading, words, [])
        elif heading.level == 3 and current:
            current[2].append(Section(heading, words))
    close()
    return sections


def load_document(root: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    front, body, body_line, problems = split_front_matter(text, rel)
    if front is None:
        return None, problems
    meta, key_lines, problems = parse_yaml(front, rel, 2)
    if meta is None:
        return None, problems
    if not isinstance(meta, dict):
        return None, problems + [
            Diagnostic(
                rel,
                2,
                "yaml-syntax",
                "front matter is not a mapping of keys to values",
                "write front matter as `key: value` lines",
            )
        ]
    headings, links, sections = parse_body(body, body_line)
    doc = Document(rel, meta, key_lines, body, body_line, headings, links, sections)
    return doc, problems


def load_data_file(root: Path, rel: str) -> tuple[DataFile | None, list[Diagnostic]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    data, key_lines, problems = parse_yaml(text, rel, 1)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, problems + [
            Diagnostic(rel, 1, "yaml-syntax", "data file is not a mapping of keys to values")
        ]
    return DataFile(rel, data, key_lines), problems


def discover(root: Path, dirs: list[str]) -> list[str]:
    """Repository-relative paths of every Markdown and YAML file under `dirs`, sorted."""
    found = []
    for d in dirs:
        base = root / d
        if base.is_dir():
            for p in base.rglob("*"):
                if p.suffix in (".md", ".yml", ".yaml") and p.is_file():
                    found.append(p.relative_to(root).as_posix())
    return sorted(found)


def load(root: Path, dirs: list[str]) -> tuple[Repository, list[Diagnostic]]:
    """Load every file under `dirs` (relative to `root`) into a Repository."""
    repo = Repository()
    problems: list[Diagnostic] = []
    for rel in discover(root, dirs):
        repo.files.append(rel)
        name = rel.rsplit("/", 1)[-1]
        if rel.endswith(".md"):
            doc, found = load_document(root, rel)
            if doc is not None:
                repo.documents.append(doc)
            else:
                repo.unresolved.add(name[:-3])
        elif name in DATA_FILES:
            data, found = load_data_file(root, rel)
            if data is not None:
                setattr(repo, DATA_FILES[name], data)
        else:
            found = [
                Diagnostic(
                    rel,
                    1,
                    "unknown-file",
                    f"`{name}` is not a known data file",
                    f"data files are {', '.join(sorted(DATA_FILES))}",
                )
            ]
        problems += found
    return repo, problems
