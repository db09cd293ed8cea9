"""One build at a time into an output folder, and the swap that puts a finished build in place:
the folder exists at every moment, and an interrupted build leaves the previous one as it was.
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
from pathlib import Path

from .config import ConfigError
from .outputs import io_errors, mark, marked

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
    with io_errors(f"tidy up beside {target}"):
        if not target.exists() and not target.is_symlink():
            saved = [p for p in backups(target) if marked(p)]
            if saved:
                os.rename(max(saved, key=lambda p: p.stat().st_mtime), target)
        for leftover in building(target) + backups(target):
            if marked(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
            elif not any(leftover.iterdir()):
                leftover.rmdir()


def new_folder(target: Path) -> Path:
    """A marked, empty folder beside `target` to build into, readable like a normal folder."""
    with io_errors(f"create a folder beside {target}"):
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
    with io_errors(f"put the new site in place at {target}"):
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
