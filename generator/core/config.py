"""Options of the finops-kb plugin, read from the MkDocs config without importing MkDocs."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .link_options import LinkOptions, OptionError
from .link_options import parse as parse_link_options
from .trust import report_url_problem
from .yaml_data import YAML_VALUE_ERRORS

KeyPath = tuple[Any, ...]
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
    pack_lines: dict[KeyPath, int] = field(default_factory=dict)
    """Config line of each key path inside the plugin's options (`("packs", 0, "id")`)."""
    packs_enabled: bool = True
    external_links: LinkOptions = field(default_factory=LinkOptions)
    """The external link check (generator/core/link_options.py); off in builds by default."""
    config_file: str = DEFAULT_CONFIG
    today: dt.date | None = None
    """The clock for review dates; None means the real date."""
    report_issue_url: str = ""
    """URL template of the "report a problem" link on every page ("": no link); core/trust.py."""

    @property
    def dirs(self) -> list[str]:
        return [self.content_dir, self.playbooks_dir]

    def clock(self) -> dt.date:
        return self.today or dt.date.today()


_KIND: dict[type, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "a mapping",
    list: "a list",
    type(None): "empty",
}
OPTIONS = {
    "content_dir": str,
    "playbooks_dir": str,
    "review_interval_days": int,
    "severity": dict,
    "packs": list,
    "packs_enabled": bool,
    "external_links": dict,
    "report_issue_url": str,
}


class _TolerantLoader(yaml.SafeLoader):
    """Safe loader that reads MkDocs configs: `!ENV` as MkDocs resolves it, other tags
    (`!!python/name:`, `!relative`) as their plain values."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return getattr(node, "value", None) if isinstance(node, yaml.ScalarNode) else None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, with the semantics of MkDocs' loader."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "`!ENV` takes a variable name or a list of names", node.start_mark
        )
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)


def from_options(
    root: Path,
    options: Any,
    config_file: str = DEFAULT_CONFIG,
    lines: dict[KeyPath, int] | None = None,
) -> Config:
    """Build a Config from the plugin's options; unknown or mistyped options raise ConfigError.

    `lines` maps key paths inside the plugin's options (`("packs", 0, "id")`) to config lines, so
    every message names the line it is about.
    """
    from .codes import CODES

    lines = lines or {}
    cfg = Config(root=root, config_file=config_file, pack_lines=lines)
    if not isinstance(options, dict):
        raise ConfigError(
            f"{where(cfg, ())}: the {PLUGIN} options must be a mapping of `option: value`"
        )
    for key, value in options.items():
        expected = OPTIONS.get(key)
        if expected is None:
            raise ConfigError(
                f"{where(cfg, (key,))}: unknown {PLUGIN} option `{key}` "
                f"(options: {', '.join(OPTIONS)})"
            )
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{where(cfg, (key,))}: {PLUGIN} option `{key}` must be {_KIND[expected]}, "
                f"not {_KIND.get(type(value), type(value).__name__)}"
            )
        setattr(cfg, key, value)
    for code, severity in cfg.severity.items():
        at = where(cfg, ("severity", code))
        if code not in CODES:
            raise ConfigError(f"{at}: unknown diagnostic code `{code}` in `severity`")
        if severity not in ("error", "warning", "off"):
            raise ConfigError(f"{at}: severity of `{code}` must be error, warning or off")
    problem = report_url_problem(cfg.report_issue_url) if cfg.report_issue_url else None
    if problem:
        at = where(cfg, ("report_issue_url",))
        raise ConfigError(f"{at}: {PLUGIN} option `report_issue_url` {problem}")
    try:
        cfg.external_links = parse_link_options(options.get("external_links"), cfg.dirs)
    except OptionError as exc:
        key = ("external_links", exc.key) if exc.key else ("external_links",)
        name = ".".join(key)
        raise ConfigError(f"{where(cfg, key)}: {PLUGIN} option `{name}` {exc}") from None
    return cfg


def config_line(config: Config, key: KeyPath) -> int:
    """Config line of an option key path, or of its nearest enclosing key (1 if unknown)."""
    for end in range(len(key), -1, -1):
        line = config.pack_lines.get(key[:end])
        if line:
            return line
    return 1


def where(config: Config, key: KeyPath) -> str:
    """`site_config.yml:LINE` for an option key path, for messages."""
    return f"{config.config_file}:{config_line(config, key)}"


def load_config(path: Path) -> Config:
    """Read the finops-kb options from an MkDocs config file (default `site_config.yml`).

    Every problem with the file itself (missing, unreadable, not UTF-8, not YAML, not a
    mapping, bad options) is a ConfigError naming the file and, where there is one, the line.
    """
    text = read_config_text(path)
    try:
        raw = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path.name}{line}: invalid YAML: {exc.problem or exc}") from None
    except YAML_VALUE_ERRORS as exc:
        raise ConfigError(f"{path.name}: invalid YAML value: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path.name}: YAML nested too deeply") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}:1: expected a mapping of MkDocs settings (`key: value`)")
    _refuse_alias_bombs(text, path.name)
    all_lines = key_lines(text)
    options, prefix = _plugin_entry(raw, path.name, all_lines)
    lines = _under(all_lines, prefix) if prefix is not None else {}
    return from_options(path.parent.resolve(), options, path.name, lines)


def read_config_text(path: Path) -> str:
    """The config file as text; a file that cannot be read or decoded is a ConfigError."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read forever
            raise ConfigError(f"{path} is not a regular file; give an MkDocs config file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path.name}:{line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def options_lines(path: Path) -> dict[KeyPath, int]:
    """Lines of the plugin's options in a config MkDocs has already read (empty if unknown)."""
    try:
        text = read_config_text(path)
        raw = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader subclass
        all_lines = key_lines(text)
        prefix = _plugin_entry(raw, path.name, all_lines)[1] if isinstance(raw, dict) else None
    except (ConfigError, RecursionError, *YAML_VALUE_ERRORS):
        return {}
    return _under(all_lines, prefix) if prefix is not None else {}


def _plugin_entry(
    raw: dict[str, Any], name: str, lines: dict[KeyPath, int]
) -> tuple[Any, KeyPath | None]:
    """The plugin's options and their key path; `plugins:` may be a list or a mapping."""
    plugins = raw.get("plugins")
    if isinstance(plugins, dict):
        if PLUGIN in plugins:
            return plugins[PLUGIN] or {}, ("plugins", PLUGIN)
        return {}, None
    if plugins is not None and not isinstance(plugins, list):
        line = lines.get(("plugins",), 1)
        raise ConfigError(f"{name}:{line}: `plugins` must be a list of plugins")
    options: Any = {}
    prefix: KeyPath | None = None
    for i, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and PLUGIN in entry:
            options, prefix = entry[PLUGIN] or {}, ("plugins", i, PLUGIN)
        elif entry == PLUGIN:
            options, prefix = {}, ("plugins", i)
    return options, prefix


def _under(lines: dict[KeyPath, int], prefix: KeyPath) -> dict[KeyPath, int]:
    n = len(prefix)
    return {k[n:]: v for k, v in lines.items() if k[:n] == prefix}


MAX_EXPANDED_VALUES = 100_000
"""Values a config may expand to through YAML aliases: MkDocs logs a `repr` of every setting
and would take forever over an alias bomb; a real config has a few hundred values."""


def _refuse_alias_bombs(text: str, name: str) -> None:
    """Refuse a config whose aliases expand beyond MAX_EXPANDED_VALUES (size counted per node
    once, so the count itself is linear)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return  # already reported by the loader
    finally:
        loader.dispose()
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            sizes[id(node)] = 1  # a recursive alias counts once
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                children = [v for pair in node.value for v in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            sizes[id(node)] = 1 + sum(size(child) for child in children)
        return sizes[id(node)]

    try:
        too_big = root is not None and size(root) > MAX_EXPANDED_VALUES
    except RecursionError:
        raise ConfigError(f"{name}: YAML nested too deeply") from None
    if too_big and isinstance(root, yaml.MappingNode):
        key, _value = max(root.value, key=lambda pair: size(pair[1]))
        raise ConfigError(
            f"{name}:{key.start_mark.line + 1}: YAML aliases expand to more than "
            f"{MAX_EXPANDED_VALUES:,} values; write the values out or use fewer aliases"
        )


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line of every key and list item, whatever tags (`!ENV`, `!!python/…`) the
    file uses: nodes are composed, never constructed. Each node is visited once, so aliases
    cost nothing however often they are repeated."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return {}
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {(): 1}
    seen: set[int] = set()
    stack: list[tuple[KeyPath, yaml.Node | None]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            items = [(path + (str(k.value),), k, v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            items = [(path + (i,), v, v) for i, v in enumerate(node.value)]
        else:
            continue
        for key, at, value in items:
            lines[key] = at.start_mark.line + 1
            stack.append((key, value))
    return lines
