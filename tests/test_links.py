"""Links after the build: each broken link once, at the file and line where it is written; and
sites with `use_directory_urls: true` build without false broken links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.core.layout import page_candidates, site_path
from generator.core.rules.links import Suggester
from generator.plugin.html_links import target_of

_DIAGNOSTIC = re.compile(
    r"(\S+?):(\d+):\d+: (?:error|warning) (site-broken-link|site-broken-anchor|broken-link) "
)


def _build(root: Path, capfd: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Build the site without packs; (exit status, `path:line code` of every link finding)."""
    status = main(["-f", str(root / "site_config.yml"), "build", "--no-packs"])
    output = capfd.readouterr()
    found = []
    for text in (output.out + output.err).split("\n"):
        m = _DIAGNOSTIC.search(text)
        if m:
            found.append(f"{m.group(1)}:{m.group(2)} {m.group(3)}")
    return status, found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.allow_warnings  # MkDocs itself warns about the links to the excluded page
def test_site_broken_link_is_reported_once_at_its_source_line(
    base_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # A page that `check` knows but MkDocs leaves out: links to it pass `check` and break in
    # the site, so only the site check can report them.
    (base_repo / "content/drafts").mkdir()
    (base_repo / "content/drafts/note.md").write_text(
        "---\nkind: page\ntitle: Note\n---\n# Note\n\nA draft.\n", "utf-8"
    )
    cfg = base_repo / "site_config.yml"
    _replace(
        cfg, "use_directory_urls: false\n", "use_directory_urls: false\nexclude_docs: drafts/\n"
    )
    # In an overlay, merged into the capability page, after a same-line decoy with a close name.
    _replace(
        base_repo / "playbooks/capabilities/alpha.md",
        "We run the collection every night;",
        "We run the collection every night.\n\nDrafts: [the note](../../content/drafts/note.md)"
        " and [note](../../content/drafts/note.md) again.\n\nStill;",
    )
    # In a persona's activities, shown on the capability page and on the persona page.
    _replace(
        base_repo / "content/capabilities/beta.md",
        "### Engineering\n\n- Supplies data.",
        "### Engineering\n\n- Supplies data.\n- Writes up [the\n  note](../drafts/note.md#note).",
    )
    # Raw HTML, which MkDocs passes through as written.
    _replace(
        base_repo / "content/capabilities/beta.md",
        "Fed by [Alpha](alpha.md).",
        'Fed by [Alpha](alpha.md) and\n<a href="gone.html">an old page</a>.',
    )
    status, found = _build(base_repo, capfd)
    overlay = (base_repo / "playbooks/capabilities/alpha.md").read_text().split("\n")
    beta = (base_repo / "content/capabilities/beta.md").read_text().split("\n")
    overlay_line = next(i for i, t in enumerate(overlay, 1) if t.startswith("Drafts:"))
    beta_line = next(i for i, t in enumerate(beta, 1) if "Writes up [the" in t)
    raw_line = next(i for i, t in enumerate(beta, 1) if "gone.html" in t)
    assert sorted(found) == [
        f"content/capabilities/beta.md:{beta_line} site-broken-link",
        f"content/capabilities/beta.md:{raw_line} site-broken-link",
        f"playbooks/capabilities/alpha.md:{overlay_line} site-broken-link",
    ]
    assert status == 1


def test_link_that_check_reports_is_not_reported_again(
    base_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _replace(
        base_repo / "content/capabilities/alpha.md",
        "Feeds [Beta](beta.md).",
        "Feeds [Beta](beta.md) and [a retired page](retired.md).",
    )
    status, found = _build(base_repo, capfd)
    assert status == 1
    assert found == ["content/capabilities/alpha.md:59 broken-link"]


def test_directory_urls_build_without_false_broken_links(
    base_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    cfg = base_repo / "site_config.yml"
    _replace(cfg, "use_directory_urls: false", "use_directory_urls: true")
    status, found = _build(base_repo, capfd)
    assert found == []
    assert status == 0
    site = base_repo / "site"
    assert (site / "capabilities/alpha/index.html").is_file()
    assert 'href="../beta/' in (site / "capabilities/alpha/index.html").read_text()


def test_site_targets_resolve_folder_urls_and_site_absolute_paths() -> None:
    assert target_of("capabilities/alpha", "../beta/") == ("capabilities/beta/index.html", "")
    assert target_of("capabilities", "../") == ("index.html", "")
    assert target_of("capabilities", "/organization/raci.html#a") == ("organization/raci.html", "a")
    assert target_of("capabilities", "/") == ("index.html", "")
    assert target_of("capabilities", "/../../etc/passwd") == ("../../etc/passwd", "")
    assert target_of("capabilities", "//cdn.example.org/x.js") is None
    assert target_of("capabilities", "#__tabbed_1") is None


def test_site_absolute_links_name_pages_in_every_url_form() -> None:
    assert site_path("/capabilities/x.md#a") == ("capabilities/x.md", "a")
    assert site_path("/") == (".", "")
    assert site_path("/a/../../b") == ("../b", "")
    assert page_candidates("capabilities/x.html", False) == [
        "capabilities/x.md",
        "capabilities/x/index.md",
    ]
    assert page_candidates("capabilities/x", True) == [
        "capabilities/x.md",
        "capabilities/x/index.md",
    ]
    assert page_candidates(".", False) == ["index.md"]


def test_suggestions_cost_the_same_whatever_the_number_of_names() -> None:
    names = [f"capability-number-{i}.md" for i in range(20000)] + ["budgeting.md"]
    suggest = Suggester(names)
    assert suggest.suggest("budgetting.md") == "budgeting.md"
    assert suggest.suggest("budget.md") == "budgeting.md"
    assert suggest.suggest("capability-numbr-7.md") == "capability-number-7.md"
    assert suggest.suggest("zzzzzzzz.md") is None
    small = Suggester(["definition", "why-it-matters", "maturity"])
    assert small.suggest("maturty") == "maturity"


@pytest.mark.allow_warnings  # MkDocs warns about a link it cannot resolve
def test_overlay_reference_definitions_are_reported_at_most_once_at_their_line(
    base_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # Both pass `check`. In the site, the relative one is re-pointed only if the merge rewrites
    # reference definitions, and the site-absolute one only if MkDocs' `absolute_links` is
    # `relative_to_docs`; if either stays as written it is reported once, at its definition.
    overlay = base_repo / "playbooks/capabilities/alpha.md"
    _replace(
        overlay,
        "We run the collection every night;",
        "We run [the collection][c] every night, see [beta][b];\n\n"
        "[c]: ../../content/capabilities/beta.md#definition\n[b]: /capabilities/beta.md\n\nThen",
    )
    _status, found = _build(base_repo, capfd)
    lines = overlay.read_text().split("\n")
    allowed = {
        f"playbooks/capabilities/alpha.md:{i} site-broken-link"
        for i, t in enumerate(lines, 1)
        if t.startswith(("[c]:", "[b]:"))
    }
    assert len(found) == len(set(found)) and set(found) <= allowed, found


def test_site_absolute_links_work_in_the_built_site(
    base_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    page = base_repo / "content/capabilities/alpha.md"
    page.write_text(page.read_text("utf-8") + "\nSee [beta](/capabilities/beta.md#definition).\n")
    status, found = _build(base_repo, capfd)
    assert (status, found) == (0, [])
    html = (base_repo / "site/capabilities/alpha.html").read_text("utf-8")
    assert 'href="beta.html#definition"' in html  # relative: the site also works from disk


@pytest.mark.allow_warnings
def test_severity_settings_apply_to_the_built_site_check(base_repo: Path, capfd) -> None:
    _replace(
        base_repo / "content/capabilities/alpha.md",
        "Feeds [Beta](beta.md).",
        'Feeds [Beta](beta.md) and <a href="gamma.html">Gamma</a>.',
    )
    assert _build(base_repo, capfd) == (1, ["content/capabilities/alpha.md:59 site-broken-link"])
    _replace(
        base_repo / "site_config.yml",
        "      review_interval_days: 365\n",
        "      review_interval_days: 365\n      severity:\n        site-broken-link: warning\n",
    )
    # Still reported, now as a warning: the build succeeds.
    status, found = _build(base_repo, capfd)
    assert status == 0 and found == ["content/capabilities/alpha.md:59 site-broken-link"]
