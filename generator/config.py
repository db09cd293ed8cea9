"""Options of the finops-kb plugin, read from the MkDocs config without importing MkDocs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .load import parse_yaml

DEFAULT_CONFIG = "site_config.yml"
PLUGIN = "finops-kb"


class ConfigError(Exception):
    """A usage or configuration problem: the CLI exits with status 2."""


@dataclass(slots=True)
class Config:
    root: Path
    """The repository root (the folder of the MkDocs config)."""
    content_dir: str = "content"
    playbooks_dir: str = "playbooks"
    review_interval_days: int = 365
    severity: dict[str, str] = field(default_factory=dict)
    """Per-code severity overrides: `error`, `warning` or `off`."""
    packs: list[dict[str, Any]] = field(default_factory=list)
    pack_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    """Line in the config file of each pack key, for config-time errors."""
    packs_enabled: bool = True
    config_file: str = DEFAULT_CONFIG
    today: dt.date | None = None
    """The clock for review dates; None means the real date."""

    @property
    def dirs(self) -> list[str]:
        return [self.content_dir, self.playbooks_dir]

    def clock(self) -> dt.date:
        return self.today or dt.date.today()


OPTIONS = {
    "content_dir": str,
    "playbooks_dir": str,
    "review_interval_days": int,
    "severity": dict,
    "packs": list,
    "packs_enabled": bool,
}


class _TolerantLoader(yaml.SafeLoader):
    """Safe loader that reads MkDocs configs: `!!python/name:` and `!ENV` become plain values."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return getattr(node, "value", None) if isinstance(node, yaml.ScalarNode) else None


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)


def from_options(
    root: Path,
    options: dict[str, Any],
    config_file: str = DEFAULT_CONFIG,
    lines: dict[tuple[Any, ...], int] | None = None,
) -> Config:
    """Build a Config from the plugin's options; unknown or mistyped options raise ConfigError."""
    from .codes import CODES  # codes imports nothing heavy; kept local to avoid a cycle

    cfg = Config(root=root, config_file=config_file)
    for key, value in options.items():
        expected = OPTIONS.get(key)
        if expected is None:
            raise ConfigError(
                f"{config_file}: unknown {PLUGIN} option `{key}` (options: {', '.join(OPTIONS)})"
            )
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{config_file}: {PLUGIN} option `{key}` must be a "
                f"{expected.__name__}, not {type(value).__name__}"
            )
        setattr(cfg, key, value)
    for code, severity in cfg.severity.items():
        if code not in CODES:
            raise ConfigError(f"{config_file}: unknown diagnostic code `{code}` in `severity`")
        if severity not in ("error", "warning", "off"):
            raise ConfigError(f"{config_file}: severity of `{code}` must be error, warning or off")
    cfg.pack_lines = lines or {}
    return cfg


def load_config(path: Path) -> Config:
    """Read the finops-kb options from an MkDocs config file (default `site_config.yml`)."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    text = path.read_text("utf-8-sig")
    try:
        raw = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: expected a mapping of MkDocs settings")
    options: dict[str, Any] = {}
    index = None
    for i, entry in enumerate(raw.get("plugins") or []):
        if isinstance(entry, dict) and PLUGIN in entry:
            options, index = entry[PLUGIN] or {}, i
        elif entry == PLUGIN:
            index = i
    lines: dict[tuple[Any, ...], int] = {}
    if index is not None:
        _data, all_lines, _problems = parse_yaml_lines(text)
        prefix = ("plugins", index, PLUGIN)
        lines = {k[len(prefix) :]: v for k, v in all_lines.items() if k[: len(prefix)] == prefix}
    return from_options(path.parent.resolve(), options, path.name, lines)


def parse_yaml_lines(text: str) -> tuple[Any, dict[tuple[Any, ...], int], list[Any]]:
    """Key lines of a config that may hold MkDocs' python tags (they parse as plain nodes)."""
    stripped = "\n".join(
        line.split(" !!python/")[0] if "!!python/" in line else line for line in text.split("\n")
    )
    return parse_yaml(stripped, "", 1)
