"""Data-driven rule tests: each case in cases/rules/ edits the base tree and lists what `check`
must report (`path:line code`), and nothing else.

A case is a YAML file:

- edits of tests/cases/base: `files`, `raw`, `replace`, `sizes`, `renames`, `removes`,
  `symlinks`, `fifos` (see `kb.apply_case`); `today` and `severity` for the check; `config:
  true` reads the plugin options (packs) of site_config.yml; `build: true` also builds the site
  with MkDocs and adds what only the built-site link check reports (a second or two each: few);
- `expect`: the exact list of `path:line code`;
- `hints`: for a failing case, the hint the user sees, per code it expects (or per expected
  `path:line code`, which wins over its code): a substring of `Diagnostic.hint`; `null` marks a
  hint that is known to be empty (asserted empty, and named in the report that found it).

Every code has a failing case that expects it with a hint assertion, and a passing twin: the
nearly-same edit done right, named `<code>-pass.yml` or listing the code in `covers`. The
exceptions, codes that only a network answer produces, are in NOT_DATA_DRIVEN with the tests
that cover them.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from kb import CODES, Diagnostic, apply_case, case_diagnostics

RULES = Path(__file__).parent / "cases" / "rules"
CASES = sorted(RULES.glob("*.yml"))
NOT_DATA_DRIVEN: dict[str, dict[str, str]] = {
    # Codes that only an answer over the network produces: a case file cannot start the
    # HTTP server they need. Each names the tests (in the module given) that cover its failing
    # behaviour, with its hint asserted, and its passing behaviour; the coverage test checks
    # that those tests exist.
    "external-link-broken": {
        "module": "test_external_links",
        "failing": "test_each_answer_is_reported_at_its_line_with_its_code",
        "passing": "test_working_links_report_nothing",
    },
    "external-link-unknown": {
        "module": "test_external_links",
        "failing": "test_each_answer_is_reported_at_its_line_with_its_code",
        "passing": "test_working_links_report_nothing",
    },
    "external-link-moved": {
        "module": "test_external_links",
        "failing": "test_permanent_redirects_are_reported_only_when_asked",
        "passing": "test_working_links_report_nothing",
    },
}


def _case(case_file: Path) -> dict[str, Any]:
    case = yaml.safe_load(case_file.read_text("utf-8"))
    assert isinstance(case, dict), case_file.name
    return case


def _params() -> list[Any]:
    # A build logs the site's broken links as MkDocs errors: expected in those cases.
    return [
        pytest.param(
            c, id=c.stem, marks=[pytest.mark.allow_warnings] if _case(c).get("build") else []
        )
        for c in CASES
    ]


@pytest.mark.parametrize("case_file", _params())
def test_rule_case(case_file: Path, base_repo: Path) -> None:
    case = _case(case_file)
    apply_case(base_repo, case)
    found = case_diagnostics(base_repo, case)
    got = sorted(_where(d) for d in found)
    assert got == sorted(case["expect"]), "\n".join(d.format() for d in found)
    hints: dict[str, str | None] = case.get("hints") or {}
    used = set()
    for d in found:
        key = _where(d) if _where(d) in hints else d.code
        if key not in hints:
            continue
        used.add(key)
        wanted = hints[key]
        if wanted is None:
            assert d.hint == "", f"{_where(d)} now has a hint; assert it: {d.hint!r}"
        else:
            assert wanted in d.hint, f"{_where(d)}: hint {d.hint!r} lacks {wanted!r}"
    assert not set(hints) - used, f"`hints` names what nothing reports: {set(hints) - used}"


def _where(d: Diagnostic) -> str:
    return f"{d.path}:{d.line} {d.code}"


def _covered(case_file: Path, case: dict[str, Any]) -> list[str]:
    """Codes whose passing twin this case is."""
    named = case_file.stem.removesuffix("-pass")
    own = [named] if case_file.stem.endswith("-pass") and named in CODES else []
    return own + list(case.get("covers") or [])


def test_every_code_has_a_failing_case_with_its_hint_and_a_passing_twin() -> None:
    failing: dict[str, list[str]] = defaultdict(list)
    passing: dict[str, list[str]] = defaultdict(list)
    for case_file in CASES:
        case = _case(case_file)
        hints = case.get("hints") or {}
        for line in case["expect"]:
            code = line.split()[-1]
            if hints.get(line) or hints.get(code):  # an assertion that is not `null`
                failing[code].append(case_file.name)
        for code in _covered(case_file, case):
            passing[code].append(case_file.name)
    cased = [c for c in CODES if c not in NOT_DATA_DRIVEN]
    missing = [f"{c}: no failing case expects it with a hint" for c in cased if not failing[c]]
    missing += [
        f"{c}: no passing twin ({c}-pass.yml, or `covers: [{c}]` in a *-pass.yml)"
        for c in cased
        if not passing[c]
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("code", sorted(NOT_DATA_DRIVEN))
def test_codes_without_cases_name_tests_that_exist(code: str) -> None:
    entry = NOT_DATA_DRIVEN[code]
    assert code in CODES, f"{code} is not a code (any more): drop it from NOT_DATA_DRIVEN"
    assert not any(code in line for c in CASES for line in _case(c)["expect"]), (
        f"{code} has a case now: drop it from NOT_DATA_DRIVEN"
    )
    module = importlib.import_module(entry["module"])
    for role in ("failing", "passing"):
        test = getattr(module, entry[role], None)
        assert callable(test), f"{code}: {entry['module']}.{entry[role]} ({role}) does not exist"


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_case_is_well_formed(case_file: Path) -> None:
    """Known codes only; a failing case asserts a hint for every line it expects; a passing
    twin does not expect the codes it covers."""
    case = _case(case_file)
    expected = list(case["expect"])
    codes = {line.split()[-1] for line in expected}
    assert codes <= set(CODES), f"unknown codes: {codes - set(CODES)}"
    hints = case.get("hints") or {}
    for key, wanted in hints.items():
        assert key in codes or key in expected, f"`hints` key {key!r} is not expected"
        assert wanted is None or (isinstance(wanted, str) and wanted.strip()), key
    unasserted = [line for line in expected if line not in hints and line.split()[-1] not in hints]
    assert not unasserted, f"no hint asserted for: {unasserted}"
    covers = _covered(case_file, case)
    assert not case.get("covers") or case_file.stem.endswith("-pass"), "`covers` is for *-pass"
    assert set(covers) <= set(CODES), f"covers unknown codes: {set(covers) - set(CODES)}"
    assert not set(covers) & codes, f"a passing twin expects what it covers: {set(covers) & codes}"
