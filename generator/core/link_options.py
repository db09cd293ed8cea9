"""Settings of the external link check: one set of bounds for the plugin option
`external_links:` and for `finops-kb links --external`, so both refuse the same bad values."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import PurePosixPath
from typing import Any

DEFAULT_CACHE_DIR = ".cache/finops-kb"


@dataclass(frozen=True, slots=True)
class LinkOptions:
    enabled: bool = False
    """Whether `build` checks external links (never `serve`; the CLI command always does)."""
    cache_dir: str = DEFAULT_CACHE_DIR
    """Folder of `links.json`, relative to the folder of the config."""
    ttl_hours: float = 24.0
    """How long a working link is not asked again."""
    broken_ttl_hours: float = 1.0
    """How long a broken or unknown result is kept: short, so a fix on either side shows soon."""
    concurrency: int = 8
    """Requests in flight at once, all hosts together."""
    per_host_interval: float = 1.0
    """Seconds between the starts of two requests to the same host."""
    timeout: float = 10.0
    """Seconds to connect, and to wait for each answer."""
    retries: int = 2
    """Extra attempts after a timeout, connection error, 5xx or 429."""
    max_retry_after: float = 60.0
    """Longest `Retry-After` honoured; a site that asks for more is reported as unknown."""
    backoff: float = 1.0
    """First wait before a retry, doubled on each further retry."""
    exclude: tuple[str, ...] = ()
    """URL prefixes that are never requested."""


class OptionError(ValueError):
    """A bad value. `key` names the option and the message follows its name:
    `{name} must be a number`, where name is `external_links.ttl_hours` or `--ttl`."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# Bounds: (type, lowest, highest). Beyond them a value is a typo, not a wish: 10,000 parallel
# requests or a ten-hour timeout would hurt the sites we visit or hang CI.
_NUMBERS: dict[str, tuple[type, float, float]] = {
    "ttl_hours": (float, 0, 24 * 366),
    "broken_ttl_hours": (float, 0, 24 * 366),
    "concurrency": (int, 1, 64),
    "per_host_interval": (float, 0, 60),
    "timeout": (float, 0.1, 300),
    "retries": (int, 0, 10),
    "max_retry_after": (float, 0, 3600),
    "backoff": (float, 0, 60),
}
NAMES = tuple(f.name for f in fields(LinkOptions))


def number(key: str, value: Any) -> Any:
    """`value` as the option's number type within its bounds (text is parsed, for the CLI)."""
    kind, low, high = _NUMBERS[key]
    what = "a whole number" if kind is int else "a number"
    if isinstance(value, str):
        try:
            value = kind(value.strip())
        except ValueError:
            raise OptionError(key, f"must be {what}, not `{value}`") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OptionError(key, f"must be {what}")
    if kind is int and not isinstance(value, int):
        raise OptionError(key, f"must be {what}, not {value}")
    if not math.isfinite(value) or not low <= value <= high:
        raise OptionError(key, f"must be between {low:g} and {high:g}, not {value}")
    return kind(value)


def parse(value: Any, sources: list[str], base: LinkOptions | None = None) -> LinkOptions:
    """Options from the plugin's `external_links:` mapping; raises OptionError.

    `sources` are the content folders, where the cache must never be written."""
    options = base or LinkOptions()
    if value is None:
        return options
    if not isinstance(value, dict):
        raise OptionError("", "must be a mapping, e.g. `{enabled: true}`")
    changes: dict[str, Any] = {}
    for key, item in value.items():
        key = str(key)
        if key in _NUMBERS:
            changes[key] = number(key, item)
        elif key == "enabled":
            if not isinstance(item, bool):
                raise OptionError(key, "must be true or false")
            changes[key] = item
        elif key == "cache_dir":
            changes[key] = cache_dir(item, sources)
        elif key == "exclude":
            changes[key] = _prefixes(item)
        else:
            raise OptionError(key, f"is not an option (options: {', '.join(NAMES)})")
    return replace(options, **changes)


def cache_dir(value: Any, sources: list[str]) -> str:
    """A folder inside the repository and outside its content folders."""
    if not isinstance(value, str) or not value.strip():
        raise OptionError("cache_dir", "must be a folder name")
    path = PurePosixPath(value.strip().replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in value:
        raise OptionError("cache_dir", "must be a folder inside the repository, without `..`")
    for source in sources:
        if path.parts[: len(PurePosixPath(source).parts)] == PurePosixPath(source).parts:
            raise OptionError("cache_dir", f"must not be inside the content folder `{source}`")
    return path.as_posix()


def _prefixes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise OptionError("exclude", "must be a list of URL prefixes")
    return tuple(value)


def overrides(options: LinkOptions, values: dict[str, str | None]) -> LinkOptions:
    """`options` with the numbers given on the command line (None: not given)."""
    return replace(options, **{k: number(k, v) for k, v in values.items() if v is not None})
