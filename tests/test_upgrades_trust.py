"""Framework upgrades (editions of former names, the What changed page, redirects of every
former URL) and reader trust (the overdue-review banner, the "report a problem" link)."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from kb import copy_base, one_error_line

from generator.cli import main
from generator.core import graph
from generator.core.check import check
from generator.core.config import ConfigError, load_config
from generator.core.trust import report_url
from generator.plugin.commands import build
from generator.render import trust_view, what_changed
from generator.render.context import render_context

ROOT = Path(__file__).parent.parent
REPORT = "https://git.example/finops/kb/issues/new?title={title}&body={page_url}%0A{path}"
_REFRESH = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path.name} lacks {old!r}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _option(root: Path, line: str) -> None:
    _edit(root / "site_config.yml", "      review_interval_days: 365\n", f"      {line}\n")


# --- What changed ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_page() -> str:
    config = load_config(ROOT / "site_config.yml")
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    return what_changed.page(render_context(g))


def _section(page: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = page.index(heading + "\n")
    rest = page[start + len(heading) :]
    stop = re.search(rf"^#{{1,{len(level)}}} ", rest, re.M)
    return rest[: stop.start()] if stop else rest


def test_what_changed_lists_each_edition_newest_first(bundled_page: str) -> None:
    headings = re.findall(r"^## FinOps Framework (\d{4})$", bundled_page, re.M)
    assert headings == ["2026", "2025", "2024"]
    assert "No capability was renamed" in _section(bundled_page, "## FinOps Framework 2025")


def test_what_changed_2026_renames_adds_and_removes(bundled_page: str) -> None:
    renamed = _section(bundled_page, "### Renamed in 2026")
    assert (
        "Benchmarking was renamed to [KPIs &amp; Benchmarking]"
        "(../capabilities/kpis-benchmarking.md)" in renamed
    )
    assert renamed.count("\n- ") == 6  # the six renames of 2026
    added = _section(bundled_page, "### Added in 2026")
    assert "[Executive Strategy Alignment](../capabilities/executive-strategy-alignment.md)" in (
        added
    )
    removed = _section(bundled_page, "### Removed in 2026")
    assert "Onboarding Workloads was removed" in removed
    assert "(../capabilities/architecting-workload-placement.md)" in removed


def test_what_changed_2024_merges_and_additions_under_their_names_then(bundled_page: str) -> None:
    merged = _section(bundled_page, "### Merged in 2024")
    assert "Cost Allocation was merged into [Allocation](../capabilities/allocation.md)" in merged
    assert (
        "Resource Utilization &amp; Efficiency was merged into Workload Optimization "
        "(today [Usage Optimization](../capabilities/usage-optimization.md))" in merged
    )
    renamed = _section(bundled_page, "### Renamed in 2024")
    assert "Managing Commitment Based Discounts was renamed to [Rate Optimization]" in renamed
    added = _section(bundled_page, "### Added in 2024")
    assert "Cloud Sustainability (today [Sustainability](../capabilities/sustainability.md))" in (
        added
    )
    assert added.count("\n- ") == 7


def test_former_names_say_their_edition_not_legacy(site: Path) -> None:
    page = (site / "capabilities" / "rate-optimization.html").read_text("utf-8")
    formerly = re.search(r'<h2 class="fkb-formerly"[^>]*>(.*?)</h2>', page)
    assert formerly, "the former names are a heading (search weighs them)"
    text = html.unescape(re.sub(r"<[^>]+>", "", formerly.group(1)))
    assert text == (
        "Formerly Managing Commitment Based Discounts "
        "(FinOps Framework 2023, manage-commitment-based-discounts)"
    )
    assert "legacy" not in page.lower().split('class="md-content"')[1]
    assert (site / "framework" / "what-changed.html").is_file()


# --- Redirects of every former URL -------------------------------------------------------------


@pytest.fixture(scope="module", params=[False, True], ids=["html-urls", "directory-urls"])
def small_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The base knowledge base built with either URL style, with an edition on its alias and
    the report link configured."""
    root = copy_base(tmp_path_factory.mktemp("kb") / "kb")
    urls = "true" if request.param else "false"
    _edit(root / "site_config.yml", "use_directory_urls: false", f"use_directory_urls: {urls}")
    _option(root, f'report_issue_url: "{REPORT}"')
    _edit(
        root / "content/capabilities/alpha.md",
        "    title: Old Alpha\n",
        ('    title: Old Alpha\n    framework: "2023"\n'),
    )
    site = root / "site"
    assert build(root / "site_config.yml", strict=True, site_dir=str(site), packs=False) == 0
    return site, request.param


def _landing(site: Path, redirect: str) -> Path:
    """The file a redirect page's meta refresh leads to."""
    match = _REFRESH.search((site / redirect).read_text("utf-8"))
    assert match, redirect
    target = posixpath.normpath(posixpath.join(posixpath.dirname(redirect), match.group(1)))
    if match.group(1).endswith("/"):
        target += "/index.html"
    return site / target


@pytest.mark.parametrize(
    "old",
    [
        "old-alpha.html",
        "old-alpha/index.html",
        "capabilities/old-alpha.html",
        "capabilities/old-alpha/index.html",
    ],
)
def test_every_former_url_redirects_in_both_url_styles(small_site, old: str) -> None:
    site, directory_urls = small_site
    redirect = (site / old).read_text("utf-8")
    assert "http:" not in redirect and "https:" not in redirect and "<script" not in redirect
    landing = _landing(site, old)
    expected = "capabilities/alpha/index.html" if directory_urls else "capabilities/alpha.html"
    assert landing == site / expected and landing.is_file()
    assert "Old Alpha is now" in redirect and ">Alpha</a>" in redirect


def test_a_redirect_never_takes_a_page_of_the_site(small_site) -> None:
    site, _ = small_site
    for page in ("index.html", "capabilities/alpha.html", "capabilities/alpha/index.html"):
        if (site / page).is_file():
            assert 'http-equiv="refresh"' not in (site / page).read_text("utf-8"), page


def test_what_changed_page_is_built_and_in_the_navigation(small_site) -> None:
    site, directory_urls = small_site
    page = site / (
        "framework/what-changed/index.html" if directory_urls else "framework/what-changed.html"
    )
    text = page.read_text("utf-8")
    assert "What changed in the framework" in text
    assert "Other former names" in text  # Old Beta records no edition
    home = (site / "index.html").read_text("utf-8")
    assert "What changed" in home


# --- The report link ---------------------------------------------------------------------------


def test_report_url_encodes_each_value_whole() -> None:
    url = report_url(REPORT, "R&D costs #1 / 50% off?", "content/a b.md", "https://kb/x.html?y=1")
    query = parse_qs(urlsplit(url).query)
    assert query["title"] == ["R&D costs #1 / 50% off?"]
    assert query["body"] == ["https://kb/x.html?y=1\ncontent/a b.md"]
    assert "#" not in url and " " not in url


def test_report_link_on_every_page_with_title_path_and_url(small_site) -> None:
    site, directory_urls = small_site
    alpha = site / (
        "capabilities/alpha/index.html" if directory_urls else "capabilities/alpha.html"
    )
    match = re.search(r'<p class="fkb-report"><a href="([^"]+)"', alpha.read_text("utf-8"))
    assert match
    query = parse_qs(urlsplit(html.unescape(match.group(1))).query)
    page_url = "capabilities/alpha/" if directory_urls else "capabilities/alpha.html"
    assert query == {
        "title": ["Alpha"],
        "body": [f"{page_url}\ncontent/capabilities/alpha.md"],
    }
    pages = [p for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text("utf-8")]
    without = [p for p in pages if 'class="fkb-report"' not in p.read_text("utf-8")]
    assert [p.name for p in without] == ["404.html"]


def test_page_url_uses_site_url_and_path_names_the_data_file(base_repo: Path) -> None:
    _option(base_repo, f'report_issue_url: "{REPORT}"')
    config = load_config(base_repo / "site_config.yml")
    g = graph.build(check(config).repo, config.content_dir, config.playbooks_dir)
    pages = {"capabilities/beta.md": "Beta", "organization/roles/lead.md": "FinOps Lead"}
    for directory_urls, beta_url in (
        (False, "capabilities/beta.html"),
        (True, "capabilities/beta/"),
    ):
        ctx = render_context(g, directory_urls)
        info = trust_view.page_info(ctx, config, pages, "https://kb.example/docs/")
        beta = parse_qs(urlsplit(info["capabilities/beta.md"]["report"]).query)
        assert beta["body"] == [f"https://kb.example/docs/{beta_url}\ncontent/capabilities/beta.md"]
        lead = parse_qs(urlsplit(info["organization/roles/lead.md"]["report"]).query)
        assert lead["title"] == ["FinOps Lead"]
        assert lead["body"][0].endswith("\nplaybooks/organization.yml")
        assert "overdue" not in info["capabilities/beta.md"]


def test_no_report_link_when_the_option_is_unset(base_repo: Path) -> None:
    out = base_repo / "site"
    assert build(base_repo / "site_config.yml", strict=True, site_dir=str(out), packs=False) == 0
    assert not any('class="fkb-report"' in p.read_text("utf-8") for p in out.rglob("*.html"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"javascript:alert(1)//{title}"', "must be an http:// or https:// address"),
        ("42", "must be text, not a whole number"),
        ('"https://git.example/new?t={titel}"', "unknown placeholder `{titel}`"),
        ('"https://git.example/new?t={title"', "unmatched `{`"),
        ('"https:///new"', "must be an http:// or https:// address"),
    ],
)
def test_a_bad_report_issue_url_is_one_error_at_its_line(
    base_repo: Path, capsys: pytest.CaptureFixture[str], value: str, expected: str
) -> None:
    _option(base_repo, f"report_issue_url: {value}")
    line = (base_repo / "site_config.yml").read_text("utf-8").splitlines().index(
        f"      report_issue_url: {value}"
    ) + 1
    with pytest.raises(ConfigError, match=re.escape(f"site_config.yml:{line}: ")):
        load_config(base_repo / "site_config.yml")
    assert main(["-f", str(base_repo / "site_config.yml"), "check"]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert f"site_config.yml:{line}:" in err and expected in err


# --- The overdue-review banner -----------------------------------------------------------------


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base knowledge base with Alpha's review a year overdue and Beta's in time."""
    root = copy_base(tmp_path_factory.mktemp("stale") / "kb")
    _edit(
        root / "content/capabilities/alpha.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2024-01-02",
    )
    site = root / "site"
    # Not strict: `check` warns about the overdue review, as it should.
    assert build(root / "site_config.yml", strict=False, site_dir=str(site), packs=False) == 0
    return site


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context()
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


@pytest.mark.browser
def test_stale_page_shows_owner_and_due_date_and_a_fresh_page_does_not(
    page, stale_site: Path
) -> None:
    page.goto((stale_site / "capabilities" / "alpha.html").as_uri())
    banner = page.locator(".fkb-stale")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "2025-01-01" in text and "FinOps Lead" in text
    banner.get_by_role("link", name="FinOps Lead").click()
    page.wait_for_load_state()
    assert page.url.endswith("/organization/roles/lead.html")
    page.goto((stale_site / "capabilities" / "beta.html").as_uri())
    assert page.locator(".fkb-stale").count() == 0
    assert all(u.startswith("file:") for u in page.requests)


@pytest.mark.browser
@pytest.mark.parametrize(
    "old",
    [
        "manage-commitment-based-discounts/",
        "capabilities/manage-commitment-based-discounts/",
        "manage-commitment-based-discounts.html",
    ],
)
def test_folder_style_old_url_lands_on_the_capability(page, server: str, old: str) -> None:
    page.goto(server + old)
    page.wait_for_url("**/capabilities/rate-optimization.html")
    assert page.locator("h1").first.inner_text().startswith("Rate Optimization")
    assert page.locator(".fkb-stale").count() == 0  # reviewed in time
    report = page.locator(".fkb-report a")
    href = report.get_attribute("href") or ""
    assert href.startswith("https://git.quillmark.example/finops/knowledge-base/issues/new?")
    assert parse_qs(urlsplit(href).query)["title"] == ["Rate Optimization"]
    assert all(u.startswith(server) for u in page.requests)


@pytest.mark.browser
def test_old_url_redirects_from_disk_too(page, site: Path) -> None:
    """Opened from file:// (a zip handed around), an old address still forwards."""
    page.goto((site / "manage-commitment-based-discounts" / "index.html").as_uri())
    page.wait_for_url("**/capabilities/rate-optimization.html")
    assert page.url.startswith("file:")
    assert all(u.startswith("file:") for u in page.requests)
