"""The version a pack's cover shows: what a reader can quote back, not Git's internals."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

UNVERSIONED = "unversioned"
_TAG = re.compile(r"^[^\x00-\x1f\x7f]{1,80}$")
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2} [0-9a-f]{7,12}$")


def _git(root: Path, *args: str) -> str:
    """Git's answer, or "" when Git is missing, fails or `root` is not in a repository."""
    try:
        out = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def version(root: Path) -> str:
    """The tag on HEAD ("v2.3"), else the commit's date and short revision
    ("2026-11-30 · a1b2c3d"), else "unversioned" (no Git, no repository, no commit yet).

    Uncommitted changes are not shown: the cover's "As of" date already says when it was made.
    """
    tag = _git(root, "describe", "--tags", "--exact-match", "HEAD")
    if tag and _TAG.match(tag):
        return tag
    dated = _git(root, "log", "-1", "--format=%cd %h", "--date=short", "--abbrev=7")
    if _DATED.match(dated):
        date, rev = dated.split()
        return f"{date} · {rev}"
    return UNVERSIONED
