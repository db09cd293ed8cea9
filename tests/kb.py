"""Helpers the test modules share: copies of the minimal knowledge base and edits of it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

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
    """The edits of a data-driven case: whole `files`, `raw` bytes, `replace` pairs."""
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


def one_error_line(err: str) -> str:
    """The one `finops-kb: error: …` line a usage or configuration error prints."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("finops-kb: error: "), err
    assert "Traceback" not in err
    return lines[0]


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, to assert that nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
