from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb import copy_base

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
