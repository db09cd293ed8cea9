"""Helpers the test modules share: copies of the minimal knowledge base and edits of it."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

# The generator's names that the tests below reach. Every import of generator code for the
# rule cases, the golden files and the kill test is here, so a rename inside generator/ is
# adapted in this one block (and in the child script of `build_killed_before_swap`).
from generator.core import graph, publish
from generator.core.check import check
from generator.core.codes import CODES as CODES  # re-exported
from generator.core.config import Config, load_config
from generator.core.diagnostics import Diagnostic as Diagnostic  # re-exported
from generator.plugin.commands import build
from generator.render import generated_pages, nav
from generator.render.context import render_context

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent


def copy_base(dest: Path) -> Path:
    """A copy of the minimal valid knowledge base (tests/cases/base) with its own theme folder."""
    shutil.copytree(CASES / "base", dest)
    shutil.copytree(ROOT / "theme", dest / "theme")
    cfg = dest / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("../../../theme", "theme"))
    return dest


def apply_case(root: Path, case: dict[str, Any]) -> None:
    """The edits of a data-driven case: whole `files`, `raw` bytes, `replace` pairs, then
    `sizes` (pad a file to N bytes), `renames` (old: new), `removes` (paths), and the file system
    tricks `symlinks` (path: target, written as given) and `fifos` (named pipes)."""
    for rel, text in (case.get("files") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    for rel, text in (case.get("raw") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text.encode(case.get("encoding", "utf-8")))
    for rel, pairs in (case.get("replace") or {}).items():
        text = (root / rel).read_text("utf-8")
        for old, new in pairs:
            assert old in text, f"case replaces text missing from {rel}: {old!r}"
            text = text.replace(old, new, 1)
        (root / rel).write_text(text, "utf-8")
    for rel, size in (case.get("sizes") or {}).items():
        _pad(root / rel, size)
    for rel, new_rel in (case.get("renames") or {}).items():
        (root / rel).rename(root / new_rel)
    for rel in case.get("removes") or []:
        (root / rel).unlink()
    for rel, target in (case.get("symlinks") or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    for rel in case.get("fifos") or []:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)


_FILLER = ("Filler text of a long page. " * 3 + "\n").encode()


def _pad(path: Path, size: int) -> None:
    """Make `path` exactly `size` bytes: its text (if any), then lines of filler."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = path.read_bytes() if path.exists() else b""
    assert len(head) <= size, f"{path} is already longer than {size} bytes"
    rest = size - len(head)
    body = _FILLER * (rest // len(_FILLER) + 1)
    path.write_bytes(head + body[:rest])


def one_error_line(err: str) -> str:
    """The one `finops-kb: error: …` line a usage or configuration error prints."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("finops-kb: error: "), err
    assert "Traceback" not in err
    return lines[0]


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, to assert that nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- data-driven rule cases (tests/cases/rules) ---------------------------------------------

TODAY = dt.date(2026, 7, 1)
"""The clock of every case that sets no `today`: review dates in the base tree are current."""


def case_config(root: Path, case: dict[str, Any]) -> Config:
    """The check configuration of a case: the plugin options of its site_config.yml (packs,
    severities) with `config: true`, else the defaults; `today` and `severity` on top."""
    config = load_config(root / "site_config.yml") if case.get("config") else Config(root)
    config.today = case.get("today", TODAY)
    config.severity = {**config.severity, **(case.get("severity") or {})}
    return config


def case_diagnostics(root: Path, case: dict[str, Any]) -> list[Diagnostic]:
    """What `check` reports for the edited tree; with `build: true` also what only the MkDocs
    build reports (the built-site link check), each place once."""
    found = list(check(case_config(root, case)).diagnostics)
    if case.get("build"):
        seen = {(d.path, d.line, d.code) for d in found}
        found += [d for d in build_diagnostics(root) if (d.path, d.line, d.code) not in seen]
    return found


# One logged diagnostic, as Diagnostic.format writes it (after MkDocs' plugin-name prefix).
_LOGGED = re.compile(
    r"(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>[a-z0-9-]+) (?P<message>[^\n]*)(?:\n    hint: (?P<hint>[^\n]*))?"
)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_records() -> Iterator[list[str]]:
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def build_diagnostics(root: Path) -> list[Diagnostic]:
    """Build the site with MkDocs (no packs) and return the diagnostics the build logged."""
    with _mkdocs_records() as messages:
        build(root / "site_config.yml", packs=False)
    found = []
    for text in messages:
        for m in _LOGGED.finditer(text):
            found.append(
                Diagnostic(
                    m["path"],
                    int(m["line"]),
                    m["code"],
                    m["message"],
                    m["hint"] or "",
                    m["severity"],
                    int(m["column"]),
                )
            )
    return found


# --- golden files of rendered output (tests/golden) -----------------------------------------

GOLDEN_PAGES = ("organization/raci.md", "organization/roles/lead.md", "about/review-status.md")


def rendered_for_golden(root: Path) -> dict[str, str]:
    """The navigation and some generated pages of the tree at `root`, rendered by the pure
    render functions (no MkDocs): golden-file name -> text."""
    config = load_config(root / "site_config.yml")
    config.today = TODAY
    g = graph.build(check(config).repo, config.content_dir, config.playbooks_dir)
    ctx = render_context(g)
    generated = generated_pages.generate(ctx, config)
    menu = nav.build(g, ctx.org_name, list(generated), bool(config.packs))
    out = {"nav.yml": yaml.safe_dump(menu, sort_keys=False, allow_unicode=True, width=100)}
    for path in GOLDEN_PAGES:
        page = generated[path]
        out[path] = _page_text(page.markdown, page.parts.html if page.parts else [])
    return out


def _page_text(markdown: str, parts: list[str]) -> str:
    """The page's Markdown, then the HTML that each of its part placeholders stands for."""
    text = markdown.rstrip("\n") + "\n"
    for i, html in enumerate(parts):
        text += f"\n<!-- golden: HTML of finops-kb part {i} -->\n{html.rstrip()}\n"
    return text


# --- builds killed at a chosen point (see test_site.py) -------------------------------------

_KILL_BEFORE_SWAP = """
import os, signal, sys
from generator import cli
from generator.core import publish
# Called as the swap starts, once MkDocs has written every page into the build folder.
publish.exchange = lambda new, target: os.kill(os.getpid(), signal.SIGKILL)
sys.exit(cli.main(["-f", "site_config.yml", "build", "--no-packs"]))
"""


def build_killed_before_swap(root: Path) -> subprocess.CompletedProcess[str]:
    """Run `finops-kb build` in a child that SIGKILLs itself after the new site is written
    into its build folder and before that folder takes the place of the site."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _KILL_BEFORE_SWAP],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def build_folders(site: Path) -> list[Path]:
    """Folders that builds of `site` write into before the swap (left by a killed build)."""
    return publish.building(site)
