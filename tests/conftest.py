from __future__ import annotations

import functools
import http.server
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb import copy_base

from generator.plugin.commands import build

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    """A copy of the minimal valid knowledge base, safe to modify."""
    return copy_base(tmp_path / "kb")


@pytest.fixture(scope="session")
def mkdocs_logging_pristine() -> tuple[bool, int, list[logging.Handler]]:
    """The `mkdocs` logger as the session found it, before any build changed it."""
    logger = logging.getLogger("mkdocs")
    return logger.propagate, logger.level, list(logger.handlers)


@pytest.fixture(autouse=True)
def mkdocs_logging_restored(
    mkdocs_logging_pristine: tuple[bool, int, list[logging.Handler]],
) -> Iterator[None]:
    """`finops-kb build` routes MkDocs' logger to stderr and stops its propagation, also when a
    module-scoped fixture builds before the first test; every test starts and ends with the
    logger as the session found it, so caplog sees MkDocs' records."""
    _restore(mkdocs_logging_pristine)
    yield
    _restore(mkdocs_logging_pristine)


def _restore(state: tuple[bool, int, list[logging.Handler]]) -> None:
    logger = logging.getLogger("mkdocs")
    logger.propagate, logger.level = state[0], state[1]
    logger.handlers[:] = state[2]


@pytest.fixture(autouse=True)
def no_unexpected_warnings(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest):
    """Fail any test during which MkDocs or finops-kb logged an unexpected warning."""
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("allow_warnings"):
        return
    bad = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and r.name.startswith(("mkdocs", "generator"))
    ]
    assert not bad, "unexpected warnings:\n" + "\n".join(r.getMessage() for r in bad)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from what is rendered now (review the diff before committing)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_warnings: the test expects logged warnings")
    config.addinivalue_line("markers", "browser: drives the built site in headless Chromium")


# --- the built bundled site, served, and Chromium: shared by the browser test modules -------

CHROMIUM = os.environ.get("FINOPS_KB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base, built once for every browser test module (no packs)."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert build(ROOT / "site_config.yml", strict=True, site_dir=str(out), packs=False) == 0
    return out


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass  # the browser closes connections early when it navigates on; that is fine


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")  # one Playwright per module: two at once cannot run
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (scripts/test does)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
