"""Golden files: the navigation and generated pages of tests/cases/base, rendered by the pure
render functions, compared exactly with tests/golden/. After an intended change, rewrite them
with `python -m pytest tests/test_golden.py --update-golden` and review the diff in git."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from kb import CASES, GOLDEN_PAGES, rendered_for_golden

GOLDEN = Path(__file__).parent / "golden"
NAMES = ["nav.yml", *GOLDEN_PAGES]
UPDATE = "python -m pytest tests/test_golden.py --update-golden"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return rendered_for_golden(CASES / "base")


@pytest.mark.parametrize("name", NAMES)
def test_rendered_output_matches_its_golden_file(
    name: str, rendered: dict[str, str], request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / name
    text = rendered[name]
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, "utf-8")
        return
    assert golden.is_file(), f"no golden file {golden}; create it with `{UPDATE}`"
    expected = golden.read_text("utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"tests/golden/{name} (golden)",
            f"{name} (rendered now)",
        )
        pytest.fail(
            f"{name} differs from its golden file; if the change is intended, run `{UPDATE}`"
            " and commit the new file.\n" + "".join(diff),
            pytrace=False,
        )


def test_every_golden_file_is_rendered() -> None:
    """A golden file that nothing renders any more would pass unnoticed: remove it."""
    stale = sorted(
        p.relative_to(GOLDEN).as_posix()
        for p in GOLDEN.rglob("*")
        if p.is_file() and p.relative_to(GOLDEN).as_posix() not in NAMES
    )
    assert not stale, f"golden files that no test renders: {stale}"
