"""Output folders: which ones a build may replace, one build at a time, and how it replaces them.

A build deletes and replaces its output folder whole, so a wrong `--site-dir`, `site_dir` or
`pack --out` could take the sources or the whole checkout with it. Every writer asks `guard`
first. The folder is replaced only if it is empty or holds `MARKER`, which every folder we make
carries. Plain filesystem code with no MkDocs, so the CLI, the plugin and the tests share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
    with io_errors(f"read {resolved}"):
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
    return marked(folder) or (folder.is_dir() and not any(folder.iterdir()))


def marked(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def mark(folder: Path) -> None:
    """Create `folder` if needed and put our marker in it."""
    with io_errors(f"write {folder}"):
        folder.mkdir(parents=True, exist_ok=True)
        write_new(folder / MARKER, MARKER_TEXT.encode())


def make_room(folder: Path, names: list[str]) -> None:
    """Before writing `names` into an output folder that stays in place (the packs folder):
    a symbolic link there would send the write anywhere, so it is removed, not followed."""
    for name in names:
        path = folder / name
        if path.is_symlink():
            path.unlink()
        elif path.exists() and not path.is_file():
            raise ConfigError(f"{path} is in the way and is not a file; delete it")


def write_new(path: Path, data: bytes) -> None:
    """Write a file of ours without following a link that someone put in its place."""
    if path.is_symlink():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@contextmanager
def io_errors(what: str) -> Iterator[None]:
    """A file system error becomes one line saying what we were doing (exit 2, no traceback)."""
    try:
        yield
    except OSError as exc:
        raise ConfigError(f"cannot {what}: {exc.strerror or exc}") from exc
