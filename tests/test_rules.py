"""Data-driven rule tests: each case in cases/rules/ edits the base tree and lists what `check`
must report (`path:line code`), and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from kb import apply_case

from generator.core.check import check
from generator.core.config import Config

CASES = sorted((Path(__file__).parent / "cases" / "rules").glob("*.yml"))


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_rule_case(case_file: Path, base_repo: Path) -> None:
    case = yaml.safe_load(case_file.read_text("utf-8"))
    apply_case(base_repo, case)
    today = case.get("today", dt.date(2026, 7, 1))
    config = Config(base_repo, today=today, severity=case.get("severity") or {})
    result = check(config)
    got = sorted(f"{d.path}:{d.line} {d.code}" for d in result.diagnostics)
    assert got == sorted(case["expect"]), "\n".join(d.format() for d in result.diagnostics)


def test_every_fail_case_names_codes_that_exist() -> None:
    from generator.core.codes import CODES

    for case_file in CASES:
        for line in yaml.safe_load(case_file.read_text("utf-8"))["expect"]:
            assert line.split()[-1] in CODES, f"{case_file.name}: {line}"
