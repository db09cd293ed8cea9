"""Search on the built bundled knowledge base, in headless Chromium: what people type finds the
page they mean first (current names, former names and slugs, the RACI matrix, role titles, KPI
names), over HTTP and opened from disk (`file://`, Material's offline plugin)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.browser

# `site`, `server` and `browser` (conftest.py): the bundled site built once per session.

TYPICAL = [
    # current names
    ("Rate Optimization", "capabilities/rate-optimization.html"),
    ("Usage Optimization", "capabilities/usage-optimization.html"),
    ("Sustainability", "capabilities/sustainability.html"),  # not "Sustainability Lead"
    # former names and slugs: not the role pages that match "Manager"
    ("Manage Commitment Based Discounts", "capabilities/rate-optimization.html"),
    ("manage-commitment-based-discounts", "capabilities/rate-optimization.html"),
    ("Workload Optimization", "capabilities/usage-optimization.html"),
    ("Cloud Policy & Governance", "capabilities/governance-policy-risk.html"),
    # generated pages: found by their intro, not their table cells
    ("RACI", "organization/raci.html"),
    ("RACI matrix", "organization/raci.html"),
    ("Maturity overview", "organization/maturity.html"),
    ("Review status", "about/review-status.html"),
    # role titles
    ("Head of FinOps", "organization/roles/head-of-finops.html"),
    ("IT Asset Manager", "organization/roles/itam-manager.html"),
    # KPI names: the capability whose practice defines them
    ("Commitment discount coverage", "capabilities/rate-optimization.html"),
    ("Forecast variance", "capabilities/forecasting.html"),
]


class SearchBox:
    """Material's search box on one open page; `top(query)` is the page of the first result."""

    def __init__(self, page, root: str) -> None:  # noqa: ANN001
        self.page, self.root = page, root
        page.locator("label.md-search__icon, .md-search__input").first.click()
        self.box = page.locator("input.md-search__input")
        self.items = page.locator(".md-search-result__item")
        for _attempt in range(10):  # a query typed before the index has loaded finds nothing
            try:
                self.top("budgeting", timeout=2000)
                return
            except PlaywrightTimeout:
                continue
        self.top("budgeting")

    def top(self, query: str, timeout: float = 5000) -> str:
        # Material searches on keyup; an empty query first clears the previous results, so the
        # first item that appears is this query's.
        self.box.fill("")
        self.box.press("End")
        self.items.first.wait_for(state="detached", timeout=timeout)
        self.box.fill(query)
        self.box.press("End")
        self.items.first.wait_for(timeout=timeout)
        href = self.items.first.locator("a").first.get_attribute("href") or ""
        path = urlsplit(href).path
        assert path.startswith(self.root), href
        return path[len(self.root) :]


@pytest.fixture(scope="module")
def search(browser, server: str) -> Iterator[SearchBox]:  # noqa: ANN001
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "index.html")
    yield SearchBox(page, urlsplit(server).path)
    context.close()


@pytest.mark.parametrize(("query", "expected"), TYPICAL, ids=[q for q, _ in TYPICAL])
def test_typical_queries_find_their_page_first(search: SearchBox, query: str, expected: str):
    assert search.top(query) == expected


def test_every_former_name_and_slug_finds_its_capability_first(search: SearchBox) -> None:
    wrong = {}
    for path in sorted((ROOT / "content" / "capabilities").glob("*.md")):
        meta = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        for alias in meta.get("aliases") or []:
            for query in (alias["title"], alias["slug"]):
                found = search.top(query)
                if found != f"capabilities/{path.stem}.html":
                    wrong[query] = found
    assert wrong == {}


def test_the_index_has_the_generated_pages_but_not_their_table_cells(site: Path) -> None:
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    pages = {d["location"].split("#")[0] for d in docs}
    assert {"organization/raci.html", "organization/maturity.html"} <= pages
    assert "about/review-status.html" in pages
    raci = " ".join(d["text"] for d in docs if d["location"].startswith("organization/raci"))
    assert "RACI matrix" in raci  # the intro
    activities = yaml.safe_load((ROOT / "playbooks" / "raci.yml").read_text("utf-8"))
    titles = [a["title"] for a in activities["activities"]]
    assert not [t for t in titles if t in raci]  # not the matrix: its rows are elsewhere
    maturity = " ".join(d["text"] for d in docs if d["location"].startswith("organization/mat"))
    assert "Crawl" in maturity and "Head of FinOps" not in maturity  # intro, not the owners


def test_search_works_from_disk_without_outside_requests(browser, site: Path) -> None:  # noqa: ANN001
    assert (site / "search" / "search_index.js").is_file()  # the offline plugin's inlined index
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto((site / "capabilities" / "budgeting.html").as_uri())
        assert page.locator("input.md-search__input").is_visible()  # Material hides it offline
        box = SearchBox(page, site.as_uri().removeprefix("file://") + "/")
        assert box.top("RACI matrix") == "organization/raci.html"
    finally:
        context.close()
    assert requests and all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests)
