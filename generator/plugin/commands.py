"""`finops-kb build` and `serve`: MkDocs into a guarded output folder, swapped in atomically."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from ..core import outputs, publish
from ..core.config import ConfigError

# A child of MkDocs' logger, so our messages look like, and go where, MkDocs' own do.
log = logging.getLogger("mkdocs.finops-kb")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors = self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings += 1


def build(
    config_file: Path, strict: bool = False, site_dir: str | None = None, packs: bool = True
) -> int:
    """Build into a temporary folder beside the target and swap it in only on success.

    A failed or interrupted build leaves the previous site exactly as it was. Builds into the
    same folder take turns: a second one waits for the first (see `publish.locked`).
    """
    from mkdocs import exceptions
    from mkdocs.config import load_config as mkdocs_config

    if not config_file.is_file():
        raise ConfigError(f"config file not found: {config_file}")
    _quiet_mkdocs()
    try:
        cfg = mkdocs_config(str(config_file), strict=strict)
    except exceptions.ConfigurationError as exc:
        raise ConfigError(str(exc)) from exc
    target, setting, where = _target(cfg, config_file, site_dir)
    with publish.locked(target, lambda pid: _waiting(target, pid)):
        publish.tidy(target)
        outputs.guard(target, setting, where)  # again: the folder may have changed meanwhile
        return _build_into(cfg, publish.new_folder(target), target, strict, packs)


def _target(cfg: Any, config_file: Path, site_dir: str | None) -> tuple[Path, str, outputs.Rules]:
    """The output folder, how messages name it, and the rules it must follow."""
    plugin = cfg.plugins.get("finops-kb")
    core = getattr(plugin, "core", None)
    where = outputs.rules(
        config_file.parent.resolve(),
        getattr(core, "content_dir", "content"),
        getattr(core, "playbooks_dir", "playbooks"),
        cfg.docs_dir,
        cfg.theme.custom_dir,
    )
    if site_dir:
        setting = f"`--site-dir {site_dir}`"
        target = Path(site_dir)
    else:
        target = Path(cfg.site_dir)
        setting = outputs.config_setting(config_file, "site_dir", target)
    return outputs.guard(target, setting, where), setting, where


def _waiting(target: Path, pid: int | None) -> None:
    log.info(f"finops-kb: waiting for another build writing {target}/ (pid {pid or '?'})")


def _build_into(cfg: Any, tmp: Path, target: Path, strict: bool, packs: bool) -> int:
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build

    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    cfg.site_dir = str(tmp)
    plugin = cfg.plugins.get("finops-kb")
    if plugin is not None:
        plugin.core.packs_enabled = plugin.core.packs_enabled and packs
    ok, failure = False, ""
    try:
        cfg.plugins.on_startup(command="build", dirty=False)
        mkdocs_build.build(cfg)
        ok = counter.errors == 0 and not (strict and counter.warnings)
    except (exceptions.MkDocsException, exceptions.Abort) as exc:
        failure = str(exc)
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
        if not ok:
            publish.discard(tmp)
    if not ok:
        log.error(
            f"build failed ({failure or f'{counter.errors} errors'}); {target} was left as it was"
        )
        return 1
    try:
        publish.swap(tmp, target)
    except ConfigError:
        publish.discard(tmp)
        raise
    log.info(f"finops-kb: built {target}")
    return 0


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (pytest swaps it between tests)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _quiet_mkdocs() -> None:
    """Show MkDocs' messages the way `mkdocs build` does."""
    root = logging.getLogger("mkdocs")
    if not any(getattr(h, "_finops", False) for h in root.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._finops = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False


def serve(config_file: Path, dev_addr: str) -> int:
    from mkdocs.commands import serve as mkdocs_serve

    if not config_file.is_file():
        raise ConfigError(f"config file not found: {config_file}")
    _quiet_mkdocs()
    logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
    # "dirty": MkDocs renders only the pages the plugin marks as changed (see incremental.py).
    mkdocs_serve.serve(str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    return 0


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build that pages may be stale; the plugin sees to it that
    they are not, so the warning would only teach editors to ignore warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()
