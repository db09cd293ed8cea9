"""Which files a repository has and reading them: only regular files inside the repository,
never a FIFO, a device, a link that leaves it, or a file too large to be a page.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Larger files are reported, not read: no page or data file of a knowledge base comes near."""


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


def replace_text(path: Path, text: str) -> None:
    """Write `path` in one step (a temporary file beside it, then a rename), so an interrupted
    write leaves the old file as it was."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".finops-kb-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
