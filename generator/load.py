"""Stage 1: read every content file into the model, keeping source lines.

Nothing here raises on bad input: unreadable files become diagnostics.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown.extensions.toc import slugify, unique

from .diagnostics import Diagnostic
from .model import DataFile, Document, Heading, KeyPath, Link, Repository, Section
from .scan import scan

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~8x faster
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader with a shortcut for plain words, the most common scalars by far.

    YAML 1.1 types a plain scalar by trying a regex per type; a value that starts with a letter
    other than those of yes/no/true/false/on/off/null can only be a string.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if (
            kind is yaml.ScalarNode
            and implicit[0]
            and value[:1].isalpha()
            and value[0] not in "yYnNtTfFoO"
        ):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


DATA_FILES = {"organization.yml": "organization", "raci.yml": "raci"}
_FENCE = re.compile(r"^---[ \t]*$", re.M)


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
        data = _walk(node, (), first_line, lines, problems, rel, loader)
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
    return data, lines, problems


_STR = "tag:yaml.org,2002:str"


def _walk(
    node: Any,
    path: KeyPath,
    first: int,
    lines: dict[KeyPath, int],
    problems: list[Diagnostic],
    rel: str,
    loader: Any,
) -> Any:
    """Build the value of `node`, recording key lines and duplicate keys on the way.

    Strings, the bulk of front matter, are taken as they are; other scalars (numbers, booleans,
    dates) go through the safe constructor. Building here avoids a second pass over the tree.
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else _plain(loader.construct_object(node))
    if isinstance(node, yaml.MappingNode):
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _v in node.value):
            return _plain(loader.construct_object(node, deep=True))  # `<<:` merges are rare
        out: dict[str, Any] = {}
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
            out[key] = _walk(value_node, path + (key,), first, lines, problems, rel, loader)
        return out
    items = []
    for i, item in enumerate(node.value):
        lines[path + (i,)] = first + item.start_mark.line
        items.append(_walk(item, path + (i,), first, lines, problems, rel, loader))
    return items


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


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    return str(slugify(text, "-"))  # the same headings recur on every page of a kind


def parse_body(body: str, body_line: int) -> tuple[list[Heading], list[Link], list[Section]]:
    """Headings, links and the H2/H3 section tree, with file lines."""
    found, targets, words = scan(body)
    slugs: set[str] = set()
    headings = [
        Heading(level, text, unique(_slug(text), slugs), body_line + line)
        for level, text, line in found
    ]
    links = [Link(target, body_line + line) for target, line in targets]
    starts = [line for _level, _text, line in found] + [len(words)]
    flat = [(h, sum(words[starts[i] + 1 : starts[i + 1]])) for i, h in enumerate(headings)]
    return headings, links, _tree(flat)


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


Loaded = tuple[str, "Document | DataFile | None", list[Diagnostic]]


def _load_one(root: Path, rel: str) -> Loaded:
    name = rel.rsplit("/", 1)[-1]
    if rel.endswith(".md"):
        return (rel, *load_document(root, rel))
    if name in DATA_FILES:
        return (rel, *load_data_file(root, rel))
    hint = f"data files are {', '.join(sorted(DATA_FILES))}"
    return (
        rel,
        None,
        [Diagnostic(rel, 1, "unknown-file", f"`{name}` is not a known data file", hint)],
    )


def _load_many(root: Path, rels: list[str]) -> list[Loaded]:
    gc.disable()  # bulk creation of small objects: collection passes would find nothing to free
    try:
        return [_load_one(root, rel) for rel in rels]
    finally:
        gc.enable()


def load(root: Path, dirs: list[str]) -> tuple[Repository, list[Diagnostic]]:
    """Load every file under `dirs` (relative to `root`) into a Repository."""
    repo = Repository()
    problems: list[Diagnostic] = []
    for rel, loaded, found in _load_many(root, discover(root, dirs)):
        repo.files.append(rel)
        name = rel.rsplit("/", 1)[-1]
        if isinstance(loaded, Document):
            repo.documents.append(loaded)
        elif isinstance(loaded, DataFile):
            setattr(repo, DATA_FILES[name], loaded)
        elif rel.endswith(".md"):
            repo.unresolved.add(name[:-3])
        problems += found
    return repo, problems
