"""Mutations of a knowledge base and the contract every run of `check` must keep.

Shared by the bounded property test (tests/test_fuzz.py, hypothesis) and the long campaign
(scripts/fuzz.py). A mutation edits a scratch copy of a repository in place and the runner
restores it afterwards, so one copy serves thousands of runs.

The contract: `finops-kb check` exits 0, 1 or 2; no exception escapes; every diagnostic on a
file that has lines names a line >= 1; a run ends within the time limit. The pages the site
would show are then generated from what `check` let through, which must not raise either.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "cases" / "base"
PARTS = ("content", "playbooks")
CONFIG = "site_config.yml"

VALUES = [
    "5",
    "-1",
    "0",
    "1e400",
    ".nan",
    "[]",
    "{}",
    "[[a]]",
    "{a: 1}",
    "[1, {b: [2]}]",
    "null",
    "~",
    "true",
    "no",
    "''",
    '"<script>alert(1)</script>"',
    "'\"><img src=x onerror=alert(1)>'",
    "2026-02-30",
    "2026-13-01",
    "9999-12-31",
    "0001-01-01",
    "2026-01-01T25:00:00",
    "!!float abc",
    "!!bool maybe",
    "!!int x",
    "!!timestamp nope",
    "!foo bar",
    "!!binary ===",
    "!!python/object:os.system ls",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "&a [*a]",
    "*undefined",
    "&x {<<: *x}",
    "{<<: {a: 1}}",
    "{<<: [1, 2]}",
    "'../../../../etc/hostname'",
    "/etc/hostname",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "'x\ty'",
    "[1, [2, [3, [4]]]]",
    "'" + "w" * 5000 + "'",
    "'ünïcödé ✓'",
    "'\\u0000'",
    '"\\x00\\x1b[31m"',
    "'%0A::error::x'",
    "'a\\nb'",
    "x\\ny",
    ">\n  folded",
    "|\n  literal",
    "'{{ 7*7 }}'",
    "'{% raw %}'",
    "'<!-- finops-kb part 0 -->'",
    "'[link](missing.md)'",
    "'# heading'",
    "'\\ud800'",
    "'😀' ",
    "2",
    "100000000000000000000",
    "-0x1f",
    "0o777",
    "[crawl, walk]",
    "run",
    "crawl",
    "{current: run, target: crawl}",
    "[{name: x}]",
    "[{}]",
    "[null]",
    "A",
    "R",
    "[R, A]",
]
MARKDOWN = [
    "[x](missing.md)",
    "[x](../../../../etc/passwd)",
    "[x](/etc/passwd)",
    "[x](file:///etc/x)",
    "[x](#nowhere)",
    "[x](alpha.md#nope)",
    "[x][ref]\n\n[ref]: nowhere.md",
    "[x\ny](a.md)",
    "\\[x\\](y.md)",
    "    [x](indented.md)",
    "```\n[x](fenced.md)",
    "`[x](code.md)`",
    "![img](missing.png)",
    "[x](/framework/x.html)",
    "<a href='javascript:alert(1)'>x</a>",
    "<script>alert(1)</script>",
    "## Definition",
    "### Crawl",
    "#### Crawl",
    "## ",
    "# " + "h" * 3000,
    "[x](<a b.md>)",
    '[x](a.md "title")',
    "[](",
    "[x](%zz.md)",
    "<img src='file:///etc/hostname'>",
    "<style>@import url(file:///etc/passwd);</style>",
    "---",
    "***",
    "> ## Quoted heading",
    "- ## Listed heading",
    "| a | b |\n|---|---|",
    "{ #custom-id }",
    "[x](alpha.md#definition)",
    "\x00",
    "\u202e",
    "\ufeff",
]
ENCODINGS = ["utf-16", "latin-1", "cp1252", "utf-32"]


class Chooser(Protocol):
    """Where a mutation gets its choices: hypothesis in the suite, random in the campaign."""

    def integer(self, low: int, high: int) -> int: ...

    def text(self) -> str: ...


class Rand:
    """Choices from a seeded generator: one seed repeats a whole mutation."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def text(self) -> str:
        size = self.rng.randint(0, 30)
        return "".join(chr(self._code()) for _ in range(size))

    def _code(self) -> int:
        code = self.rng.choice([self.rng.randint(0, 127), self.rng.randint(128, 0x2FFF)])
        return code if not 0xD800 <= code <= 0xDFFF else 0xFFFD


def pick(ch: Chooser, items: Sequence[Any]) -> Any:
    return items[ch.integer(0, len(items) - 1)]


@dataclass(slots=True)
class Scratch:
    """A working copy of a repository that mutations edit and `restore` puts back."""

    root: Path
    original: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, source: Path, dest: Path) -> Scratch:
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for part in PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, dest / part)
        text = (source / CONFIG).read_text("utf-8")
        text = re.sub(r"(?m)^(\s*custom_dir:).*$", r"\1 theme", text)
        (dest / CONFIG).write_text(text, "utf-8")
        (dest / "theme").mkdir(exist_ok=True)
        scratch = cls(dest)
        scratch.original = scratch._snapshot()
        return scratch

    def _snapshot(self) -> dict[str, bytes]:
        out = {}
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and not p.is_symlink():
                out[p.relative_to(self.root).as_posix()] = p.read_bytes()
        return out

    def files(self, suffixes: tuple[str, ...] = (".md", ".yml")) -> list[str]:
        return [f for f in self.original if f.endswith(suffixes)]

    def restore(self) -> None:
        for p in sorted(self.root.rglob("*"), reverse=True):
            rel = p.relative_to(self.root).as_posix()
            if p.is_symlink() or (p.is_file() and rel not in self.original):
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()) and rel != "theme":
                p.rmdir()
        for rel, data in self.original.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").split("\n")


def _keyed(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[\w-]+:\s*\S", line)]


def m_value(s: Scratch, ch: Chooser, rel: str) -> str:
    lines = _lines((s.root / rel).read_bytes())
    keyed = _keyed(lines)
    if not keyed:
        return m_line(s, ch, rel)
    i = pick(ch, keyed)
    value = pick(ch, VALUES) if ch.integer(0, 4) else repr(ch.text())
    lines[i] = re.sub(r"^(\s*-?\s*[\w-]+:\s*).*$", lambda m: m.group(1) + value, lines[i])
    (s.root / rel).write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    return f"{rel}:{i + 1}: value -> {value[:60]!r}"


def m_key(s: Scratch, ch: Chooser, rel: str) -> str:
    """Rename a key, or add a new key at the same indentation."""
    lines = _lines((s.root / rel).read_bytes())
    keyed = _keyed(lines)
    if not keyed:
        return m_line(s, ch, rel)
    i = pick(ch, keyed)
    key = pick(ch, ["search", "hide", "template", "status", "tags", "x", "kind", "id", "<<"])
    value = pick(ch, VALUES)
    indent = re.match(r"^(\s*-?\s*)", lines[i])
    prefix = indent.group(1).replace("-", " ") if indent else ""
    if ch.integer(0, 1):
        lines.insert(i + 1, f"{prefix}{key}: {value}")
        what = f"added {key}: {value[:40]!r}"
    else:
        lines[i] = re.sub(r"^(\s*-?\s*)[\w-]+:", lambda m: f"{m.group(1)}{key}:", lines[i])
        what = f"renamed key to {key}"
    (s.root / rel).write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    return f"{rel}:{i + 1}: {what}"


def m_line(s: Scratch, ch: Chooser, rel: str) -> str:
    lines = _lines((s.root / rel).read_bytes())
    i = ch.integer(0, max(len(lines) - 1, 0))
    kind = pick(ch, ["delete", "double", "tab", "indent", "dedent", "swap", "markdown", "text"])
    if kind == "delete" and lines:
        del lines[i]
    elif kind == "double" and lines:
        lines.insert(i, lines[i])
    elif kind == "tab" and lines:
        lines[i] = "\t" + lines[i]
    elif kind == "indent" and lines:
        lines[i] = "   " + lines[i]
    elif kind == "dedent" and lines:
        lines[i] = lines[i].lstrip()
    elif kind == "swap" and len(lines) > 1:
        j = ch.integer(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "markdown":
        lines.insert(i, pick(ch, MARKDOWN))
    else:
        lines.insert(i, ch.text())
    (s.root / rel).write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    return f"{rel}:{i + 1}: {kind}"


def m_bytes(s: Scratch, ch: Chooser, rel: str) -> str:
    path = s.root / rel
    data = path.read_bytes()
    kind = pick(ch, ["flip", "insert", "truncate", "bom", "encode", "crlf", "cr", "nul"])
    pos = ch.integer(0, max(len(data) - 1, 0))
    if kind == "flip":
        data = data[:pos] + bytes([ch.integer(0, 255)]) + data[pos + 1 :]
    elif kind == "insert":
        data = data[:pos] + bytes(ch.integer(0, 255) for _ in range(4)) + data[pos:]
    elif kind == "truncate":
        data = data[:pos]
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "encode":
        data = data.decode("utf-8", "replace").encode(pick(ch, ENCODINGS), "replace")
    elif kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "cr":
        data = data.replace(b"\n", b"\r")
    else:
        data = data[:pos] + b"\x00" + data[pos:]
    path.write_bytes(data)
    return f"{rel}: bytes {kind} at {pos}"


def m_size(s: Scratch, ch: Chooser, rel: str) -> str:
    path = s.root / rel
    lines = _lines(path.read_bytes())
    i = ch.integer(0, max(len(lines) - 1, 0))
    times = pick(ch, [100, 2000, 20000])
    line = lines[i] if lines and ch.integer(0, 1) else pick(ch, ["## Same", "[x](gone.md)"])
    lines[i:i] = [line] * times
    path.write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    return f"{rel}:{i + 1}: line repeated {times} times"


def m_file(s: Scratch, ch: Chooser, rel: str) -> str:
    kind = pick(ch, ["delete", "empty", "unknown", "copy", "only-front"])
    path = s.root / rel
    if kind == "delete":
        path.unlink()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "unknown":
        (path.parent / "extra.yml").write_text(pick(ch, ["a: 1", "- x", "[", ""]), "utf-8")
    elif kind == "copy":
        path.with_name("copy-" + path.name).write_bytes(path.read_bytes())
    else:
        path.write_text("---\nkind: page\n---\n", "utf-8")
    return f"{rel}: file {kind}"


MUTATIONS: list[Callable[[Scratch, Chooser, str], str]] = [
    m_value,
    m_value,
    m_value,
    m_key,
    m_line,
    m_line,
    m_bytes,
    m_size,
    m_file,
]


def mutate(s: Scratch, ch: Chooser, rounds: int = 1) -> list[str]:
    done = []
    for _ in range(rounds):
        files = [f for f in s.files() if (s.root / f).is_file()]
        if not files:
            break
        rel = CONFIG if ch.integer(0, 7) == 0 else pick(ch, files)
        mutation = pick(ch, MUTATIONS)
        if rel == CONFIG and mutation in (m_file, m_size):
            mutation = m_value
        done.append(mutation(s, ch, rel))
    return done


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(slots=True)
class Outcome:
    status: int
    seconds: float
    problems: list[str]
    """Breaches of the contract; empty when the run kept it."""


def run_check(root: Path, limit: float = 10.0, render: bool = True) -> Outcome:
    """`finops-kb check --format json` in this process, then page generation from its result."""
    from generator import cli

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    problems: list[str] = []
    status = -1
    try:
        with time_limit(limit), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["-f", str(root / CONFIG), "check", "--format", "json"])
            if render:
                render_pages(root)
    except Hang as exc:
        problems.append(str(exc))
    except BaseException as exc:  # noqa: BLE001 - any escape is the finding
        problems.append(f"{type(exc).__name__}: {exc}"[:300])
        import traceback

        problems.append(traceback.format_exc()[-1500:])
    seconds = time.perf_counter() - start
    if status not in (0, 1, 2) and not problems:
        problems.append(f"exit status {status}")
    if "Traceback" in out.getvalue() + err.getvalue():
        problems.append("a traceback was printed")
    if status in (0, 1):
        problems += _line_problems(root, out.getvalue())
    return Outcome(status, seconds, problems)


def _line_problems(root: Path, text: str) -> list[str]:
    try:
        report = json.loads(text)
    except ValueError:
        return [f"--format json printed no JSON: {text[:200]!r}"]
    bad = []
    for d in report["diagnostics"]:
        if d["line"] < 1 and _has_lines(root / d["path"]):
            bad.append(f"{d['path']}:{d['line']}: {d['code']} has no line")
    return bad


def _has_lines(path: Path) -> bool:
    return path.is_file() and not path.is_symlink() and path.stat().st_size > 0


def render_pages(root: Path) -> None:
    """Generate every page from what check accepted, as the plugin would before MkDocs runs."""
    from generator.core import graph
    from generator.core.check import check
    from generator.core.config import ConfigError, load_config
    from generator.render import framework_pages as pages
    from generator.render import generated_pages as views
    from generator.render.context import render_context

    try:
        config = load_config(root / CONFIG)
    except ConfigError:
        return
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    site = render_context(g)
    views.generate(site, config)
    for doc in result.repo.documents:
        if doc.path in g.docs_path and doc.path.startswith(config.content_dir + "/"):
            pages.render(site, doc)
