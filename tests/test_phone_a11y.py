"""The bundled site on a phone, on paper and to assistive technology (WCAG 2.1 AA, axe-core).

axe-core comes inside the axe-playwright-python wheel: nothing is downloaded at test time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe, AxeResults

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# One page of each kind the build generates or merges.
PAGES = [
    "index.html",
    "organization/raci.html",
    "organization/maturity.html",
    "capabilities/rate-optimization.html",
    "organization/roles/head-of-finops.html",
    "organization/units/parcel.html",
    "about/review-status.html",
]

# Violations that come from Material for MkDocs itself and that our theme cannot fix: the rule
# id and the exact element, nothing broader. None today: the search dialog's missing name is
# given by finops-kb.js.
MATERIAL_ONLY: set[tuple[str, str]] = set()


@pytest.fixture
def phone(browser, server: str) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_raci_matrix_on_a_phone_keeps_its_header_and_first_column_in_view(
    phone, server: str, tmp_path: Path
) -> None:
    phone.goto(server + "organization/raci.html")
    phone.screenshot(path=str(tmp_path / "raci-390x844.png"))
    assert (tmp_path / "raci-390x844.png").stat().st_size > 0
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page itself scrolls sideways"

    box = phone.locator(".fkb-scroll")
    box.evaluate("e => e.scrollIntoView()")
    box.evaluate("e => { e.scrollTop = 400; e.scrollLeft = 200; }")
    phone.wait_for_timeout(100)
    phone.screenshot(path=str(tmp_path / "raci-390x844-scrolled.png"))
    assert box.evaluate("e => [e.scrollTop, e.scrollLeft]") == [400, 200]

    header_bottom = phone.locator(".md-header").bounding_box()["height"]
    heads = phone.locator("table.fkb-raci thead th")
    first_row = phone.locator("table.fkb-raci tbody tr").first.bounding_box()
    assert first_row["y"] + first_row["height"] < header_bottom, "the rows did not scroll"
    for i in (0, 5, 10):  # the corner cell and role headers both sides of the scrolled-off ones
        cell = heads.nth(i).bounding_box()
        assert cell["y"] >= header_bottom - 1 and cell["y"] + cell["height"] <= PHONE["height"]
    corner, activity = heads.first.bounding_box(), phone.locator("tbody td").first.bounding_box()
    assert corner["x"] >= 0 and activity["x"] >= 0, "the activity column scrolled away"


def test_heatmap_and_dates_are_readable_on_a_phone(phone, server: str) -> None:
    phone.goto(server + "index.html")
    label = phone.locator("#heatmap-group .fkb-hm-label").first
    assert label.bounding_box()["height"] >= 12  # about 8 px when the SVG shrank to the screen
    run = phone.locator("#heatmap-group .fkb-hm-head").last.bounding_box()
    assert run["x"] + run["width"] <= PHONE["width"], "the Run column is off-screen"
    # Its labels are links a keyboard reaches, named by their text.
    link = phone.locator("#heatmap-group svg").get_by_role("link", name="Rate Optimization")
    assert link.evaluate("a => a.tabIndex") == 0
    link.focus()
    assert phone.evaluate("document.activeElement.textContent") == "Rate Optimization"

    phone.goto(server + "about/review-status.html")
    lines = phone.locator("td.fkb-date").evaluate_all(
        "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return r.getClientRects().length; })"
    )
    assert lines and set(lines) == {1}, "a date broke over two lines"


# Dark mode changes colours only: there axe runs the rules that read them.
COLOUR_RULES = {"runOnly": ["color-contrast", "link-in-text-block"], "resultTypes": ["violations"]}


def test_generated_pages_have_no_serious_accessibility_violation(browser, server: str) -> None:
    """Every axe rule in light mode, then the colour rules after Material's palette toggle has
    switched the page to dark (slate); with the palette that site_config.yml bundles."""
    context = browser.new_context()
    page, axe, found = context.new_page(), Axe(), []
    try:
        for path in PAGES:
            page.goto(server + path)
            assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
            found += _serious(path, "light", axe.run(page))
            page.locator("label[for='__palette_1']").first.click()  # the toggle: to dark
            assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
            found += _serious(path, "dark", axe.run(page, options=COLOUR_RULES))
            page.evaluate("localStorage.clear()")  # the next page opens light again
    finally:
        context.close()
    assert not found, "\n".join(found)


def _serious(path: str, scheme: str, results: AxeResults) -> list[str]:
    return [
        f"{path} ({scheme}): {v['id']} {n['target']} {n['html'][:120]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
        if (v["id"], " ".join(map(str, n["target"]))) not in MATERIAL_ONLY
    ]


def test_print_hides_the_chrome_and_fits_the_raci_matrix_to_the_page(browser, server) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(server + "organization/raci.html")
        for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
            assert not page.locator(chrome).first.is_visible(), chrome
        # A4 at 96 dpi less Chromium's default margins: the width the table gets on paper.
        page.set_viewport_size({"width": 718, "height": 1000})
        table = page.locator("table.fkb-raci").bounding_box()
        content = page.locator(".md-content").bounding_box()
        assert table["x"] >= content["x"] - 1
        assert table["x"] + table["width"] <= content["x"] + content["width"] + 1
        assert page.locator("table.fkb-raci thead th[data-role]").first.is_visible()
    finally:
        context.close()
