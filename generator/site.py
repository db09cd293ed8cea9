"""`finops-kb build` and `serve`: MkDocs with an atomic swap of the output folder."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .config import ConfigError

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

    A failed or interrupted build leaves the previous site exactly as it was.
    """
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config

    if not config_file.is_file():
        raise ConfigError(f"config file not found: {config_file}")
    _quiet_mkdocs()
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        cfg = mkdocs_config(str(config_file), strict=strict)
    except exceptions.ConfigurationError as exc:
        raise ConfigError(str(exc)) from exc
    target = Path(site_dir) if site_dir else Path(cfg.site_dir)
    if site_dir:
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}-building-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; a served site must be readable
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
        if ok:
            _swap(tmp, target)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        log.error(
            f"build failed ({failure or f'{counter.errors} errors'}); {target} was left as it was"
        )
        return 1
    log.info(f"finops-kb: built {target}")
    return 0


def _swap(new: Path, target: Path) -> None:
    """Replace `target` with `new` using renames, so readers never see a half-written site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
