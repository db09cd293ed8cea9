"""Ask one external URL whether it works, politely: HEAD first (GET when HEAD is refused),
redirects followed one hop at a time, a minimum interval between requests to the same host,
retries with exponential backoff, and `Retry-After` honoured within a cap.

The standard library's urllib does the HTTP: a link check needs a status line and a few
headers, not a client with connection pools; the politeness (per-host interval, Retry-After,
backoff) is ours whichever client sends the request. Proxies come from the usual environment
variables (`https_proxy`, `no_proxy`), as for any urllib program. Redirects are not left to
urllib: each hop waits for its host's turn and may only lead to another http(s) URL.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

from .. import __version__
from .link_cache import Outcome
from .link_options import LinkOptions

USER_AGENT = f"finops-kb/{__version__} (external link check of a FinOps knowledge base)"
MAX_REDIRECTS = 10
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
# HEAD answered with one of these often means "this server does not do HEAD", not "no page".
HEAD_REFUSED = (400, 403, 405, 501)
TRANSIENT = (502, 503, 504)
# Printable ASCII that may stay as written in a URL; the rest (spaces, accents) is escaped.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP exchange: a status with its headers, or the network error instead."""

    code: int = 0
    reason: str = ""
    headers: Message | None = None
    error: str = ""
    """`timeout`, `refused`, `dns`, `dns-temporary`, `certificate`, `tls`, `reset`, `invalid`,
    `network` (anything else); empty when the server answered."""
    text: str = ""
    """The error as Python put it, for the message."""

    def header(self, name: str) -> str:
        return str(self.headers.get(name, "")) if self.headers is not None else ""


class HostGate:
    """The minimum interval between the starts of two requests to one host, for all threads."""

    def __init__(
        self, interval: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Block until `host` may be asked again, and take that turn."""
        with self._lock:
            start = max(self.clock(), self._next.get(host, 0.0))
            self._next[host] = start + self.interval
        delay = start - self.clock()
        if delay > 0:
            self.sleep(delay)

    def defer(self, host: str, seconds: float) -> None:
        """Nobody asks `host` for `seconds` (it said `Retry-After`)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)


def request_url(url: str) -> str:
    """`url` without its fragment (never sent), with what HTTP cannot carry escaped: an
    international host name in IDNA, other characters percent-encoded."""
    url = url.split("#", 1)[0].strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # `http://[::1` : the request fails as "not a valid URL", at its line
        return quote(url, safe=_URL_SAFE)
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # left as written: the request fails as "not a valid URL", at its line
    return quote(parts._replace(netloc=netloc).geturl(), safe=_URL_SAFE)


def host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


class Prober:
    """Checks URLs; one instance is shared by the checker's threads."""

    def __init__(
        self,
        options: LinkOptions,
        gate: HostGate,
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.options, self.gate, self.sleep, self.wall = options, gate, sleep, wall
        self.requests = 0
        self._count = threading.Lock()
        self._unreachable: dict[str, Answer] = {}
        self._first: dict[str, threading.Event] = {}
        """Per host, set once its first request has an answer."""
        """Hosts not found or refusing connections: their other URLs get the same answer
        without another attempt (offline, a 250-link site would otherwise take minutes)."""
        self._opener = urllib.request.OpenerDirector()
        # No redirect handler: a 3xx comes back as an answer and the next hop is ours to make.
        for handler in (
            urllib.request.ProxyHandler(),
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(context=ssl.create_default_context()),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            self._opener.add_handler(handler)

    def check(self, url: str) -> Outcome:
        current, moved, permanent = request_url(url), "", True
        problem = _malformed(current)
        if problem:
            return Outcome("broken", f"not a valid URL ({problem})")
        for _hop in range(MAX_REDIRECTS + 1):
            answer = self._with_retries(current)
            location = answer.header("Location") if answer.code in REDIRECTS else ""
            if not location:
                outcome = classify(answer, self.options)
                if outcome.status == "ok":
                    return Outcome("ok", outcome.detail, moved)
                where = f" (redirected to {current})" if current != request_url(url) else ""
                return replace(outcome, detail=outcome.detail + where)
            target = urljoin(current, request_url(location))
            if _scheme(target) not in ("http", "https"):
                return Outcome("broken", f"redirects to `{location}`, not an http(s) URL")
            permanent = permanent and answer.code in PERMANENT
            moved = target if permanent else moved
            current = target
        return Outcome("broken", f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")

    def _with_retries(self, url: str) -> Answer:
        answer = Answer()
        for attempt in range(self.options.retries + 1):
            answer = self._exchange(url)
            wait = self._retry_wait(answer, url, attempt)
            if wait is None or attempt == self.options.retries:
                break
            if wait > 0:
                self.sleep(wait)
        return answer

    def _retry_wait(self, answer: Answer, url: str, attempt: int) -> float | None:
        """Seconds to wait before asking again, or None: the answer is final."""
        backoff = self.options.backoff * 2.0**attempt
        if answer.code == 429 or (answer.code in TRANSIENT and answer.header("Retry-After")):
            after = retry_after(answer.header("Retry-After"), self.wall())
            if after is None:
                return backoff
            if after > self.options.max_retry_after:
                return None
            self.gate.defer(host_of(url), after)  # the host's turn comes after the wait
            return 0.0
        if 500 <= answer.code < 600 or answer.error in (
            "timeout",
            "reset",
            "network",
            "dns-temporary",
        ):
            return backoff
        return None

    def _exchange(self, url: str) -> Answer:
        answer = self._request("HEAD", url)
        if answer.code in HEAD_REFUSED or answer.error == "reset":
            answer = self._request("GET", url)
        return answer

    def _request(self, method: str, url: str) -> Answer:
        host = host_of(url)
        with self._count:
            first = host not in self._first
            answered = self._first.setdefault(host, threading.Event())
        # A host's first request goes alone: if the host refuses or does not exist, the other
        # threads know before they ask. After it, requests to the host may overlap.
        if not first:
            answered.wait()
        try:
            known = self._unreachable.get(host)
            if known:
                return known
            self.gate.wait(host)
            with self._count:
                self.requests += 1
            answer = self._send(method, url)
            if answer.error in ("dns", "refused"):
                self._unreachable[host] = answer
            return answer
        finally:
            if first:
                answered.set()

    def _send(self, method: str, url: str) -> Answer:
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"}
        try:
            request = urllib.request.Request(url, method=method, headers=headers)
            # The body is never read: the status line and headers say all a link check needs.
            with self._opener.open(request, timeout=self.options.timeout) as response:
                return Answer(response.status, response.reason, response.headers)
        except urllib.error.HTTPError as exc:
            exc.close()
            return Answer(exc.code, str(exc.reason), exc.headers)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, BaseException):
                return _failure(exc.reason)
            return Answer(error="invalid", text=str(exc.reason))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            return _failure(exc)


def _malformed(url: str) -> str:
    """What makes `url` impossible to request (urllib would accept a port out of range)."""
    try:
        parts = urlsplit(url)
        _port = parts.port
    except ValueError as exc:
        return str(exc)
    return "" if parts.hostname else "no host given"


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme
    except ValueError:
        return ""


def _failure(exc: BaseException) -> Answer:
    return Answer(error=_kind(exc), text=str(exc) or type(exc).__name__)


def _kind(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, socket.gaierror):
        return "dns-temporary" if exc.errno == socket.EAI_AGAIN else "dns"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "certificate"
    if isinstance(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, http.client.InvalidURL | ValueError):
        return "invalid"
    if isinstance(exc, ConnectionError | http.client.HTTPException):
        return "reset"
    return "network"


def retry_after(value: str, now: float) -> float | None:
    """Seconds from a `Retry-After` header (a number of seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now) if when.tzinfo else None


_ERRORS = {
    # error kind: (status, what to say)
    "timeout": ("unknown", "no answer within {timeout:g} s"),
    "refused": ("broken", "connection refused"),
    "dns": ("broken", "host not found"),
    "dns-temporary": ("unknown", "host name lookup failed for now"),
    "certificate": ("broken", "the site's certificate is not valid"),
    "tls": ("unknown", "secure connection failed"),
    "reset": ("unknown", "the connection was closed without an answer"),
    "invalid": ("broken", "not a valid URL"),
    "network": ("unknown", "network error"),
}


def classify(answer: Answer, options: LinkOptions) -> Outcome:
    """The outcome of a final answer (no redirect left to follow)."""
    if answer.error:
        status, what = _ERRORS[answer.error]
        detail = f"{what.format(timeout=options.timeout)} ({answer.text})"
        return Outcome(status, detail, unreached=answer.error not in ("invalid", "certificate"))
    http = f"HTTP {answer.code} {answer.reason}".strip()
    if answer.header("cf-mitigated"):
        return Outcome("unknown", f"{http}: the site answers with a bot challenge (Cloudflare)")
    if 200 <= answer.code < 300:
        return Outcome("ok", http)
    if answer.code == 429:
        after = answer.header("Retry-After")
        wait = f", asked to wait {after} s" if after else ""
        return Outcome("unknown", f"{http}: rate limited{wait}")
    if answer.code in (401, 403, 407):
        return Outcome("unknown", f"{http}: needs a login, or refuses automated checks")
    if answer.code in TRANSIENT:
        return Outcome("unknown", f"{http}: temporarily unavailable")
    if 300 <= answer.code < 400:
        return Outcome("broken", f"{http} without a Location to go to")
    if answer.code >= 600:  # LinkedIn's 999 and the like: a refusal of robots, not an answer
        return Outcome("unknown", f"{http}: not an HTTP status; the site refuses automated checks")
    return Outcome("broken", http)
