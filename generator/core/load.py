"""Stage 1: read every content file into the model, keeping source lines.

Nothing here raises on bad input: unreadable files become diagnostics.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import re
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown.extensions.toc import slugify

from .diagnostics import Diagnostic
from .markdown_scan import scan
from .model import DATA_LISTS, DataFile, Document, Heading, KeyPath, Link, Repository, Section

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~8x faster
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_Base):  # type: ignore[misc]
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


MAX_FILE_BYTES = 2 * 1024 * 1024
"""Larger files are reported, not read: no page or data file of a knowledge base comes near."""
MAX_DEPTH = 100
"""Deepest YAML nesting built; front matter needs about five levels."""
ALIAS_REPEATS = 10_000
"""Values built again through aliases, beyond the size of the YAML as written: a limit that
stops alias bombs ("billion laughs") after linear work."""
_SAFE_DEPTH_CHARS = 2_000  # shorter YAML cannot nest deep enough to trouble libyaml's parser
_INDENT = re.compile(r"^(?:[ \t]|[-?:][ \t])*", re.M)
_BRACKET = re.compile(r"[\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _unreadable(rel: str, exc: OSError) -> Diagnostic:
    if isinstance(exc, FileNotFoundError):
        return Diagnostic(
            rel, 1, "unreadable-file", "file disappeared while it was being read", "run again"
        )
    reason = exc.strerror or type(exc).__name__
    return Diagnostic(
        rel,
        1,
        "unreadable-file",
        f"file cannot be read: {reason}",
        "make the file readable (permissions, name length, disk) or remove it",
    )


def special_file(rel: str) -> Diagnostic:
    return Diagnostic(
        rel,
        1,
        "special-file",
        "not a regular file (a pipe, socket or device); skipped",
        "replace it with a regular file or remove it",
    )


def too_large(rel: str, size: int) -> Diagnostic:
    return Diagnostic(
        rel,
        1,
        "file-too-large",
        f"file has {size:,} bytes, more than the {MAX_FILE_BYTES:,} that are read",
        "split it into smaller files",
    )


def _read_bytes(path: Path, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, refusing special files and oversized files without blocking on them."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, [_unreadable(rel, exc)]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [special_file(rel)]
        if info.st_size > MAX_FILE_BYTES:
            return None, [too_large(rel, info.st_size)]
        raw = _read_all(fd, info.st_size)
    except OSError as exc:
        return None, [_unreadable(rel, exc)]
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # grew after the size check
        return None, [too_large(rel, len(raw))]
    return raw, []


def _read_all(fd: int, size: int) -> bytes:
    """Up to MAX_FILE_BYTES + 1 bytes; asks for the size the file has (a big buffer per file
    would cost more than the read), then reads on in case it grew."""
    chunks, total = [], 0
    while total <= MAX_FILE_BYTES:
        chunk = os.read(fd, max(size + 1 - total, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_text(root: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a file as UTF-8 (a BOM is allowed) with LF line endings."""
    raw, problems = _read_bytes(root / rel, rel)
    if raw is None:
        return None, problems
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


def _too_deep(text: str) -> bool:
    """Whether YAML might nest deeper than MAX_DEPTH levels, checked without parsing.

    libyaml composes nodes recursively in C and crashes the process on very deep nesting, so
    that is refused before it parses. A block level takes a column of indentation or an
    indicator, a flow level a bracket: both bounds are cheap and tight enough for real files.
    """
    if len(text) < _SAFE_DEPTH_CHARS:
        return False
    if max(map(len, _INDENT.findall(text)), default=0) > 10 * MAX_DEPTH:
        return True
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    steps = map(_DEPTH_STEP.__getitem__, _BRACKET.findall(text))
    return max(itertools.accumulate(steps), default=0) > MAX_DEPTH


def parse_yaml(
    text: str, rel: str, first_line: int
) -> tuple[Any, dict[KeyPath, int], list[Diagnostic]]:
    """Parse YAML safely, with the file line of every key and duplicate keys reported.

    `first_line` is the file line on which `text` starts, so errors count from the top of the file.
    A value that cannot be built (an impossible date, a bad tag) is reported and kept as written.
    """
    data, lines, problems, _broken = parse_yaml_checked(text, rel, first_line)
    return data, lines, problems


def parse_yaml_checked(
    text: str, rel: str, first_line: int
) -> tuple[Any, dict[KeyPath, int], list[Diagnostic], list[KeyPath]]:
    """`parse_yaml`, plus the key paths of the values that could not be built."""
    if _too_deep(text):
        problem = Diagnostic(
            rel,
            first_line,
            "yaml-syntax",
            f"YAML is nested (or indented) deeper than {MAX_DEPTH} levels",
            "flatten the structure",
        )
        return None, {}, [problem], []
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as exc:  # lone surrogates: only text that came from elsewhere
        line = first_line + text.count("\n", 0, exc.start)
        problem = Diagnostic(rel, line, "yaml-syntax", "text is not valid Unicode", "retype it")
        return None, {}, [problem], []
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, [], []
        builder = _Builder(first_line, rel, loader)
        data = builder.build(node, ())
    except _Stop as stop:
        return None, {}, [stop.problem], []
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_syntax(exc, rel, first_line)], []
    except yaml.YAMLError as exc:  # a character YAML does not allow (a control character)
        at = getattr(exc, "position", None)
        line = first_line + (text.count("\n", 0, at) if isinstance(at, int) else 0)
        hint = 'remove control characters; write them as escapes in double quotes ("\\t")'
        what = str(exc).split("\n", 1)[0]  # the rest names the string, not the file
        return None, {}, [Diagnostic(rel, line, "yaml-syntax", f"YAML error: {what}", hint)], []
    finally:
        loader.dispose()
    return data, builder.lines, builder.problems, builder.broken


def _syntax(exc: yaml.MarkedYAMLError, rel: str, first_line: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    return Diagnostic(
        rel,
        first_line + (mark.line if mark else 0),
        "yaml-syntax",
        f"YAML syntax error: {exc.problem or 'invalid YAML'}",
        "check indentation, colons and quoting on this line",
        column=(mark.column + 1) if mark else 1,
    )


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_TYPES = (str, int, float, bool, type(None))
_SCALAR, _MAPPING = yaml.ScalarNode, yaml.MappingNode
# What PyYAML's safe constructors raise on values their tag rejects: `!!float abc` (ValueError),
# `!!bool maybe` (KeyError), `!!int ""` (IndexError), `2026-02-30` (ValueError), unknown tags,
# `!!timestamp nope` (AttributeError: its regex does not match and PyYAML does not check).
YAML_VALUE_ERRORS = (
    yaml.YAMLError,
    ValueError,
    TypeError,
    LookupError,
    ArithmeticError,
    AttributeError,
)


class _Stop(Exception):
    """Building a document stopped; `problem` says where and why."""

    def __init__(self, problem: Diagnostic) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Builder:
    """Builds the value of a node tree, recording key lines and duplicate keys on the way.

    Strings, the bulk of front matter, are taken as they are; other scalars (numbers, booleans,
    dates) go through the safe constructor. Building here avoids a second pass over the tree.
    Aliases make the node tree a graph: a node on its own path is a recursive alias, and values
    built again through aliases are counted, so an alias bomb stops after linear work.
    """

    __slots__ = (
        "first",
        "rel",
        "loader",
        "lines",
        "problems",
        "broken",
        "seen",
        "active",
        "again",
        "items",
        "at",
    )

    def __init__(self, first: int, rel: str, loader: Any) -> None:
        self.first, self.rel, self.loader = first, rel, loader
        self.lines: dict[KeyPath, int] = {}
        self.problems: list[Diagnostic] = []
        self.broken: list[KeyPath] = []
        """Key paths of values that could not be built (kept as written, already reported)."""
        self.seen: set[int] = set()
        """Collections built so far (by id): a second visit comes through an alias."""
        self.active: set[int] = set()
        """Collections on the path being built: meeting one again is a recursive alias."""
        self.again = 0
        """Items of collections built again through aliases."""
        self.items = 0
        """Items of collections built once: the size of the document as written."""
        self.at = first
        """Line of the key being built: where an alias that goes wrong is written."""

    def build(self, node: Any, path: KeyPath) -> Any:
        if type(node) is _SCALAR:
            return node.value if node.tag == _STR else self._scalar(node, path)
        key = id(node)
        if key in self.active:
            self._stop(node, "recursive alias: a value contains itself")
        if key in self.seen:  # built before: this is an alias, and its items are built again
            self.again += len(node.value)
            if self.again > ALIAS_REPEATS + self.items:
                self._stop(node, f"aliases expand to more than {ALIAS_REPEATS:,} extra values")
        else:
            self.seen.add(key)
            self.items += len(node.value)
        if len(self.active) >= MAX_DEPTH:
            self._stop(node, f"YAML is nested deeper than {MAX_DEPTH} levels", "yaml-syntax")
        self.active.add(key)
        try:
            if type(node) is _MAPPING:
                return self._mapping(node, path)
            return self._sequence(node, path)
        finally:
            self.active.discard(key)

    def _stop(self, node: Any, message: str, code: str = "yaml-alias") -> None:
        hint = (
            "flatten the structure"
            if code == "yaml-syntax"
            else "write the values out, or use fewer nested aliases (`*name`)"
        )
        line = self.first + node.start_mark.line if code == "yaml-syntax" else self.at
        raise _Stop(Diagnostic(self.rel, line, code, message, hint))

    def _bad(self, node: Any, path: KeyPath, message: str, hint: str) -> None:
        self.broken.append(path)
        self.problems.append(
            Diagnostic(
                self.rel,
                self.first + node.start_mark.line,
                "yaml-value",
                message,
                hint,
                column=node.start_mark.column + 1,
            )
        )

    def _scalar(self, node: Any, path: KeyPath) -> Any:
        try:
            value = self.loader.construct_object(node)
        except YAML_VALUE_ERRORS as exc:
            self._bad(node, path, _why(node, exc), _hint(node))
            return node.value
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if not isinstance(value, _PLAIN_TYPES):
            self._bad(node, path, f"tag `{_short(node.tag)}` is not supported", _hint(node))
            return node.value
        return value

    def _mapping(self, node: Any, path: KeyPath) -> dict[str, Any]:
        if node.tag != _MAP:
            self._bad(node, path, f"tag `{_short(node.tag)}` is not supported", _hint(node))
        out: dict[str, Any] = {}
        own: dict[str, int] = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if type(key_node) is not _SCALAR:
                self._bad(key_node, path, "a key must be plain text", "write the key as text")
                continue
            key, line = str(key_node.value), self.first + key_node.start_mark.line
            if key in own:
                self.problems.append(
                    Diagnostic(
                        self.rel,
                        line,
                        "duplicate-key",
                        f"duplicate key `{key}` (first defined on line {own[key]})",
                        "YAML keeps only the last value; remove or merge one of them",
                    )
                )
            own.setdefault(key, line)
            here = path + (key,)
            self.lines[here] = self.at = line
            if value_node.tag == _STR and type(value_node) is _SCALAR:  # most values: text
                out[key] = value_node.value
            else:
                out[key] = self.build(value_node, here)
        if merges:
            self._merge(out, merges, path, own)
        return out

    def _merge(
        self, out: dict[str, Any], merges: list[Any], path: KeyPath, own: dict[str, int]
    ) -> None:
        """`<<: *base` (or a list of them): keys written here win, then earlier sources."""
        for value_node in merges:
            many = isinstance(value_node, yaml.SequenceNode)
            for source in value_node.value if many else [value_node]:
                if not isinstance(source, yaml.MappingNode):
                    hint = "merge a mapping: `<<: *name`"
                    self._bad(source, path, "`<<` merges only mappings", hint)
                    continue
                for key, value in self.build(source, path).items():
                    out.setdefault(key, value)
        for key, line in own.items():  # the sources recorded their own lines for these keys
            self.lines[path + (key,)] = line

    def _sequence(self, node: Any, path: KeyPath) -> list[Any]:
        if node.tag != _SEQ:
            self._bad(node, path, f"tag `{_short(node.tag)}` is not supported", _hint(node))
        items = []
        lines, first = self.lines, self.first
        for i, item in enumerate(node.value):
            here = path + (i,)
            lines[here] = first + item.start_mark.line
            if item.tag == _STR and type(item) is _SCALAR:
                items.append(item.value)
            else:
                items.append(self.build(item, here))
        return items


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _why(node: Any, exc: BaseException) -> str:
    tag = _short(node.tag)
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"tag `{tag}` is not supported"
    if tag == "!!timestamp" and isinstance(exc, ValueError):  # `day is out of range`, ...
        return f"`{node.value}` is not a valid date ({exc})"
    if tag == "!!timestamp":
        return f"`{node.value}` is not a valid date"
    return f"`{node.value}` is not a valid `{tag}` value"


def _hint(node: Any) -> str:
    if node.tag.endswith(":timestamp"):
        return "write a real date as YYYY-MM-DD (or quote the text)"
    return "remove the tag, or quote the value to keep it as text"


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


_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")  # Python-Markdown's toc IDCOUNT_RE


def unique_slug(slug: str, ids: set[str], runs: dict[str, tuple[int, int]]) -> str:
    """`slug` made unique in `ids` exactly as Python-Markdown's toc `unique()` does it
    (`x`, `x_1`, `x_2`, …), in constant time per heading.

    `unique()` tries `base_1`, `base_2`, … from the start for every repeat, so 20,000 equal
    headings cost 200 million lookups. `runs[base] = (a, b)` remembers that `base_a` up to
    `base_{b-1}` are all taken: ids are only ever added, so the search can start after them.
    """
    if slug and slug not in ids:
        ids.add(slug)
        return slug
    m = _IDCOUNT.match(slug)
    base, n = (m.group(1), int(m.group(2)) + 1) if m else (slug, 1)
    start, end = runs.get(base, (n, n))
    if start <= n <= end:
        n = end
    else:
        start = n
    while f"{base}_{n}" in ids:
        n += 1
    found = f"{base}_{n}"
    ids.add(found)
    runs[base] = (start, n + 1)
    return found


_ATTR_LIST = re.compile(r"[ ]+\{:?([^}\n]*)\}[ ]*$")  # attr_list's HEADER_RE


def _attr_id(text: str) -> tuple[str, str | None]:
    """A heading's text without its attr_list block (`## Title { #id .class }`), and the id."""
    if "{" not in text or not (m := _ATTR_LIST.search(text)):
        return text, None
    ids = [a[1:] for a in m.group(1).split() if a.startswith("#") and len(a) > 1]
    return text[: m.start()], ids[-1] if ids else None


def parse_body(body: str, body_line: int) -> tuple[list[Heading], list[Link], list[Section]]:
    """Headings, links and the H2/H3 section tree, with file lines."""
    found, targets, words = scan(body)
    named = [_attr_id(text) for _level, text, _line in found]
    # As Python-Markdown's toc: ids set with attr_list are taken first, the others made unique.
    slugs: set[str] = {ident for _text, ident in named if ident}
    runs: dict[str, tuple[int, int]] = {}
    headings = [
        Heading(level, text, ident or unique_slug(_slug(text), slugs, runs), body_line + line)
        for (level, _raw, line), (text, ident) in zip(found, named, strict=True)
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
    meta, key_lines, problems, broken = parse_yaml_checked(front, rel, 2)
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
    doc = Document(rel, meta, key_lines, body, body_line, headings, links, sections, broken)
    return doc, problems


def load_data_file(root: Path, rel: str) -> tuple[DataFile | None, list[Diagnostic]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    data, key_lines, problems, broken = parse_yaml_checked(text, rel, 1)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, problems + [
            Diagnostic(
                rel,
                1,
                "yaml-syntax",
                "data file is not a mapping of keys to values",
                "write the file as `key: value` lines",
            )
        ]
    return DataFile(rel, data, key_lines, broken), problems


_SUFFIXES = (".md", ".yml", ".yaml")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def outside_link(rel: str, what: str = "symbolic link points") -> Diagnostic:
    return Diagnostic(
        rel,
        1,
        "outside-repository",
        f"{what} outside the repository; not read or published",
        "copy the file into the repository instead of linking to it",
    )


def _kind(path: str, rel: str, real_root: str, problems: list[Diagnostic]) -> str | None:
    """`dir`, `file`, or None for what is skipped (a diagnostic says why, unless it vanished)."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if not _inside(os.path.realpath(path), real_root):
                problems.append(outside_link(rel))
                return None
            info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            problems.append(
                Diagnostic(
                    rel,
                    1,
                    "unreadable-file",
                    "symbolic link points to a file that does not exist",
                    "fix the link or remove it",
                )
            )
        return None  # otherwise gone since it was listed: there is nothing left to check
    except OSError as exc:
        problems.append(_unreadable(rel, exc))
        return None
    if stat.S_ISDIR(info.st_mode):
        return "dir"
    if stat.S_ISREG(info.st_mode):
        return "file"
    problems.append(special_file(rel))
    return None


def find_files(root: Path, dirs: list[str]) -> tuple[list[str], list[Diagnostic]]:
    """Repository-relative paths of every Markdown and YAML file under `dirs`, sorted, and a
    diagnostic for everything under them that must not be read: special files (a FIFO would
    block the build), links that leave the repository, folders and files that cannot be read.
    """
    real_root = os.path.realpath(root)
    found: list[str] = []
    problems: list[Diagnostic] = []
    walked: set[str] = set()  # real paths of folders: in-repository links may form loops
    stack = []
    for d in reversed(dirs):
        if not os.path.lexists(root / d):
            continue
        if _inside(os.path.realpath(root / d), real_root):
            stack.append(d)
        else:  # a configured folder such as `../elsewhere`, or a link to one
            problems.append(outside_link(d, "folder is"))
    while stack:
        rel = stack.pop()
        kind = _kind(str(root / rel), rel, real_root, problems)
        if kind == "file" and rel.endswith(_SUFFIXES):
            found.append(rel)
        elif kind == "dir" and (real := os.path.realpath(root / rel)) not in walked:
            walked.add(real)
            try:
                names = sorted(os.listdir(root / rel), reverse=True)
            except OSError as exc:
                problems.append(_unreadable(rel, exc))
                continue
            stack += [f"{rel}/{name}" for name in names]
    return sorted(found), problems


def discover(root: Path, dirs: list[str]) -> list[str]:
    """Repository-relative paths of every Markdown and YAML file under `dirs`, sorted."""
    return find_files(root, dirs)[0]


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
    rels, problems = find_files(root, dirs)
    for rel, loaded, found in _load_many(root, rels):
        repo.files.append(rel)
        name = rel.rsplit("/", 1)[-1]
        if isinstance(loaded, Document):
            repo.documents.append(loaded)
        elif isinstance(loaded, DataFile):
            setattr(repo, DATA_FILES[name], loaded)
        elif rel.endswith(".md"):
            repo.unresolved.add(name[:-3])
        elif name in DATA_FILES:  # what it defines is unknown: later checks must not guess
            repo.unknown_lists.add(DATA_LISTS[DATA_FILES[name]])
        problems += found
    return repo, problems


def unsafe_sources(root: Path, sources: list[str], folders: list[str]) -> dict[str, Diagnostic]:
    """Of `sources` (absolute paths MkDocs would read from `folders`, the docs folder and the
    theme's custom_dir), those that must not be read or published: links whose target leaves
    the repository, special files, files that cannot be examined. Files from elsewhere (the
    theme's own package) are not ours to judge and are left alone.
    """
    real_root = os.path.realpath(root)
    bases = [os.path.abspath(f) for f in folders]
    found: dict[str, Diagnostic] = {}
    for src in sources:
        path = os.path.abspath(src)
        if not any(_inside(path, base) for base in bases):
            continue
        rel = Path(os.path.relpath(path, root)).as_posix()
        problems: list[Diagnostic] = []
        if _kind(path, rel, real_root, problems) != "file":
            found[src] = problems[0] if problems else _unreadable(rel, FileNotFoundError())
    return found
