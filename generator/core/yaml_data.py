"""YAML, read safely: the safe loader, limits on depth and aliases, values kept with their lines.

Nothing from a file is executed or constructed beyond plain data; every problem is a diagnostic.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .model import KeyPath

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


MAX_DEPTH = 100
"""Deepest YAML nesting built; front matter needs about five levels."""
ALIAS_REPEATS = 10_000
"""Values built again through aliases, beyond the size of the YAML as written: a limit that
stops alias bombs ("billion laughs") after linear work."""
_SAFE_DEPTH_CHARS = 2_000  # shorter YAML cannot nest deep enough to trouble libyaml's parser
_INDENT = re.compile(r"^(?:[ \t]|[-?:][ \t])*", re.M)
_BRACKET = re.compile(r"[\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


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
