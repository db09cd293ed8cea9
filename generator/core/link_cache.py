"""The disk cache of external link results: one JSON file, each result with the time it was
checked, fresh for a time to live that depends on the result.

A working link is trusted for `ttl_hours`; a broken or unknown one only for `broken_ttl_hours`,
so a link the editor fixed, or a site that was down, is asked again soon. The time to live is
applied when reading, so changing it applies to results already stored. A cache that cannot be
read (deleted, truncated, written by another version) is ignored: it only ever saves requests.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "links.json"
VERSION = 1
STATUSES = ("ok", "broken", "unknown")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one URL answered."""

    status: str
    """`ok`, `broken` or `unknown` (the site would not say: rate limit, bot wall, timeout)."""
    detail: str = ""
    """What happened, for the message: `HTTP 404 Not Found`, `timed out after 10 s`."""
    moved_to: str = ""
    """Where a permanent redirect (301, 308) finally led, if the URL has moved."""
    unreached: bool = False
    """No server answered (refused, host not found, timeout): on a machine that is offline,
    every link looks like this."""


class LinkCache:
    """Results by URL; safe to use from the checker's threads."""

    def __init__(
        self,
        path: Path | None,
        ttl_hours: float,
        broken_ttl_hours: float,
        clock: Callable[[], float],
    ) -> None:
        self.path = path
        self.ttl = {"ok": ttl_hours * 3600, "broken": broken_ttl_hours * 3600}
        self.ttl["unknown"] = self.ttl["broken"]
        self.clock = clock
        self.entries: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self.problem = ""
        """Why the file could not be read or written, for a note; empty if all went well."""
        self._lock = threading.Lock()

    def load(self) -> LinkCache:
        if self.path is None or not self.path.exists():
            return self
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.problem = f"ignored the link cache {self.path}: {_reason(exc)}"
            return self
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, dict) or data.get("version") != VERSION:
            self.problem = f"ignored the link cache {self.path}: not a finops-kb link cache"
            return self
        self.entries = {url: e for url, e in results.items() if _valid(e)}
        return self

    def get(self, url: str) -> Outcome | None:
        """The stored outcome of `url` if it is still fresh."""
        with self._lock:
            entry = self.entries.get(url)
            if entry is None:
                return None
            age = self.clock() - float(entry["checked_at"])
            if not 0 <= age < self.ttl[entry["status"]]:
                return None
            self.hits += 1
        return Outcome(
            entry["status"],
            entry.get("detail", ""),
            entry.get("moved_to", ""),
            entry.get("unreached", False),
        )

    def put(self, url: str, outcome: Outcome) -> None:
        with self._lock:
            self.entries[url] = {**asdict(outcome), "checked_at": self.clock()}

    def save(self) -> None:
        """Write the file atomically (a reader never sees half of it); a failure is a note."""
        if self.path is None:
            return
        now = self.clock()
        keep = {  # stale entries would only grow the file
            url: e for url, e in self.entries.items() if now - e["checked_at"] < self.ttl["ok"]
        }
        text = json.dumps({"version": VERSION, "results": keep}, indent=1, sort_keys=True)
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".links-", suffix=".json", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            self.problem = f"could not write the link cache {self.path}: {_reason(exc)}"
            if tmp:
                Path(tmp).unlink(missing_ok=True)


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("status") in STATUSES
        and isinstance(entry.get("checked_at"), int | float)
        and isinstance(entry.get("detail", ""), str)
        and isinstance(entry.get("moved_to", ""), str)
        and isinstance(entry.get("unreached", False), bool)
    )


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "strerror", None) or exc)
