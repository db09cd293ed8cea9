"""Build real Material sites in tmp_path and check what teams see."""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

import pytest
from kb import build_folders, build_killed_before_swap, tree_files

from generator.plugin.commands import build

EXTERNAL = re.compile(
    r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I
)


def _build(root: Path, strict: bool = True) -> Path:
    assert build(root / "site_config.yml", strict=strict, packs=False) == 0
    return root / "site"


def test_build_merges_playbooks_and_generates_views(base_repo: Path) -> None:
    config = base_repo / "site_config.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    site = _build(base_repo)
    cap = (site / "capabilities/alpha.html").read_text()
    assert 'id="in-our-organization"' in cap
    assert "We run the collection every night" in cap  # overlay procedure merged
    assert "Crawl → Walk" in cap and "90%" in cap  # maturity and local KPI
    assert "Collect cost data" in cap  # the capability's RACI row
    assert "https://git.example.org/kb/edit/main/playbooks/capabilities/alpha.md" in cap
    assert "Formerly" in cap and "Old Alpha" in cap  # alias, for search
    assert "CC BY 4.0" in cap and "FinOps Foundation" in cap  # attribution
    beta = (site / "capabilities/beta.html").read_text()
    assert 'href="alpha.html"' in beta  # related, both directions
    for page in (
        "index.html",
        "organization/raci.html",
        "organization/maturity.html",
        "organization/roles/lead.html",
        "organization/roles/engineer.html",
        "organization/adoption/index.html",
        "organization/adoption/plan.html",
        "organization/steering-committee.html",
        "about/review-status.html",
        "about/check-codes.html",
        "domains/understand.html",
        "personas/engineering.html",
    ):
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text()
    assert "<svg" in home and "fkb-hm-now" in home
    role = (site / "organization/roles/lead.html").read_text()
    assert "Collect cost data" in role and "Chair" in role and "Alpha" in role
    persona = (site / "personas/engineering.html").read_text()
    assert "Supplies data." in persona  # activities gathered
    redirect = (site / "capabilities/old-alpha.html").read_text()
    assert "url=alpha.html" in redirect
    docs = json.loads((site / "search/search_index.json").read_text())["docs"]
    indexed = {d["location"].split("#")[0] for d in docs}
    assert "capabilities/alpha.html" in indexed and "organization/roles/lead.html" in indexed
    for page in site.rglob("*.html"):
        assert "finops-kb part" not in page.read_text(), page  # every placeholder filled
    # the big tables repeat the capability pages: search finds their pages, not their cells
    assert {"organization/raci.html", "organization/maturity.html"} <= indexed
    assert "about/review-status.html" in indexed
    raci = [d["text"] for d in docs if d["location"].startswith("organization/raci.html")]
    assert raci and "Collect cost data" not in " ".join(raci)
    assert "data-search-exclude" not in (site / "organization/raci.html").read_text()


def test_no_request_leaves_the_site(base_repo: Path) -> None:
    site = _build(base_repo)
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert not EXTERNAL.search(text), page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


@pytest.mark.allow_warnings
def test_site_link_check_reports_broken_template_links(base_repo: Path, capfd) -> None:
    override = base_repo / "theme/main.html"
    override.write_text(
        '{% extends "base.html" %}{% block announce %}'
        '<a href="{{ base_url }}/nowhere.html">x</a>{% endblock %}'
    )
    assert build(base_repo / "site_config.yml", strict=True, packs=False) == 1
    err = capfd.readouterr().err
    # Once, at the template line that writes it, not once per page.
    assert "theme/main.html:1:1: error site-broken-link a generated link to `nowhere.html`" in err
    assert err.count("site-broken-link") == 1


@pytest.mark.allow_warnings
def test_failed_build_keeps_previous_site(base_repo: Path) -> None:
    site = _build(base_repo)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    cap = base_repo / "content/capabilities/alpha.md"
    cap.write_text(cap.read_text().replace("Feeds [Beta](beta.md).", "Feeds [Beta](nowhere.md)."))
    assert build(base_repo / "site_config.yml", strict=True, packs=False) == 1
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(base_repo.glob(".site-building-*"))


def test_interrupted_build_keeps_previous_site(base_repo: Path) -> None:
    assert build(base_repo / "site_config.yml", strict=True, packs=False) == 0
    site = base_repo / "site"
    before = tree_files(site)
    beta = (base_repo / "content/capabilities/beta.md").read_text()
    (base_repo / "content/capabilities/gamma.md").write_text(
        beta.replace("id: beta", "id: gamma").replace("slug: old-beta", "slug: old-gamma")
    )
    proc = build_killed_before_swap(base_repo)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # Killed once the new site was written in full, before it took the place of the old one.
    (building,) = build_folders(site)
    assert (building / "capabilities/gamma.html").is_file()
    assert tree_files(site) == before


@pytest.mark.allow_warnings
def test_broken_link_in_an_overlay_is_reported_at_the_overlay(base_repo: Path, capfd) -> None:
    overlay = base_repo / "playbooks/capabilities/alpha.md"
    overlay.write_text(
        overlay.read_text() + "\nSee [the maturity](../../content/capabilities/"
        "beta.md#maturity-levels).\n"
    )
    assert build(base_repo / "site_config.yml", strict=True, packs=False) == 1
    err = capfd.readouterr().err
    # `check` reports it at the overlay line; the site check does not report it again.
    assert "playbooks/capabilities/alpha.md:19:1: error broken-anchor" in err
    assert "site-broken-anchor" not in err


def test_link_check_reads_attributes_after_line_breaks(tmp_path: Path) -> None:
    from generator.plugin.html_links import broken_links

    (tmp_path / "index.html").write_text(
        '<a\nhref="nope.html">x</a> <h2\tid="sec">S</h2> <a href="#sec">ok</a>'
        ' <a data-href="ignored.html">x</a> <a href="#missing">bad</a>'
    )
    assert broken_links(tmp_path) == [
        ("index.html", "nope.html", "link"),
        ("index.html", "#missing", "anchor"),
    ]


def test_background_scan_finds_what_a_scan_from_disk_finds(tmp_path: Path) -> None:
    from generator.plugin.html_links import Scanner, broken_links

    pages = {
        "index.html": '<a href="a/b.html#top">b</a> <a href="gone.html">x</a>',
        "a/b.html": '<h1 id="top">B</h1> <a href="../index.html#nope">home</a>',
    }
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(html)
    expected = [("index.html", "gone.html", "link"), ("a/b.html", "../index.html#nope", "anchor")]
    scanner = Scanner()
    for name, html in pages.items():
        scanner.add(name, html)
    assert sorted(scanner.finish(tmp_path)) == sorted(expected)
    assert sorted(broken_links(tmp_path)) == sorted(expected)

    dead = Scanner()  # a scanner whose process died still gives the findings, from disk
    assert dead.proc is not None
    dead.proc.kill()
    dead.proc.wait()
    for name, html in pages.items():
        dead.add(name, html)
    assert sorted(dead.finish(tmp_path)) == sorted(expected)


def test_large_domains_are_grouped_so_each_page_carries_a_bounded_nav(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import nav

    assert [label for label, _ in nav.groups(["Cost Allocation", "Cost Planning"], str)] == [
        "Cost Allocation – Cost Planning"
    ]
    monkeypatch.setattr(nav, "GROUP_ABOVE", 1)
    monkeypatch.setattr(nav, "GROUP_SIZE", 1)
    config = base_repo / "site_config.yml"
    config.write_text(
        config.read_text().replace(
            "  font: false\n", "  font: false\n  features: [navigation.prune]\n"
        )
    )
    site = _build(base_repo)
    page = (site / "capabilities/alpha.html").read_text()
    primary = page[page.index("md-nav--primary") : page.index("md-sidebar--secondary")]
    assert "Alpha – Alpha" in primary and "Beta – Beta" in primary
    # Only the open group lists its pages; the other is one pruned link to its first page.
    assert primary.count('data-md-level="3"') == 1
    assert primary.count("md-nav__item--pruned") >= 1


def test_parts_stand_in_for_html_until_filled() -> None:
    from generator.render.html_parts import Parts

    parts = Parts()
    text = "Intro" + parts("<table><tr><td>x</td></tr></table>") + "## Next" + parts("")
    assert "<table>" not in text and text.count("finops-kb part") == 1
    assert parts.fill(f"<p>Intro</p>\n{text.split(chr(10))[2]}") == (
        "<p>Intro</p>\n<table><tr><td>x</td></tr></table>"
    )
    inline = Parts(inline=True)
    assert inline("<p>y</p>") == "\n\n<p>y</p>\n\n" and inline.fill("z") == "z"
