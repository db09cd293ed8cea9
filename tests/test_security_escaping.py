"""Text from YAML and front matter never reaches the site or the packs as live HTML.

One injected value per field kind the generator renders, in a copy of the minimal repository;
one real site build for the whole module, and one pack rendered from the same data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from kb import copy_base

from generator.core.check import check
from generator.core.config import load_config
from generator.core.graph import Graph
from generator.core.graph import build as build_graph
from generator.core.pack_specs import resolve
from generator.packs.html import render_html
from generator.plugin.commands import build
from generator.render import framework_pages as pages
from generator.render import generated_pages as views
from generator.render import org_pages as org_views
from generator.render.context import RenderContext, render_context

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LIVE = ("<script>alert(", "<img src=x onerror")


HAND = "<!-- finops-kb part 99 -->"


def _payload(field: str, n: int) -> str:
    """A distinct value per field, alternating the two classic payloads."""
    return f"{field} {SCRIPT if n % 2 else IMG}"


FIELDS = (
    "org",
    "role-title",
    "team",
    "contact",
    "cadence",
    "quorum",
    "decision",
    "threshold",
    "criterion",
    "status",
    "capability",
    "summary",
    "domain",
    "persona",
    "phase",
    "kpi-name",
    "kpi-target",
    "kpi-current",
    "alias-title",
    "alias-slug",
    "source-title",
    "pack",
)
P = {field: _payload(field, n) for n, field in enumerate(FIELDS)}


def _replace(root: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, (rel, old)
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


def _q(value: str) -> str:
    """`value` as a YAML flow scalar."""
    return yaml.safe_dump(value, default_style='"', width=1000).strip()


def inject(root: Path) -> None:
    _replace(
        root,
        "playbooks/organization.yml",
        ("name: Example Org", f"name: {_q(P['org'])}"),
        ("title: FinOps Lead", f"title: {_q(P['role-title'])}"),
        ("team: FinOps", f"team: {_q(P['team'])}"),
        ("contact: finops@example.org", f"contact: {_q(P['contact'])}"),
    )
    _replace(
        root,
        "playbooks/steering-committee.md",
        ("cadence: Monthly", f"cadence: {_q(P['cadence'])}"),
        ("quorum: 2", f"quorum: {_q(P['quorum'])}"),
        ("decision: Commitments", f"decision: {_q(P['decision'])}"),
        ("threshold: Above USD 10,000", f"threshold: {_q(P['threshold'])}"),
    )
    _replace(
        root,
        "playbooks/adoption/plan.md",
        ("criterion: Sponsor named", f"criterion: {_q(P['criterion'])}"),
    )
    _replace(
        root,
        "content/capabilities/alpha.md",
        ("title: Alpha", f"title: {_q(P['capability'])}"),
        ("summary: The first capability.", f"summary: {_q(P['summary'])}"),
        ("title: Old Alpha", f"title: {_q(P['alias-title'])}"),
        ("- title: Alpha\n", f"- title: {_q(P['source-title'])}\n"),
        # A placeholder of the generated parts, written by hand, names no part: kept as is.
        ("Without it nothing else works.", "Without it nothing else works.\n\n" + HAND),
    )
    _replace(
        root, "content/domains/understand.md", ("title: Understand", f"title: {_q(P['domain'])}")
    )
    _replace(
        root,
        "content/personas/engineering.md",
        ("title: Engineering", f"title: {_q(P['persona'])}"),
    )
    _replace(
        root,
        "playbooks/capabilities/alpha.md",
        ("name: Coverage", f"name: {_q(P['kpi-name'])}"),
        ("target: 90%", f"target: {_q(P['kpi-target'])}"),
        ("current: 70%", f"current: {_q(P['kpi-current'])}"),
    )
    (root / "content/phases").mkdir()
    (root / "content/phases/inform.md").write_text(
        f"---\nkind: phase\nid: inform\ntitle: {_q(P['phase'])}\norder: 1\n"
        "summary: Make spend visible.\nsources:\n  - title: Inform\n"
        "    url: https://www.finops.org/framework/phases/\n---\n"
        "## Overview\n\nWhat is spent, by whom.\n",
        "utf-8",
    )
    _replace(
        root,
        "site_config.yml",
        ("title: FinOps for engineers", f"title: {_q(P['pack'])}"),
        ("plugins:\n", "plugins:\n  - search\n"),  # its index is read as HTML by the browser
    )


OVERRIDE = '<div class="our-charter">Meets {{ cadence }}; quorum {{ quorum }}</div>\n'
"""A theme's own charter facts (theme/parts/charter-facts.html): overrides, still escaped."""


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_base(tmp_path_factory.mktemp("xss") / "kb")
    inject(root)
    (root / "theme/parts").mkdir()
    (root / "theme/parts/charter-facts.html").write_text(OVERRIDE, "utf-8")
    return root


@pytest.fixture(scope="module")
def site(injected: Path) -> Path:
    assert build(injected / "site_config.yml", packs=False) == 0
    return injected / "site"


@pytest.fixture(scope="module")
def site_pages(site: Path) -> dict[str, str]:
    files = [*site.rglob("*.html"), site / "search/search_index.json"]
    return {str(p.relative_to(site)): p.read_text("utf-8") for p in files}


def _live(pages: dict[str, str]) -> list[str]:
    """Every live payload in `pages`, with the text around it."""
    return [
        f"{name}: {text[max(0, m.start() - 80) : m.start() + 40]!r}"
        for name, text in pages.items()
        for bad in LIVE
        for m in re.finditer(re.escape(bad), text)
    ]


def _shown(field: str) -> re.Pattern[str]:
    """The payload of `field` as visible, escaped text (quotes may be escaped or not)."""
    tail = (
        "&lt;script&gt;alert(1)&lt;/script&gt;"
        if P[field].endswith(SCRIPT)
        else ("&gt;&lt;img src=x onerror=alert(1)&gt;")
    )
    quote = "" if P[field].endswith(SCRIPT) else '(?:"|&quot;|&#34;|&#x27;)'
    return re.compile(re.escape(field) + " " + quote + re.escape(tail))


SITE_FIELDS = [f for f in FIELDS if f not in ("pack", "alias-slug", "status")]


def test_no_page_carries_a_live_payload(site_pages: dict[str, str]) -> None:
    live = _live(site_pages)
    assert not live, "\n".join(live)


@pytest.mark.parametrize("field", SITE_FIELDS)
def test_each_field_is_shown_as_text(site_pages: dict[str, str], field: str) -> None:
    shown = _shown(field)
    assert any(shown.search(text) for text in site_pages.values()), field


def test_titles_are_escaped_in_navigation_and_title(site_pages: dict[str, str]) -> None:
    role = site_pages["organization/roles/lead.html"]
    title = re.search(r"<title>(.*?)</title>", role, re.S)
    assert title and _shown("role-title").search(title.group(1))
    cap = site_pages["capabilities/alpha.html"]
    nav = cap[cap.index("md-nav--primary") : cap.index("md-sidebar--secondary")]
    assert _shown("capability").search(nav) and _shown("org").search(nav)


def test_a_theme_overrides_a_part_and_it_is_still_escaped(site_pages: dict[str, str]) -> None:
    charter = site_pages["organization/steering-committee.html"]
    assert '<div class="our-charter">Meets cadence' in charter
    assert _shown("cadence").search(charter) and _shown("quorum").search(charter)
    assert "<strong>Cadence:</strong>" not in charter


def test_a_placeholder_written_by_hand_stays_a_comment(site_pages: dict[str, str]) -> None:
    assert HAND in site_pages["capabilities/alpha.html"]


def test_theme_templates_get_the_organization_as_html(injected: Path) -> None:
    site, _, _ = _setup(injected)
    assert site.org_html == "org &#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def test_content_model_page_shows_its_placeholders(site_pages: dict[str, str]) -> None:
    page = site_pages["about/content-model-reference.html"]
    assert "playbooks/adoption/&lt;id&gt;.md" in page
    assert "<id>" not in page and "adoption/.md" not in page


def _setup(root: Path) -> tuple[RenderContext, Graph, list[Any]]:
    config = load_config(root / "site_config.yml")
    result = check(config)
    g = build_graph(result.repo, config.content_dir, config.playbooks_dir)
    site = render_context(g, custom_dir=str(root / "theme"))
    return site, g, resolve(config, g)[0]


@pytest.mark.parametrize("pack_id", ["engineering", "practitioners"])
def test_packs_carry_no_live_payload(injected: Path, pack_id: str) -> None:
    site, _, packs = _setup(injected)
    pack = next(p for p in packs if p.id == pack_id)
    text = render_html(site, pack, injected, dt.date(2026, 7, 1))
    live = _live({pack_id: text})
    assert not live, "\n".join(live)
    fields = {
        "engineering": [
            "pack",
            "capability",
            "summary",
            "kpi-name",
            "kpi-target",
            "team",
            "contact",
            "cadence",
            "decision",
            "threshold",
            "source-title",
        ],
        "practitioners": ["domain", "role-title", "org"],
    }[pack_id]
    missing = [f for f in fields if not _shown(f).search(text)]
    assert not missing, missing


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["toc", "tables", "attr_list", "md_in_html"])


def test_values_the_schema_refuses_are_escaped_all_the_same(injected: Path) -> None:
    """A status or alias slug that check would refuse, rendered anyway (check ignored)."""
    site, g, _ = _setup(injected)
    plan = g.adoption[0]
    plan.meta["status"] = P["status"]
    alpha = g.capabilities["alpha"]
    alpha.meta["aliases"][0]["slug"] = "old-alpha"
    alpha.meta["aliases"].append({"slug": "x", "title": P["alias-slug"]})
    out = {
        "phase": _html(org_views.adoption_phase(site, plan)),
        "index": _html(org_views.adoption_index(site)),
        "alpha": _html(pages.render(site, alpha)),
        **views.redirects(site),
    }
    live = _live(out)
    assert not live, "\n".join(live)
    assert 'class="fkb-status"' in out["phase"]  # an unknown status gets no class of its own
    assert _shown("status").search(out["phase"]) and _shown("alias-slug").search(
        out["x.html"] if "x.html" in out else out["capabilities/x.html"]
    )


def test_unsafe_urls_are_check_errors_and_never_links(base_repo: Path) -> None:
    org, cap = base_repo / "playbooks/organization.yml", base_repo / "content/capabilities/alpha.md"
    original = {org: org.read_text(), cap: cap.read_text()}
    org.write_text(original[org].replace("https://git.example.org/kb", "javascript:alert(1)"))
    cap.write_text(
        original[cap].replace(
            "https://www.finops.org/framework/capabilities/alpha/", "JavaScript:alert(2)"
        )
    )
    result = check(load_config(base_repo / "site_config.yml"))
    errors = {(d.path, d.line) for d in result.diagnostics if d.severity == "error"}
    assert ("playbooks/organization.yml", 2) in errors
    assert ("content/capabilities/alpha.md", 19) in errors
    # Rendered anyway, as if check were ignored: the text stays, the link goes.
    for path, text in original.items():
        path.write_text(text)
    site, g, _ = _setup(base_repo)
    site = dataclasses.replace(site, repo_url="javascript:alert(1)")
    alpha = g.capabilities["alpha"]
    alpha.meta["sources"] = [{"title": "Alpha", "url": "JavaScript:alert(2)"}]
    text = _html(pages.render(site, alpha))
    assert "Edit our practice" in text and "Adapted from Alpha by" in text
    assert not re.search(r"href=\"\s*javascript", text, re.I), text


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


BROWSED = [
    f"{p}.html"
    for p in (
        "index",
        "capabilities/alpha",
        "domains/understand",
        "personas/engineering",
        "phases/inform",
        "organization/index",
        "organization/roles/lead",
        "organization/roles/engineer",
        "organization/steering-committee",
        "organization/adoption/index",
        "organization/adoption/plan",
        "organization/raci",
        "organization/maturity",
        "about/review-status",
    )
]
"""One page per generator that shows injected data (every page shares the navigation)."""


@pytest.mark.browser
def test_nothing_runs_in_a_browser(site: Path) -> None:
    """The injected site's pages, and a search listing the injected titles, in Chromium: a
    payload that ran would open an alert dialog."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    dialogs: list[str] = []
    chromium = (
        os.environ.get("FINOPS_KB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True
            )
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
            for rel in BROWSED:
                page.goto(base + rel, wait_until="load")
            page.goto(base + "index.html")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            # Typed key by key: the search runs on input once its index is loaded.
            page.locator("input.md-search__input").press_sequentially("capability", delay=30)
            page.locator(".md-search-result__item").first.wait_for(timeout=15000)
            titles = " ".join(page.locator(".md-search-result__item h1").all_inner_texts())
            page.wait_for_timeout(300)  # an onerror handler fires once the image fails
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert not dialogs, dialogs
    assert f"capability {IMG}" in titles  # shown as text
