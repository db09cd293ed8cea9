"""Ids are slugs: the one pattern for every id that names a file, a folder or a page.

Ids are checked where they are read, before any path is built from them, so an id can never
climb out of the folder it is meant for (`../x`) or name a hidden file. The JSON Schemas
(`schemas/common.json`, `$defs/id` and `$defs/ref`) carry the same pattern; a test holds them equal.
"""

from __future__ import annotations

import re
from typing import Any

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
SLUG_HINT = "use lower-case letters, digits and single hyphens, e.g. `cost-allocation`"


def is_slug(value: Any) -> bool:
    """True for a non-empty lower-case kebab-case string such as `unit-economics`."""
    # fullmatch, not `$`: `$` also matches before a trailing newline.
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None


def is_slug_path(value: Any) -> bool:
    """True for slugs joined by `/` (`framework/glossary`): never `..`, never absolute."""
    return isinstance(value, str) and all(is_slug(part) for part in value.split("/"))
