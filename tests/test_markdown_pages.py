"""Every page also as Markdown beside its HTML, `llms.txt`, and the "copy as Markdown" button.

Real builds: the minimal repository (with a hostile title) in both URL styles, and the bundled
knowledge base from conftest's session build; the button is clicked in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kb import copy_base
from mkdocs.structure.files import File

from generator.plugin import markdown_pages
from generator.plugin.commands import build
from generator.render.html_parts import md
from generator.render.markdown_parts import to_markdown

HOSTILE = "Alpha | *bold* <script>alert(1)</script>"
LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def _build(root: Path, directory_urls: bool) -> Path:
    cfg = root / "site_config.yml"
    text = cfg.read_text().replace(
        "use_directory_urls: false", f"use_directory_urls: {directory_urls}"
    )
    cfg.write_text(text)
    alpha = root / "content/capabilities/alpha.md"
    text = alpha.read_text().replace("title: Alpha\n", f"title: '{HOSTILE}'\n", 1)
    summary = f'summary: "{HOSTILE} The first capability."'
    alpha.write_text(text.replace("summary: The first capability.", summary))
    out = root / "site"
    assert build(cfg, strict=True, site_dir=str(out), packs=False) == 0
    return out


@pytest.fixture(scope="module")
def flat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(copy_base(tmp_path_factory.mktemp("flat") / "kb"), directory_urls=False)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(copy_base(tmp_path_factory.mktemp("dirs") / "kb"), directory_urls=True)


def _pages(site: Path) -> list[Path]:
    """The HTML pages of a site, without redirects and the 404 page."""
    return [
        p
        for p in site.rglob("*.html")
        if p.name != "404.html" and 'http-equiv="refresh"' not in p.read_text("utf-8")[:2000]
    ]


def _broken_links(site: Path) -> list[str]:
    broken = []
    for copy in [*site.rglob("*.md"), site / "llms.txt"]:
        fenced = False  # the editor guide shows bad links as examples, in code blocks
        for line in copy.read_text("utf-8").splitlines():
            fenced ^= line.lstrip().startswith(("```", "~~~"))
            broken += _missing(site, copy, [] if fenced else LINK.findall(line))
    return broken


def _missing(site: Path, md: Path, targets: list[str]) -> list[str]:
    where = md.relative_to(site)
    return [
        f"{where} -> {t}"
        for t in targets
        if t.split("#")[0] and not (md.parent / t.split("#")[0]).is_file()
    ]


@pytest.mark.parametrize("which", ["flat", "folders", "site"])
def test_every_page_has_a_markdown_copy_whose_links_resolve(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    pages = _pages(site)
    assert len(pages) >= 8
    missing = [str(p.relative_to(site)) for p in pages if not p.with_suffix(".md").is_file()]
    assert missing == []
    assert _broken_links(site) == []
    for copy in site.rglob("*.md"):
        text = copy.read_text("utf-8")
        assert "finops-kb part" not in text and "<table" not in text, copy
        assert text.startswith('---\ntitle: "'), copy


def test_folder_urls_put_the_copy_in_the_page_folder(folders: Path) -> None:
    text = (folders / "capabilities/beta/index.md").read_text("utf-8")
    assert 'source: "index.html"' in text
    assert (
        "](../../organization/raci/index.md"
        in (folders / "capabilities/alpha/index.md").read_text()
    )


def test_capability_copy_has_the_overlay_and_the_raci_rows_as_a_table(flat: Path) -> None:
    text = (flat / "capabilities/alpha.md").read_text("utf-8")
    assert "## How we do it here" in text
    assert "[the framework page](alpha.md#maturity)" in text  # a playbook's link, moved
    row = next(line for line in text.splitlines() if line.startswith("| [Collect cost data]"))
    assert "[Platform Engineer](../organization/roles/engineer.md)" in row
    assert row.count(" | ") >= 4
    assert "{ #" not in text and "<div" not in text


def test_generated_pages_convert_their_parts(flat: Path, site: Path) -> None:
    raci = (flat / "organization/raci.md").read_text("utf-8")
    assert re.search(r"^\| Activity \| Capability \| \[FinOps Lead\]\(roles/lead\.md\)", raci, re.M)
    assert re.search(
        r"^\| Collect cost data \| \[.*\]\(\.\./capabilities/alpha\.md\) \| A \| R \|", raci, re.M
    )
    role = (flat / "organization/roles/lead.md").read_text("utf-8")
    assert "# FinOps Lead" in role and "| --- |" in role
    unit = (site / "organization/units/freight.md").read_text("utf-8")
    assert unit.count("| --- |") >= 2 and "](../../capabilities/" in unit
    home = (site / "index.md").read_text("utf-8")  # the heatmap, read for its words
    assert "*Chart: Maturity by capability" in home
    assert re.search(r"^- \[Allocation\]\(capabilities/allocation\.md\): .*current", home, re.M)


def test_a_hostile_title_stays_literal(flat: Path) -> None:
    escaped = r"Alpha \| \*bold\* &lt;script>alert(1)&lt;/script>"
    assert escaped in (flat / "organization/raci.md").read_text("utf-8")
    index = (flat / "llms.txt").read_text()
    assert f"- [{md(HOSTILE)}](capabilities/alpha.md): {escaped} The first capability." in index
    for copy in [*flat.rglob("*.md"), flat / "llms.txt", flat / "llms-full.txt"]:
        assert "<script" not in copy.read_text("utf-8"), copy
    front = (flat / "capabilities/alpha.md").read_text("utf-8").split("---\n")[1]
    assert yaml.safe_load(front) == {"title": HOSTILE, "source": "alpha.html"}


def test_llms_txt_follows_the_proposal(flat: Path, site: Path) -> None:
    text = (site / "llms.txt").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Quillmark FinOps Knowledge Base" and lines[2].startswith("> How Quill")
    sections = [line for line in lines if line.startswith("## ")]
    assert sections == [
        "## Framework",
        "## Capabilities",
        "## Our organization",
        "## Units",
        "## About",
    ]
    assert "- [Allocation](capabilities/allocation.md): Assign every technology cost" in text
    assert "- [Quillmark Freight](organization/units/freight.md)" in text
    assert len(re.findall(r"^- \[", text, re.M)) == len(_pages(site))
    full = (site / "llms-full.txt").read_text("utf-8")
    assert full.count('\n---\ntitle: "') + 1 == len(_pages(site))
    assert (flat / "llms.txt").read_text().startswith("# Test KB\n\n> ")


def test_converter_handles_what_templates_do_not_write_today() -> None:
    html = (
        '<ol><li>one<ul><li><a href="x.html">two</a></li></ul></li></ol>'
        "<table><tr><td>a|b</td><td><code>c`d</code></td></tr></table>"
        "<p hidden>gone</p><svg><title>T</title><desc>D &amp; E</desc><text>x</text></svg>"
    )
    out = to_markdown(html, lambda href: href.replace(".html", ".md"))
    assert "1. one\n   - [two](x.md)" in out
    assert "|   |   |\n| --- | --- |\n| a\\|b | `c'd` |" in out
    assert "gone" not in out and "*Chart: T* D & E" in out


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


@pytest.mark.browser
def test_the_button_copies_the_page_markdown(page: Any, server: str, site: Path) -> None:
    page.goto(server + "capabilities/allocation.html")
    button = page.get_by_role("button", name="Copy this page as Markdown")
    button.click()
    page.locator(".fkb-copy-md-status", has_text="Copied").wait_for(timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (site / "capabilities/allocation.md").read_text("utf-8")
    assert all(url.startswith(server) for url in page.requests)
    page.emulate_media(media="print")
    assert not button.is_visible()


@pytest.mark.browser
def test_from_file_the_button_opens_the_markdown(page: Any, site: Path) -> None:
    page.goto((site / "capabilities/allocation.html").as_uri())
    page.get_by_role("button", name="Copy this page as Markdown").click()
    page.wait_for_url("**/capabilities/allocation.md")


def test_the_preview_keeps_unchanged_pages_in_llms_txt(flat: Path) -> None:
    # The live preview's dirty build renders only changed pages; the others' copies stay, and
    # their index entries are read back from them.
    file = File("capabilities/alpha.md", "content", str(flat), use_directory_urls=False)
    entry = markdown_pages._previous(file, (flat / "capabilities/alpha.md").read_text("utf-8"))
    assert (entry.path, entry.title) == ("capabilities/alpha.md", HOSTILE)
    assert entry.description
