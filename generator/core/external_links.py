"""The external link check: every http(s) URL of the content, asked once however often it is
written, with the answer reported at each place it is written (file:line).

Only this module (through link_probe.py) talks to the network, and only when asked: by
`finops-kb links --external`, or by a build whose `external_links: {enabled: true}` says so.
The live preview never checks: every save would send requests.

Severities (see codes.py): a broken link is a warning by default, since a site that is down
for an hour must not fail a team's CI; `severity: {external-link-broken: error}` makes it fail.
"Unknown" (rate limits, bot walls, logins, timeouts) is a warning too, and
`external-link-moved` (a permanent redirect) is off unless switched on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .check import Result
from .codes import DEFAULTS
from .config import Config
from .diagnostics import Diagnostic, Problems, apply_severities
from .link_cache import FILE_NAME, LinkCache, Outcome
from .link_options import LinkOptions
from .link_probe import HostGate, Prober, request_url
from .model import Repository
from .rules.url_schemes import _data_urls as data_urls

# Hosts reserved for examples and tests (RFC 2606, RFC 6761): never real sites, so a link to
# them is a placeholder, not a broken link, and asking DNS about them is pointless.
RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".localhost")
RESERVED_HOSTS = ("example.com", "example.net", "example.org")
INTERNAL_CODES = ("broken-link", "broken-anchor", "unsafe-url")
"""What `check` finds about links without the network; `finops-kb links` reports them too."""
OFFLINE = "; no site answered at all (offline?)"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    line: int
    field: str
    """`link`, `sources[0].url`, `repository_url`: what the message calls the URL."""
    url: str
    """As written."""


@dataclass(slots=True)
class Report:
    diagnostics: list[Diagnostic]
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """By request URL."""
    requests: int = 0
    cached: int = 0
    note: str = ""
    """A problem with the cache file, worth a line on stderr."""
    seconds: float = 0.0

    def summary(self) -> str:
        counts = {s: sum(o.status == s for o in self.outcomes.values()) for s in _STATUSES}
        states = ", ".join(f"{n} {s}" for s, n in counts.items())
        asked = f"{self.requests} request{'s' * (self.requests != 1)}"
        return (
            f"{len(self.outcomes)} external URLs: {states} "
            f"({self.cached} from the cache, {asked}, {self.seconds:.1f} s)"
        )


_STATUSES = ("ok", "broken", "unknown")


@dataclass(slots=True)
class Clocks:
    """Time, injectable: tests move the wall clock (cache age) instead of sleeping."""

    wall: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def external_places(repo: Repository, options: LinkOptions) -> dict[str, list[Place]]:
    """Places of every http(s) URL to check, by the URL that is requested (no `#fragment`)."""
    places: dict[str, list[Place]] = {}
    for path, line, what, url in data_urls(repo):
        text = url.strip()
        if not text.lower().startswith(("http://", "https://")) or _skipped(text, options):
            continue
        places.setdefault(request_url(text), []).append(Place(path, line, what, text))
    return places


def _skipped(url: str, options: LinkOptions) -> bool:
    if url.startswith(options.exclude):
        return True
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False  # reported as "not a valid URL"
    reserved = any(host == h or host.endswith("." + h) for h in RESERVED_HOSTS)
    return reserved or host.endswith(RESERVED_SUFFIXES)


def cache_file(config: Config, options: LinkOptions, folder: str | None = None) -> Path:
    """The cache: in `folder` if given (a command-line path), else in the configured folder
    beside the config."""
    return (Path(folder) if folder else config.root / options.cache_dir) / FILE_NAME


def check_external(
    repo: Repository,
    options: LinkOptions,
    cache_path: Path | None,
    severity: dict[str, str],
    clocks: Clocks | None = None,
) -> Report:
    """Check every external URL of `repo`; `cache_path` None checks without a cache."""
    clocks = clocks or Clocks()
    start = clocks.monotonic()
    places = external_places(repo, options)
    cache = LinkCache(cache_path, options.ttl_hours, options.broken_ttl_hours, clocks.wall)
    cache.load()
    outcomes = {url: hit for url in places if (hit := cache.get(url)) is not None}
    todo = [url for url in places if url not in outcomes]
    gate = HostGate(options.per_host_interval, clocks.monotonic, clocks.sleep)
    prober = Prober(options, gate, clocks.sleep, clocks.wall)
    fresh = _ask(prober, todo, options.concurrency)
    offline = bool(fresh) and all(o.unreached for o in fresh.values())
    if offline:  # not cached: the next run, online, asks again
        fresh = {
            url: replace(o, status="unknown", detail=o.detail + OFFLINE) for url, o in fresh.items()
        }
    elif fresh:
        for url, outcome in fresh.items():
            cache.put(url, outcome)
        cache.save()
    outcomes.update(fresh)
    problems = Problems()
    for url, at in places.items():
        for place in at:
            _add(problems, place, outcomes[url])
    diagnostics = apply_severities(problems, DEFAULTS, severity)
    note = "no site answered: is this machine offline? Nothing was cached" if offline else ""
    return Report(
        diagnostics,
        outcomes,
        prober.requests,
        cache.hits,
        cache.problem or note,
        clocks.monotonic() - start,
    )


def _ask(prober: Prober, urls: list[str], concurrency: int) -> dict[str, Outcome]:
    if not urls:
        return {}
    # One thread per request in flight: `concurrency` bounds what all hosts see at once.
    with ThreadPoolExecutor(max_workers=min(concurrency, len(urls))) as pool:
        return dict(zip(urls, pool.map(prober.check, urls), strict=True))


def _add(problems: Problems, place: Place, outcome: Outcome) -> None:
    what = "link" if place.field == "link" else f"`{place.field}`"
    shown = place.url if len(place.url) <= 80 else place.url[:77] + "..."
    if outcome.status == "broken":
        problems.add(
            place.path,
            place.line,
            "external-link-broken",
            f"{what} `{shown}` is broken: {outcome.detail}",
            "fix the address or remove the link; if the site is only down, check again "
            "later (`finops-kb links --external`)",
        )
    elif outcome.status == "unknown":
        problems.add(
            place.path,
            place.line,
            "external-link-unknown",
            f"{what} `{shown}` could not be checked: {outcome.detail}",
            "open it in a browser; if it works, the site only limits automated checks (list "
            "its prefix in `external_links.exclude` to stop asking)",
        )
    elif outcome.moved_to:
        problems.add(
            place.path,
            place.line,
            "external-link-moved",
            f"{what} `{shown}` has moved permanently to `{outcome.moved_to}`",
            f"link to `{outcome.moved_to}` directly",
        )


def for_build(config: Config, result: Result, serving: bool) -> list[Diagnostic]:
    """What a build reports when `external_links: {enabled: true}`; nothing while serving."""
    options = config.external_links
    if serving or not options.enabled:
        return []
    report = check_external(result.repo, options, cache_file(config, options), config.severity)
    if report.note:  # the results stand; only the next build may ask again
        log.warning("finops-kb: %s", report.note)
    return report.diagnostics
