"""Onboarding packs: real PDFs, read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main


def _add_finops_only_activity(root: Path) -> None:
    """An activity only practitioners take part in: engineers must not see it."""
    raci = root / "playbooks/raci.yml"
    raci.write_text(
        raci.read_text() + "  - id: close-books\n    title: Close the monthly books\n"
        "    capability: beta\n    assignments:\n      lead: A\n      auditor: R\n"
    )
    org = root / "playbooks/organization.yml"
    org.write_text(
        org.read_text() + "  - id: auditor\n    title: Cost Auditor\n"
        "    persona: finops-practitioner\n"
    )


@pytest.fixture
def packs(base_repo: Path) -> Path:
    _add_finops_only_activity(base_repo)
    out = base_repo / "out"
    assert main(["-f", str(base_repo / "site_config.yml"), "pack", "--out", str(out)]) == 0
    return out


def _pages(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(pdf).pages]


def test_every_pack_is_rendered(packs: Path) -> None:
    assert sorted(p.name for p in packs.glob("*.pdf")) == ["engineering.pdf", "practitioners.pdf"]
    html = (packs / "engineering.html").read_text()
    assert html.startswith("<!doctype html>")
    # generated tables arrive as HTML, and their links point into the pack or become text
    assert "<table>" in html and "finops-kb part" not in html and ".html" not in html


def test_cover_contents_footer_and_bookmarks(packs: Path) -> None:
    pdf = packs / "engineering.pdf"
    pages = _pages(pdf)
    cover = pages[0]
    assert "example org" in cover.lower() and "FinOps for engineers" in cover
    assert "For: Engineering" in cover and "Version" in cover and "As of" in cover
    contents = pages[1]
    assert "Contents" in contents
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)
    titles = {t.strip(): int(n) for t, n in entries}
    assert {
        "Alpha",
        "Beta",
        "Who does what: your activities",
        "Steering Committee",
        "Key contacts",
    } <= set(titles)
    for title, number in titles.items():
        # the chapter really starts on the page the contents promise
        assert pages[number - 1].splitlines()[0] == title, (title, number)
    total = len(pages)
    for i, text in enumerate(pages[1:], start=2):
        assert f"Page {i} of {total}" in text
    outline = [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    assert outline[:3] == ["Contents", "Alpha", "Beta"]
    assert "Key contacts" in outline


def test_only_the_audience_raci_rows(packs: Path) -> None:
    engineering = "\n".join(_pages(packs / "engineering.pdf"))
    practitioners = "\n".join(_pages(packs / "practitioners.pdf"))
    assert "Collect cost data" in engineering
    assert "Close the monthly books" not in engineering
    assert "Close the monthly books" in practitioners


def test_fonts_are_embedded(packs: Path) -> None:
    reader = PdfReader(packs / "practitioners.pdf")
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for child in font.get("/DescendantFonts") or []:
                descriptors.append(child.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font.get("/BaseFont"))] = embedded
    assert fonts and all(fonts.values()), fonts


@pytest.mark.parametrize(
    "old,new,message,line",
    [
        ("- section: domains", "- page: nowhere.md", "unknown page `nowhere.md`", 26),
        ("roles: [lead]", "roles: [leed]", "unknown role `leed`", 24),
        (
            "- capabilities: audience",
            "- capabilities: [gamma]",
            "capability selection is empty",
            17,
        ),
    ],
)
def test_bad_pack_configuration_is_a_config_error(
    base_repo: Path, capsys, old: str, new: str, message: str, line: int
) -> None:
    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace(old, new))
    assert main(["-f", str(cfg), "check"]) == 1
    out = capsys.readouterr().out
    assert f"site_config.yml:{line}:1: error pack-config" in out and message in out
