"""Output folders: which ones a build may replace, one build at a time, and how it replaces them.

A build deletes and replaces its output folder whole, so a wrong `--site-dir`, `site_dir` or
`pack --out` could take the sources or the whole checkout with it. Every writer asks `guard`
first. The folder is replaced only if it is empty or holds `MARKER`, which every folder we make
carries. Plain filesystem code with no MkDocs, so the CLI, the plugin and the tests share it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import ConfigError

MARKER = ".finops-kb-output"
MARKER_TEXT = (
    "This folder was made by finops-kb, which deletes and rebuilds it on every run.\n"
    "Keep nothing of your own here.\n"
)
KEEP_APART = "an output folder is deleted and rebuilt on every run: give it a folder of its own"


@dataclass(frozen=True, slots=True)
class Protected:
    path: Path
    label: str
    """How messages name it, e.g. `the playbooks folder (playbooks_dir)`."""


@dataclass(frozen=True, slots=True)
class Rules:
    """What an output folder must keep clear of."""

    root: Path
    """The repository root (the folder of the MkDocs config)."""
    protected: tuple[Protected, ...]


def rules(
    root: Path,
    content_dir: str,
    playbooks_dir: str,
    docs_dir: str | None = None,
    custom_dir: str | None = None,
) -> Rules:
    """Rules for the repository at `root`; relative folders are taken from `root`."""
    named = [
        (content_dir, "the content folder (content_dir)"),
        (playbooks_dir, "the playbooks folder (playbooks_dir)"),
        (docs_dir, "the docs folder (docs_dir)"),
        (custom_dir, "the theme folder (theme.custom_dir)"),
        ("theme", "the theme folder"),
    ]
    seen: dict[Path, Protected] = {}
    for folder, label in named:
        if folder:
            path = (root / folder).resolve()
            seen.setdefault(path, Protected(path, label))
    return Rules(root.resolve(), tuple(seen.values()))


def mkdocs_value(config_file: Path, *keys: str) -> tuple[str | None, int | None]:
    """(value, line) of a scalar MkDocs setting such as `theme.custom_dir`, read without MkDocs.

    Nodes are composed, not constructed, so tags like `!ENV` cannot fail the read; a tagged
    value reads as None.
    """
    try:
        node = yaml.compose(config_file.read_text("utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None, None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None, None
        pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
        if not pairs:
            return None, None
        line, node = pairs[-1][0].start_mark.line + 1, pairs[-1][1]  # the last one wins in YAML
    if isinstance(node, yaml.ScalarNode) and node.tag.startswith("tag:yaml.org,2002:"):
        return str(node.value), line
    return None, line


def config_setting(config_file: Path, key: str, value: Path, default: str = "site") -> str:
    """How messages name the setting that chose folder `value`, e.g. `site_dir: playbooks`
    (site_config.yml:6); MkDocs also takes it from the command line (`mkdocs build -d`)."""
    raw, line = mkdocs_value(config_file, key)
    root = config_file.parent.resolve()
    shown = os.path.relpath(value, root)
    if raw is not None and (root / raw).resolve() == value.resolve():
        return f"`{key}: {raw}` ({config_file.name}:{line})"
    if raw is None and line is not None:
        return f"`{key}` ({config_file.name}:{line})"
    if line is None and shown == default:
        return f"`{key}` (not set, so `{default}`) of {config_file.name}"
    return f"`{key}` `{shown}` (given on the command line)"


def guard(target: Path, setting: str, where: Rules, example: str = "site") -> Path:
    """The resolved `target` if a build may replace it; ConfigError naming `setting` if not."""
    problem = path_problem(target, where)
    if problem:
        raise ConfigError(f"{setting}: {problem}; {KEEP_APART}, such as `{example}`")
    resolved = target.resolve()
    with _io(f"read {resolved}"):
        ours = is_ours(resolved)
    if not ours:
        raise ConfigError(
            f"{setting}: {resolved} has files but no {MARKER} file, so finops-kb did not make it "
            "and will not replace it; delete it yourself if it can go, or pick another folder"
        )
    return resolved


def path_problem(target: Path, where: Rules) -> str | None:
    """Why `target` can never be an output folder, or None."""
    if target.is_symlink():
        return f"{target} is a symbolic link (a build would replace the link, not its folder)"
    resolved = target.resolve()
    if resolved == where.root:
        return f"{resolved} is the repository root"
    if where.root.is_relative_to(resolved):
        return f"{resolved} contains the repository {where.root}"
    if ".git" in resolved.parts:
        return f"{resolved} is {'' if resolved.name == '.git' else 'inside '}.git"
    for p in where.protected:
        if resolved == p.path:
            return f"{resolved} is {p.label}"
        if resolved.is_relative_to(p.path):
            return f"{resolved} is inside {p.label}"
        if p.path.is_relative_to(resolved):
            return f"{resolved} contains {p.label}"
    if resolved.exists() and not resolved.is_dir():
        return f"{resolved} is a file, not a folder"
    return None


def is_ours(folder: Path) -> bool:
    """True for a missing or empty folder, or one that carries our marker."""
    if not folder.exists():
        return True
    return _marked(folder) or (folder.is_dir() and not any(folder.iterdir()))


def _marked(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def mark(folder: Path) -> None:
    """Create `folder` if needed and put our marker in it."""
    with _io(f"write {folder}"):
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(folder / MARKER, MARKER_TEXT.encode())


def make_room(folder: Path, names: list[str]) -> None:
    """Before writing `names` into an output folder that stays in place (the packs folder):
    a symbolic link there would send the write anywhere, so it is removed, not followed."""
    for name in names:
        path = folder / name
        if path.is_symlink():
            path.unlink()
        elif path.exists() and not path.is_file():
            raise ConfigError(f"{path} is in the way and is not a file; delete it")


def _write_new(path: Path, data: bytes) -> None:
    """Write a file of ours without following a link that someone put in its place."""
    if path.is_symlink():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@contextmanager
def _io(what: str) -> Iterator[None]:
    """A file system error becomes one line saying what we were doing (exit 2, no traceback)."""
    try:
        yield
    except OSError as exc:
        raise ConfigError(f"cannot {what}: {exc.strerror or exc}") from exc


# --- one build at a time -------------------------------------------------------------------


def lock_file(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def locked(target: Path, on_wait: Callable[[int | None], None]) -> Iterator[None]:
    """Hold the lock of `target` (a file beside it); if another build holds it, call
    `on_wait(its pid)` and wait for it. The kernel drops the lock when a build dies."""
    path = lock_file(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _acquire(path, on_wait)
    except OSError as exc:
        hint = "; delete it" if exc.errno == errno.ELOOP else ""
        raise ConfigError(f"cannot lock {path}: {exc.strerror or exc}{hint}") from exc
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        # Unlink while still holding the lock; a waiter that then gets the old file retries.
        path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path, on_wait: Callable[[int | None], None]) -> int:
    while True:
        # No O_TRUNC and no following links: the file may be someone else's until it is locked.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            _lock(fd, path, on_wait)
        except BaseException:
            os.close(fd)
            raise
        if _still_named(fd, path):
            return fd
        os.close(fd)  # the holder removed this file as it finished: lock the current one


def _lock(fd: int, path: Path, on_wait: Callable[[int | None], None]) -> None:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise ConfigError(f"{path} is not a lock file of ours; delete it")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        on_wait(_holder(fd))
        fcntl.flock(fd, fcntl.LOCK_EX)


def _holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _still_named(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


# --- the swap ------------------------------------------------------------------------------


def _nothing() -> None:
    return None


between_renames: Callable[[], None] = _nothing
"""Called between the two renames of the fallback swap; tests kill the build here."""


def building(target: Path) -> list[Path]:
    return _siblings(target, "building")


def backups(target: Path) -> list[Path]:
    return _siblings(target, "old")


def _siblings(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}-{kind}-"
    # The suffix (a pid or mkdtemp's letters) has no dash, so `.site-old-building-x`, which
    # belongs to a build into `site-old`, is not taken for a leftover of `site`.
    found = target.parent.glob(prefix + "*")
    return sorted(
        p for p in found if "-" not in p.name[len(prefix) :] and p.is_dir() and not p.is_symlink()
    )


def tidy(target: Path) -> None:
    """Undo what an interrupted build left: put the previous site back if a kill between the
    renames took it away, and remove the temporary folders we made. Call it under `locked`."""
    with _io(f"tidy up beside {target}"):
        if not target.exists() and not target.is_symlink():
            saved = [p for p in backups(target) if _marked(p)]
            if saved:
                os.rename(max(saved, key=lambda p: p.stat().st_mtime), target)
        for leftover in building(target) + backups(target):
            if _marked(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
            elif not any(leftover.iterdir()):
                leftover.rmdir()


def new_folder(target: Path) -> Path:
    """A marked, empty folder beside `target` to build into, readable like a normal folder."""
    with _io(f"create a folder beside {target}"):
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; a served site must be readable
    mark(tmp)
    return tmp


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target` so that `target` exists at every moment.

    Where the kernel can exchange two names in one step (Linux), it does; elsewhere the old
    site is renamed aside first, and `tidy` puts it back if the build dies before the second
    rename. On an error `target` is as it was and `new` is still there.
    """
    with _io(f"put the new site in place at {target}"):
        if not target.exists():
            os.rename(new, target)
        elif exchange(new, target):
            discard(new)  # `new` now names the previous site
        else:
            _two_renames(new, target)


def _two_renames(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    os.rename(target, old)
    between_renames()
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    discard(old)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically with Linux' renameat2; False where it is not available."""
    func = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if func is None:
        return False
    args = (_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if func(*args) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # file system or kernel without exchange: use the two renames
    raise OSError(code, os.strerror(code), str(b))


exchange: Callable[[Path, Path], bool] = _renameat2_exchange
"""Replaceable, so tests can run the two-rename path on Linux too."""
