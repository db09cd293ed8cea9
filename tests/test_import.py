"""`finops-kb import`: pages written for Jekyll, Hugo and MkDocs (tests/data/import, our own
words) brought into a copy of the bundled knowledge base, then checked.

The report names source files and lines; after the import, `check` reports only what is really
missing (a page that was never imported), nothing that comes from the old format.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.core.check import check
from generator.core.codes import CODES
from generator.core.config import load_config
from generator.core.importing import body as bodies
from generator.core.importing.findings import IMPORT_CODES
from generator.core.importing.run import Options, run

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "import"
FORMATS = ("jekyll", "hugo", "mkdocs")

# What each import reports (source file:line code): the editor's to-do list.
REPORTS = {
    "jekyll": {
        "jekyll/_docs/showback-reports.md:5 import-draft",
        "jekyll/budgeting.md:3 import-capability-match",
        "jekyll/budgeting.md:4 import-old-url",
        "jekyll/index.md:8 import-template-tag",
        "jekyll/tagging-policy.md:4 import-old-url",
        "jekyll/tagging-policy.md:12 import-unknown-key",
        "jekyll/tagging-policy.md:26 import-link",
    },
    "hugo": {
        "hugo/_index.md:9 import-link",
        "hugo/commitments/savings-plans.md:4 import-old-url",
        "hugo/commitments/savings-plans.md:5 import-draft",
        "hugo/commitments/savings-plans.md:10 import-unknown-key",
        "hugo/commitments/savings-plans.md:24 import-template-tag",
        "hugo/unit-costs.md:3 import-old-url",
    },
    "mkdocs": {
        "mkdocs/index.md:10 import-link",
        "mkdocs/index.md:12 import-template-tag",
    },
}


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled knowledge base; the current folder is the sample pages'."""
    repo = tmp_path / "kb"
    for name in ("content", "playbooks"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "site_config.yml", repo / "site_config.yml")
    monkeypatch.chdir(DATA)
    return repo


def _import(kb: Path, *args: str) -> int:
    return main(["-f", str(kb / "site_config.yml"), "import", *args])


def _where(kb: Path, source: str, **options: Any) -> set[str]:
    outcome = run(load_config(kb / "site_config.yml"), Options(Path(source), **options))
    return {f"{d.path}:{d.line} {d.code}" for d in outcome.diagnostics}


def _front(path: Path) -> dict[str, object]:
    text = path.read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(front, dict)
    return front


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_names_source_lines(kb: Path, fmt: str) -> None:
    assert _where(kb, fmt, into=f"content/{fmt}", dry_run=True) == REPORTS[fmt]
    assert not (kb / "content" / fmt).exists()  # a dry run writes nothing


def test_check_after_import_reports_only_real_problems(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _checked(kb)  # the bundled knowledge base as it is (another change may be open)
    for fmt in FORMATS:
        assert _import(kb, fmt, "--into", f"content/{fmt}") == 0
    out = capsys.readouterr().out
    assert "wrote 5 of 5 pages to content/jekyll/: 0 errors, 7 warnings" in out
    assert "hugo/_index.md -> content/hugo/index.md (page; summary from description" in out
    # The two links to pages that were never imported; the import reported them as well.
    assert _checked(kb) - before == {
        "content/hugo/index.md:9 broken-link",
        "content/mkdocs/index.md:12 broken-link",
    }


def _checked(kb: Path) -> set[str]:
    result = check(load_config(kb / "site_config.yml"))
    return {f"{d.path}:{d.line} {d.code}" for d in result.diagnostics}


def test_jekyll_front_matter_and_links(kb: Path) -> None:
    assert _import(kb, "jekyll", "--into", "content/team") == 0
    team = kb / "content" / "team"
    assert _front(team / "tagging-policy.md") == {
        "kind": "page",
        "title": "Tagging policy",
        "tags": ["tagging", "cost-allocation", "governance"],
    }
    assert _front(team / "docs" / "showback-reports.md")["summary"] == (
        "Monthly cost reports per team, before any money moves between budgets."
    )
    index = (team / "index.md").read_text("utf-8")
    assert "[tagging policy](tagging-policy.md)" in index
    assert "[showback report](docs/showback-reports.md)" in index
    assert "[first one](posts/2024-03-01-first-showback.md)" in index  # `{% post_url %}`
    assert "(https://www.finops.org/)" in index  # external links stay
    assert "# FinOps at Northwind" not in index  # the H1 is the title
    showback = (team / "docs" / "showback-reports.md").read_text("utf-8")
    assert "[required tags](../tagging-policy.md#required-tags)" in showback
    assert "[home page](../index.md)" in showback
    assert "[policy]: ../tagging-policy.md" in showback  # via `redirect_from`
    policy = (team / "tagging-policy.md").read_text("utf-8")
    # `## Tagging policy` repeated the title over `###` sections: dropped, sections are H2.
    assert "## Tagging policy" not in policy
    assert "\n## Required tags\n" in policy and "###" not in policy
    assert "[showback reports](docs/showback-reports.md)" in policy


def test_hugo_toml_refs_and_aliases(kb: Path) -> None:
    assert _import(kb, "hugo", "--into", "content/handbook") == 0
    book = kb / "content" / "handbook"
    assert _front(book / "index.md") == {
        "kind": "page",
        "title": "Cloud commitments handbook",
        "summary": "How the platform group buys and tracks commitments and unit costs.",
    }
    index = (book / "index.md").read_text("utf-8")
    assert "[savings plans](commitments/savings-plans.md)" in index
    assert "[unit cost measures](unit-costs.md)" in index
    assert "[anomaly response](/anomaly-response)" in index  # not imported: `check` says so
    plans = (book / "commitments" / "savings-plans.md").read_text("utf-8")
    assert _front(book / "commitments" / "savings-plans.md")["tags"] == [
        "commitments",
        "rates",
        "optimization",
    ]
    assert "[unit cost measures](../unit-costs.md)" in plans
    assert "\n## When we buy\n" in plans
    units = (book / "unit-costs.md").read_text("utf-8")
    assert "[savings plans](commitments/savings-plans.md)" in units  # by its Hugo alias
    assert "\n## Cost per shipment\n" in units


def test_mkdocs_headings_and_links_into_the_knowledge_base(kb: Path) -> None:
    assert _import(kb, "mkdocs", "--into", "content/data-team") == 0
    docs = kb / "content" / "data-team"
    assert _front(docs / "index.md")["title"] == "Cloud cost handbook"  # from the H1
    assert "[budgeting capability](../capabilities/budgeting.md)" in (docs / "index.md").read_text(
        "utf-8"
    )
    assert _front(docs / "guides" / "rightsizing.md")["hide"] == ["toc"]
    notes = (docs / "guides" / "forecasting-notes.md").read_text("utf-8")
    # Several H1s under a title of their own are sections: every level one down.
    assert "\n## Why we forecast\n" in notes and "\n## Method\n" in notes
    assert "\n### Accuracy\n\nWe compare" in notes  # a setext heading, now ATX


def test_never_overwrites_without_force(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(kb, "mkdocs", "--into", "content/x") == 0
    page = kb / "content" / "x" / "index.md"
    page.write_text("edited by hand\n", "utf-8")
    assert _import(kb, "mkdocs", "--into", "content/x") == 1
    out = capsys.readouterr().out
    assert "mkdocs/index.md:1:1: error import-exists content/x/index.md exists" in out
    assert page.read_text("utf-8") == "edited by hand\n"
    assert _import(kb, "mkdocs", "--into", "content/x", "--force") == 0
    assert page.read_text("utf-8").startswith("---\nkind: page\n")
    assert not list(page.parent.glob(".import-*"))


def test_dry_run_prints_and_writes_nothing(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(kb) for p in kb.rglob("*"))
    assert _import(kb, "hugo", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "hugo/unit-costs.md -> content/hugo/unit-costs.md" in out
    assert "would write 3 of 3 pages to content/hugo/; nothing written (dry run)" in out
    assert sorted(p.relative_to(kb) for p in kb.rglob("*")) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing"], "missing: no such file or folder"),
        (["../../test_import.py"], "is not a Markdown file"),
        (["mkdocs", "--into", "playbooks"], "--into playbooks: give a folder inside content/"),
        (["mkdocs", "--into", "content/../.."], "give a folder inside content/"),
        (["mkdocs", "--into", "content/Team Pages"], "folder names must be slugs"),
    ],
)
def test_refusals_are_one_line(
    kb: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert _import(kb, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("finops-kb: error: ") and message in err
    assert err.count("\n") == 1


def test_capability_kind_reports_what_the_kind_needs(kb: Path) -> None:
    found = _where(kb, "mkdocs/guides/rightsizing.md", kind="capability", dry_run=True)
    keys = ("domain", "phases", "personas", "related", "framework_version", "sources")
    assert {w for w in found if w.endswith("missing-key")} == {
        "mkdocs/guides/rightsizing.md:1 missing-key"
    }
    assert "mkdocs/guides/rightsizing.md:12 missing-section" in found
    outcome = run(
        load_config(kb / "site_config.yml"),
        Options(Path("mkdocs/guides/rightsizing.md"), kind="capability", dry_run=True),
    )
    missing = [d.message for d in outcome.diagnostics if d.code == "missing-key"]
    assert sorted(missing) == sorted(f"missing required key `{k}`" for k in keys)
    assert outcome.imported[0].path == "content/capabilities/rightsizing.md"


def test_capability_keeps_old_urls_as_aliases(kb: Path) -> None:
    outcome = run(
        load_config(kb / "site_config.yml"),
        Options(Path("jekyll/tagging-policy.md"), kind="capability", dry_run=True),
    )
    front = yaml.safe_load(outcome.imported[0].text.split("---\n")[1])
    assert front["id"] == "tagging-policy"
    assert front["aliases"] == [
        {"slug": "tagging", "title": "Tagging policy"},
        {"slug": "tags", "title": "Tagging policy"},
    ]
    assert not any(d.code == "import-old-url" for d in outcome.diagnostics)


def test_capability_that_exists_is_not_imported_again(kb: Path) -> None:
    found = _where(kb, "jekyll/budgeting.md", kind="capability", into="content/team")
    assert found == {"jekyll/budgeting.md:3 import-conflict"}
    assert not (kb / "content" / "team").exists()


def test_generated_pages_are_not_replaced(kb: Path) -> None:
    found = _where(kb, "mkdocs", into="content", dry_run=True)
    assert "mkdocs/index.md:1 import-conflict" in found  # the home page is generated


def test_unreadable_front_matter_is_reported_at_its_line(kb: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "toml.md").write_text('+++\ntitle = "A"\nweight = \n+++\nText\n', "utf-8")
    (src / "yaml.md").write_text("---\ntitle: [a\n---\nText\n", "utf-8")
    (src / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    (src / "ok.md").write_text("Just text.\n", "utf-8")
    (src / "linked.md").symlink_to("/etc/hostname")
    found = _where(kb, str(src), into="content/src")
    shown = src.as_posix()
    assert found == {
        f"{shown}/toml.md:3 import-front-matter",
        f"{shown}/yaml.md:3 yaml-syntax",
        f"{shown}/latin1.md:2 not-utf8",
    }
    assert sorted(p.name for p in (kb / "content" / "src").iterdir()) == ["ok.md"]


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        ("# T\n\n## A\n\ntext\n", "T", "## A\n\ntext"),
        ("## T\n\n### A\n\ntext\n\n### B\n", "T", "## A\n\ntext\n\n## B"),
        ("## Overview\n\nintro\n\n### A\n", "T", "## Overview\n\nintro\n\n## A"),
        ("### A\n\n#### B\n", None, "## A\n\n### B"),
        ("```\n# not a heading {{ x }}\n```\n", None, "```\n# not a heading {{ x }}\n```"),
    ],
)
def test_heading_levels(body: str, title: str | None, expected: str) -> None:
    converted = bodies.convert(body.split("\n"), 5, "p.md", lambda _arg: None, title)
    assert "\n".join(t for t, _ in converted.lines).strip("\n") == expected
    assert not converted.problems


def test_raw_html_and_code_spans() -> None:
    lines = ['<a href="/docs/x/">x</a> `<img src="/y.png">` <img src="//cdn/z.png">', "`{{ x }}`"]
    converted = bodies.convert(lines, 3, "p.md", lambda _arg: None, None)
    found = [(d.line, d.code, d.message) for d in converted.problems]
    assert found == [
        (
            3,
            "import-link",
            "`/docs/x/` in raw HTML is a URL of the old site; raw HTML is not rewritten",
        )
    ]


def test_import_codes_are_documented_apart_from_check_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert not set(IMPORT_CODES) & set(CODES)
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_text = capsys.readouterr().out
    assert all(code in help_text for code in IMPORT_CODES)
