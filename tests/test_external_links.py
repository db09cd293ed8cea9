"""The external link check against a local HTTP server on 127.0.0.1 (a thread, a random port):
each kind of answer is reported at its file:line with its code, the cache saves every request
of a second run until its time to live ends (a fake clock, no sleeping), and the concurrency
and per-host limits hold (timestamps taken by the server).

No test here touches the internet: `only_loopback` refuses any other connection, and the base
tree's https links are excluded by prefix."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from kb import one_error_line

from generator.cli import main
from generator.core import external_links as ext
from generator.core.check import check
from generator.core.config import ConfigError, load_config
from generator.core.link_cache import Outcome
from generator.core.link_options import LinkOptions
from generator.core.link_probe import USER_AGENT, HostGate, Prober, retry_after

SLOW = 1.5
"""Seconds the `/slow` route waits: beyond every timeout used here."""
FAST = LinkOptions(
    exclude=("https://",),  # the base tree's links to finops.org
    per_host_interval=0,
    timeout=0.5,
    retries=0,
    backoff=0,
    concurrency=8,
)


@dataclass
class Hit:
    method: str
    path: str
    start: float
    end: float = 0.0
    agent: str = ""


@dataclass
class State:
    hits: list[Hit] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    accepted: list[float] = field(default_factory=list)
    """When each connection was accepted: taken in the server's loop, before a handler
    thread is started, so the thread scheduling of a busy machine does not blur it."""
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


# path: (HEAD answer, GET answer), each (status, headers, seconds to wait first); `!` = first time
ROUTES: dict[str, Any] = {
    "/ok": (200, {}),
    "/moved": (301, {"Location": "/ok"}),
    "/found": (302, {"Location": "/ok"}),
    "/moved-to-missing": (308, {"Location": "/missing"}),
    "/loop": (301, {"Location": "/loop"}),
    "/missing": (404, {}),
    "/gone": (410, {}),
    "/limited": (429, {"Retry-After": "1"}),
    "/challenge": (403, {"cf-mitigated": "challenge", "Server": "cloudflare"}),
    "/login": (401, {}),
    "/server-error": (500, {}),
    "/robots-not-welcome": (999, {}),
}


class Handler(BaseHTTPRequestHandler):
    server: Any

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test asserts on `State`, not on a log."""

    def _answer(self) -> None:
        state: State = self.server.state
        path = self.path.split("?", 1)[0]
        hit = Hit(self.command, self.path, time.monotonic(), agent=self.headers["User-Agent"])
        with state.lock:
            state.hits.append(hit)
            state.seen[self.path] = state.seen.get(self.path, 0) + 1
            first = state.seen[self.path] == 1
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            status, headers = self._route(path, first)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        finally:
            hit.end = time.monotonic()
            with state.lock:
                state.in_flight -= 1

    def _route(self, path: str, first: bool) -> tuple[int, dict[str, str]]:
        if path == "/slow":
            time.sleep(SLOW)
            return 200, {}
        if path == "/busy":  # takes a while, to measure how many requests overlap (long enough
            time.sleep(0.4)  # that a loaded machine's thread scheduling does not hide it)
            return 200, {}
        if path == "/no-head":
            return (405, {}) if self.command == "HEAD" else (200, {})
        if path == "/flaky":
            return (503, {}) if first else (200, {})
        if path == "/limited-once":
            return (429, {"Retry-After": "1"}) if first else (200, {})
        return ROUTES.get(path, (404, {}))  # type: ignore[no-any-return]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops connections the checker opens at once

    def get_request(self) -> tuple[socket.socket, Any]:
        accepted = super().get_request()
        self.state.accepted.append(time.monotonic())  # type: ignore[attr-defined]
        return accepted

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out has closed its socket: writing to it fails, as it should."""


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection the checker opens must go to 127.0.0.1; proxies are not used."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    real = socket.create_connection

    def connect(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] == "127.0.0.1", f"a test tried to reach {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)


@pytest.fixture
def server() -> Iterator[tuple[str, State]]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.state = State()  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.state  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def refused() -> str:
    """A URL on a port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def silent() -> Iterator[str]:
    """A URL on a socket that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/silent"


def _page(repo: Path, urls: list[str]) -> dict[str, int]:
    """Append one link per URL to alpha.md; the line of each, by URL."""
    path = repo / "content" / "capabilities" / "alpha.md"
    text = path.read_text("utf-8").rstrip("\n") + "\n\n## Further reading\n\n"
    lines = {}
    for url in urls:
        lines[url] = text.count("\n") + 1
        text += f"- [{url}]({url})\n"
    path.write_text(text, "utf-8")
    return lines


def _run(
    repo: Path, options: LinkOptions = FAST, cache: Path | None = None, **kw: Any
) -> ext.Report:
    result = check(load_config(repo / "site_config.yml"))
    assert not result.errors, [d.format() for d in result.diagnostics]
    return ext.check_external(result.repo, options, cache, kw.pop("severity", {}), **kw)


def _where(report: ext.Report) -> set[str]:
    return {f"{d.path}:{d.line} {d.code}" for d in report.diagnostics}


# --- each answer, at its file:line ----------------------------------------------------------


def test_each_answer_is_reported_at_its_line_with_its_code(
    base_repo: Path, server: tuple[str, State], refused: str, silent: str
) -> None:
    url, state = server
    paths = ["/ok", "/moved", "/found", "/no-head", "/missing", "/gone", "/limited", "/slow"]
    paths += ["/challenge", "/login", "/loop", "/moved-to-missing", "/server-error"]
    paths += ["/robots-not-welcome"]
    links = [url + p for p in paths] + [refused, silent, url + "/ok#a-heading"]
    lines = _page(base_repo, links)
    alpha = "content/capabilities/alpha.md"
    org = base_repo / "playbooks" / "organization.yml"
    org.write_text(org.read_text().replace("https://git.example.org/kb", url + "/gone"))
    report = _run(base_repo)

    def at(p: str, code: str) -> str:
        return f"{alpha}:{lines[p if p.startswith('http') else url + p]} external-link-{code}"

    assert _where(report) == {
        at("/missing", "broken"),
        at("/gone", "broken"),
        at("/loop", "broken"),
        at("/moved-to-missing", "broken"),
        at("/server-error", "broken"),
        at(refused, "broken"),
        "playbooks/organization.yml:2 external-link-broken",
        at("/limited", "unknown"),
        at("/slow", "unknown"),
        at("/challenge", "unknown"),
        at("/login", "unknown"),
        at("/robots-not-welcome", "unknown"),
        at(silent, "unknown"),
    }
    messages = {d.line: d.message for d in report.diagnostics if d.path == alpha}
    assert "HTTP 404" in messages[lines[url + "/missing"]]
    assert "connection refused" in messages[lines[refused]]
    assert "no answer within 0.5 s" in messages[lines[url + "/slow"]]
    assert "no answer within 0.5 s" in messages[lines[silent]]
    assert "rate limited" in messages[lines[url + "/limited"]]
    assert "Cloudflare" in messages[lines[url + "/challenge"]]
    assert "redirected to" in messages[lines[url + "/moved-to-missing"]]
    hints = {d.code: d.hint for d in report.diagnostics}
    assert "fix the address or remove the link" in hints["external-link-broken"]
    assert "open it in a browser" in hints["external-link-unknown"]
    assert {d.severity for d in report.diagnostics} == {"warning"}
    # Once per URL (the fragment is not sent); HEAD, and GET only where HEAD was refused.
    assert state.seen["/ok"] == 3  # /ok, and the ends of /moved and /found
    assert [h.method for h in state.hits if h.path == "/no-head"] == ["HEAD", "GET"]
    assert [h.method for h in state.hits if h.path == "/missing"] == ["HEAD", "HEAD"]
    assert {h.agent for h in state.hits} == {USER_AGENT}


def test_permanent_redirects_are_reported_only_when_asked(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, _state = server
    lines = _page(base_repo, [url + "/moved", url + "/found"])
    assert not _run(base_repo).diagnostics  # off by default: readers still arrive
    report = _run(base_repo, severity={"external-link-moved": "warning"})
    [moved] = report.diagnostics
    assert (moved.line, moved.code) == (lines[url + "/moved"], "external-link-moved")
    assert f"`{url}/ok`" in moved.message and f"link to `{url}/ok`" in moved.hint


def test_sources_in_front_matter_are_checked_at_their_line(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, _state = server
    alpha = base_repo / "content" / "capabilities" / "alpha.md"
    old = "https://www.finops.org/framework/capabilities/alpha/"
    alpha.write_text(alpha.read_text().replace(old, url + "/missing"))
    [d] = _run(base_repo).diagnostics
    assert (d.path, d.line, d.code) == ("content/capabilities/alpha.md", 19, d.code)
    assert d.code == "external-link-broken" and "`sources[0].url`" in d.message


def test_working_links_report_nothing(base_repo: Path, server: tuple[str, State]) -> None:
    """The passing twin of every external-link code: answers that are fine, followed
    redirects that are temporary, and a server without HEAD."""
    url, state = server
    _page(base_repo, [url + p for p in ("/ok", "/found", "/no-head", "/ok#part")])
    report = _run(base_repo, severity={"external-link-moved": "warning"})
    assert report.diagnostics == [] and set(state.seen) == {"/ok", "/found", "/no-head"}
    assert {o.status for o in report.outcomes.values()} == {"ok"}


def test_when_no_site_answers_nothing_is_called_broken_or_cached(
    base_repo: Path, refused: str, silent: str, tmp_path: Path
) -> None:
    """Offline (or behind a firewall), every host looks unreachable: that says nothing
    about the links."""
    lines = _page(base_repo, [refused, refused + "other", silent])
    cache = tmp_path / "links.json"
    report = _run(base_repo, cache=cache)
    assert report.requests == 2  # a host that refused is not asked again
    assert {(d.line, d.code) for d in report.diagnostics} == {
        (line, "external-link-unknown") for line in lines.values()
    }
    assert all("offline?" in d.message for d in report.diagnostics)
    assert "is this machine offline?" in report.note and not cache.exists()


# --- the cache and its time to live ------------------------------------------------------------


def test_a_second_run_asks_the_cache_and_sends_no_request(
    base_repo: Path, server: tuple[str, State], tmp_path: Path
) -> None:
    url, state = server
    _page(base_repo, [url + "/ok", url + "/missing", url + "/limited"])
    cache = tmp_path / "cache" / "links.json"
    first = _run(base_repo, cache=cache)
    sent = len(state.hits)
    assert first.requests == sent == 3 and first.cached == 0
    second = _run(base_repo, cache=cache)
    assert len(state.hits) == sent, "the second run asked the server"
    assert second.requests == 0 and second.cached == 3
    assert second.diagnostics == first.diagnostics
    stored = json.loads(cache.read_text("utf-8"))
    assert stored["version"] == 1 and set(stored["results"]) == {
        url + "/ok",
        url + "/missing",
        url + "/limited",
    }


def test_results_expire_after_their_time_to_live(
    base_repo: Path, server: tuple[str, State], tmp_path: Path
) -> None:
    url, state = server
    _page(base_repo, [url + "/ok", url + "/missing"])
    cache, now = tmp_path / "links.json", [1_000_000.0]
    options = FAST
    clocks = ext.Clocks(wall=lambda: now[0])

    def asked() -> list[str]:
        before = len(state.hits)
        _run(base_repo, options, cache, clocks=clocks)
        return sorted({h.path for h in state.hits[before:]})

    assert asked() == ["/missing", "/ok"]
    now[0] += 0.5 * 3600
    assert asked() == []  # both fresh
    now[0] += 1 * 3600  # 1.5 h: the broken result (1 h) expired, the working one (24 h) not
    assert asked() == ["/missing"]
    now[0] += 24 * 3600
    assert asked() == ["/missing", "/ok"]


def test_an_unreadable_cache_is_ignored_with_a_note(
    base_repo: Path, server: tuple[str, State], tmp_path: Path
) -> None:
    url, _state = server
    _page(base_repo, [url + "/ok"])
    cache = tmp_path / "links.json"
    for text in ("{not json", "[]", '{"version": 99, "results": {}}'):
        cache.write_text(text)
        report = _run(base_repo, cache=cache)
        assert report.requests == 1 and "ignored the link cache" in report.note
    assert not _run(base_repo, cache=cache).note  # rewritten as a valid cache


# --- politeness ----------------------------------------------------------------------------


def test_concurrency_bounds_the_requests_in_flight(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, state = server
    _page(base_repo, [f"{url}/busy?{i}" for i in range(6)])
    report = _run(base_repo, replace(FAST, concurrency=2))
    assert report.requests == 6 and not report.diagnostics
    hits = [(h.method, h.path, round(h.start - state.hits[0].start, 3)) for h in state.hits]
    assert state.most_in_flight == 2, hits


def test_requests_to_one_host_keep_their_interval(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, state = server
    _page(base_repo, [f"{url}/ok?{i}" for i in range(4)])
    _run(base_repo, replace(FAST, per_host_interval=0.4, concurrency=4))
    starts = sorted(state.accepted)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # The checker spaces the connections by 0.4 s; on a busy machine the server sees them with
    # some jitter, never together (as concurrency 4 alone would send them).
    assert len(starts) == 4 and min(gaps) >= 0.2 and starts[-1] - starts[0] >= 1.0, gaps


def test_retry_after_is_honoured_within_its_cap(base_repo: Path, server: tuple[str, State]) -> None:
    url, state = server
    _page(base_repo, [url + "/limited-once"])
    waits: list[float] = []
    clocks = ext.Clocks(sleep=waits.append)  # the wait is asked for, not slept
    report = _run(base_repo, replace(FAST, retries=1), clocks=clocks)
    assert not report.diagnostics and report.requests == 2
    assert len(waits) == 1 and 0.9 <= waits[0] <= 1.0
    # A site asking for longer than max_retry_after is not waited for: unknown, one request.
    state.seen.clear()
    waits.clear()
    capped = replace(FAST, retries=1, max_retry_after=0.5)
    [d] = _run(base_repo, capped, clocks=clocks).diagnostics
    assert d.code == "external-link-unknown" and "asked to wait 1 s" in d.message
    assert not waits


def test_server_errors_are_retried_with_backoff(base_repo: Path, server: tuple[str, State]) -> None:
    url, state = server
    _page(base_repo, [url + "/flaky", url + "/server-error"])
    waits: list[float] = []
    options = replace(FAST, retries=2, backoff=0.25)
    report = _run(base_repo, options, clocks=ext.Clocks(sleep=waits.append))
    assert state.seen == {"/flaky": 2, "/server-error": 3}
    assert sorted(waits) == [0.25, 0.25, 0.5]  # /flaky once; /server-error 0.25 then 0.5
    assert [d.code for d in report.diagnostics] == ["external-link-broken"]


def test_placeholder_hosts_and_excluded_prefixes_are_not_asked(base_repo: Path) -> None:
    places = ["https://x.org/a", "http://kb.example/", "http://www.example.com/", "http://t.test/"]
    _page(base_repo, [*places, "http://notexample.com/", "http://a.invalid/"])
    repo = check(load_config(base_repo / "site_config.yml")).repo
    options = LinkOptions(exclude=("https://",))
    asked = set(ext.external_places(repo, options))
    assert asked == {"http://notexample.com/"}


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120", 0) == 120
    assert retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40) == 60
    assert retry_after("soon", 0) is None


def test_malformed_urls_are_broken_without_a_request(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, state = server
    lines = _page(base_repo, ["http://127.0.0.1:80x/", "http:///nohost", "http://127.0.0.1:99999/"])
    report = _run(base_repo)
    assert {(d.line, d.code) for d in report.diagnostics} == {
        (line, "external-link-broken") for line in lines.values()
    }
    assert all("not a valid URL" in d.message for d in report.diagnostics)
    assert not state.hits
    prober = Prober(FAST, HostGate(0, time.monotonic, time.sleep))
    assert prober.check("http://[::1/") == Outcome("broken", "not a valid URL (Invalid IPv6 URL)")


# --- the command line ----------------------------------------------------------------------


def _config(repo: Path, **options: Any) -> Path:
    """site_config.yml with `external_links:` options (https excluded: no internet)."""
    cfg = repo / "site_config.yml"
    data = yaml.safe_load(cfg.read_text())
    data["plugins"][0]["finops-kb"]["external_links"] = {"exclude": ["https://"], **options}
    cfg.write_text(yaml.safe_dump(data, sort_keys=False))
    return cfg


QUICK = ["--timeout", "0.5", "--retries", "0", "--per-host-interval", "0"]


def test_links_command_reports_in_each_format(
    base_repo: Path, server: tuple[str, State], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, state = server
    lines = _page(base_repo, [url + "/ok", url + "/missing"])
    cfg = _config(base_repo)
    cache = tmp_path / "c"
    argv = ["-f", str(cfg), "links", "--external", "--cache-dir", str(cache), *QUICK]
    assert main(argv) == 0  # a broken external link is a warning
    out, err = capsys.readouterr()
    alpha = "content/capabilities/alpha.md"
    assert f"{alpha}:{lines[url + '/missing']}:1: warning external-link-broken" in out
    assert "2 external URLs: 1 ok, 1 broken, 0 unknown (0 from the cache, 2 requests, " in err
    assert (cache / "links.json").is_file()
    assert main([*argv, "--strict", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data["diagnostics"]] == ["external-link-broken"]
    assert data["diagnostics"][0]["severity"] == "error"  # --strict: warnings fail
    assert main([*argv, "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"::warning file={alpha},line={lines[url + '/missing']},")
    assert "(2 from the cache, 0 requests, " in err
    assert len(state.hits) == 2


def test_links_command_reports_relative_links_without_the_network(
    base_repo: Path, server: tuple[str, State], capsys: pytest.CaptureFixture[str]
) -> None:
    url, state = server
    _page(base_repo, [url + "/missing", "beta.md#nowhere"])
    assert main(["-f", str(_config(base_repo)), "links"]) == 1
    out = capsys.readouterr().out
    assert "error broken-anchor" in out and "external-link" not in out
    assert not state.hits


def test_links_command_writes_its_cache_beside_the_config_by_default(
    base_repo: Path, server: tuple[str, State], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _state = server
    _page(base_repo, [url + "/ok"])
    assert main(["-f", str(_config(base_repo)), "links", "--external", *QUICK]) == 0
    assert (base_repo / ".cache" / "finops-kb" / "links.json").is_file()


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--ttl", "soon"], "--ttl must be a number, not `soon`"),
        (["--ttl", "-1"], "--ttl must be between 0 and 8784"),
        (["--concurrency", "0"], "--concurrency must be between 1 and 64"),
        (["--concurrency", "2.5"], "--concurrency must be a whole number"),
        (["--per-host-interval", "nan"], "--per-host-interval must be between 0 and 60"),
        (["--timeout", "0"], "--timeout must be between 0.1 and 300"),
        (["--retries", "-1"], "--retries must be between 0 and 10"),
        (["--cache-dir", "{cfg}"], "is a file; give a folder"),
    ],
)
def test_bad_links_options_are_one_line_and_exit_2(
    base_repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    cfg = base_repo / "site_config.yml"
    argv = [a.format(cfg=cfg) for a in args]
    assert main(["-f", str(cfg), "links", "--external", *argv]) == 2
    assert expected in one_error_line(capsys.readouterr().err)


# --- the plugin option -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "options,expected",
    [
        ("external_links: 5", ":10: finops-kb option `external_links` must be a mapping"),
        ("external_links: {enabled: 1}", "option `external_links.enabled` must be true or false"),
        (
            "external_links:\n        ttl_hours: x",
            ":11: finops-kb option `external_links.ttl_hours`",
        ),
        ("external_links:\n        nope: 1", ":11: finops-kb option `external_links.nope` is not"),
        ("external_links:\n        cache_dir: ../up", "must be a folder inside the repository"),
        ("external_links:\n        cache_dir: /tmp/x", "must be a folder inside the repository"),
        ("external_links:\n        cache_dir: content/c", "not be inside the content folder"),
        ("external_links:\n        exclude: https://", "must be a list of URL prefixes"),
    ],
)
def test_bad_plugin_options_name_their_config_line(
    base_repo: Path, options: str, expected: str
) -> None:
    cfg = base_repo / "site_config.yml"
    text = cfg.read_text().replace("      review_interval_days: 365\n", f"      {options}\n")
    cfg.write_text(text)
    with pytest.raises(ConfigError, match="^site_config.yml:") as caught:
        load_config(cfg)
    assert expected in str(caught.value)


def test_plugin_options_are_read(base_repo: Path) -> None:
    assert load_config(base_repo / "site_config.yml").external_links == LinkOptions()
    cfg = _config(base_repo, enabled=True, ttl_hours=2, concurrency=3, cache_dir=".links")
    options = load_config(cfg).external_links
    assert (options.enabled, options.ttl_hours, options.concurrency) == (True, 2.0, 3)
    assert options.cache_dir == ".links" and options.exclude == ("https://",)


def test_serve_and_a_build_without_the_option_never_ask(
    base_repo: Path, server: tuple[str, State]
) -> None:
    url, state = server
    _page(base_repo, [url + "/missing"])
    off = load_config(_config(base_repo))
    on = load_config(_config(base_repo, enabled=True, timeout=0.5, retries=0))
    assert ext.for_build(off, check(off), serving=False) == []
    assert ext.for_build(on, check(on), serving=True) == []
    assert not state.hits
    [d] = ext.for_build(on, check(on), serving=False)
    assert d.code == "external-link-broken" and len(state.hits) == 1


@pytest.mark.allow_warnings
def test_a_build_with_the_option_reports_external_links(
    base_repo: Path, server: tuple[str, State], capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.plugin.commands import build

    url, state = server
    line = _page(base_repo, [url + "/missing"])[url + "/missing"]
    cfg = _config(base_repo, enabled=True, timeout=0.5, retries=0, per_host_interval=0)
    assert build(cfg, packs=False) == 0
    # `finops-kb build` sends MkDocs' log to stderr, as the terminal shows it.
    logged = [x for x in capsys.readouterr().err.splitlines() if "external-link" in x]
    assert len(logged) == 1
    assert f"content/capabilities/alpha.md:{line}:1: warning external-link-broken" in logged[0]
    assert [h.path for h in state.hits] == ["/missing"]
    assert (base_repo / ".cache" / "finops-kb" / "links.json").is_file()
    assert build(cfg, strict=True, packs=False) == 1  # a warning fails a strict build
