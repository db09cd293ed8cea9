"""Accessible packs: tagged PDF/UA-1, fonts that ship with the package, no near-empty pages.

Real WeasyPrint renders, read back with pypdf. The minimal knowledge base gets one page with a
picture; one bundled pack (leadership: tables, lists, credits, a heatmap) stands for the rest in
the page-fill check, so the module stays under half a minute.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb import ROOT, copy_base
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.cli import main
from generator.packs.pdf import FONTS

PICTURE_PAGE = """---
kind: page
title: Pictures
summary: A page with a picture.
---
## A figure

![Monthly cost by team](assets/chart.png)

Text after the picture.
"""
PACK_FONTS = {
    "Pack-Sans",
    "Pack-Sans-Bold",
    "Pack-Sans-Italic",
    "Pack-Sans-Bold-Italic",
    "Pack-Mono",
}
"""Base font names WeasyPrint gives the families of generator/packs/fonts/fonts.css."""
MM = 72 / 25.4
NEAR_EMPTY = 0.12
"""A page whose body text ends within the top 12 % of the text area is near-empty: one credit
line or a two-row table tail filled 5-11 % before issue 14."""


def _png() -> bytes:
    raw = b"\x00" + b"\x10\x80\xc0" * 4
    body = b"".join(
        struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
        for tag, data in [
            (b"IHDR", struct.pack(">IIBBBBB", 4, 1, 8, 2, 0, 0, 0)),
            (b"IDAT", zlib.compress(raw)),
            (b"IEND", b""),
        ]
    )
    return b"\x89PNG\r\n\x1a\n" + body


def _kb(dest: Path) -> Path:
    """The minimal knowledge base; its engineering pack ends with a page with a picture."""
    repo = copy_base(dest)
    (repo / "content/assets").mkdir()
    (repo / "content/assets/chart.png").write_bytes(_png())
    (repo / "content/pictures.md").write_text(PICTURE_PAGE)
    cfg = repo / "site_config.yml"
    text = cfg.read_text()
    cfg.write_text(
        text.replace(
            "            - contacts\n",
            "            - contacts\n" + " " * 12 + "- page: pictures.md\n",
            1,
        )
    )
    return repo


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = _kb(tmp_path_factory.mktemp("a11y") / "kb")
    out = repo.parent / "out"
    assert (
        main(["-f", str(repo / "site_config.yml"), "pack", "engineering", "--out", str(out)]) == 0
    )
    return out / "engineering.pdf"


@pytest.fixture(scope="module")
def leadership(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled")
    assert main(["-f", str(ROOT / "site_config.yml"), "pack", "leadership", "--out", str(out)]) == 0
    return out / "leadership.pdf"


def _structure(root: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every structure element below `root`, depth first (in reading order)."""
    kids = root.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        element = kid.get_object()
        if isinstance(element, DictionaryObject) and "/S" in element:
            yield element
            yield from _structure(element)


def test_pack_is_a_tagged_pdf_ua_with_language_and_title(small: Path) -> None:
    reader = PdfReader(small)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    title = "FinOps for engineers — Example Org"
    assert reader.metadata is not None and reader.metadata.title == title
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": title}
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()

    elements = list(_structure(catalog["/StructTreeRoot"].get_object()))
    kinds = [str(e["/S"]) for e in elements]
    for kind in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link", "/Figure"):
        assert kind in kinds, kind
    # one H1 per chapter plus the cover's and the contents' titles
    chapters = len(re.findall(r'<section class="chapter"', small.with_suffix(".html").read_text()))
    assert kinds.count("/H1") == chapters + 2
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [f.get("/Alt") for f in figures] == ["Monthly cost by team"]


def _base_fonts(pdf: Path) -> dict[str, bool]:
    """Base font name (subset prefix removed) -> whether its file is embedded, for every page."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                child.get_object().get("/FontDescriptor")
                for child in font.get("/DescendantFonts") or []
            ]
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            fonts[name] = any(
                d is not None and any(k in d.get_object() for k in ("/FontFile2", "/FontFile3"))
                for d in descriptors
            )
    return fonts


def test_pdfs_embed_only_the_fonts_of_the_package(small: Path, leadership: Path) -> None:
    for pdf in (small, leadership):
        fonts = _base_fonts(pdf)
        assert fonts and set(fonts) <= PACK_FONTS, (pdf.name, fonts)
        assert all(fonts.values()), fonts
    # the heatmap's SVG text and the body text alike
    assert {"Pack-Sans", "Pack-Sans-Bold"} <= set(_base_fonts(leadership))


def test_packs_render_the_same_on_a_machine_without_fonts(small: Path, tmp_path: Path) -> None:
    """Fontconfig sees no font at all in the child: whatever the PDF shows comes from the wheel."""
    repo = _kb(tmp_path / "kb")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<fontconfig><cachedir>'
        f"{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    out = tmp_path / "out"
    args = ["-f", str(repo / "site_config.yml"), "pack", "engineering", "--out", str(out)]
    code = f"from generator.cli import main; raise SystemExit(main({args!r}))"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "No fonts configured" in done.stderr  # the child really had no system font
    pdf = out / "engineering.pdf"
    assert set(_base_fonts(pdf)) == set(_base_fonts(small))
    assert [p.extract_text() for p in PdfReader(pdf).pages] == [
        p.extract_text() for p in PdfReader(small).pages
    ]


def test_fonts_ship_with_their_licence() -> None:
    names = {p.name for p in FONTS.iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSansMono.ttf", "LICENSE", "fonts.css"} <= names
    licence = (FONTS / "LICENSE").read_text()
    assert "Bitstream Vera" in licence and "Arev" in licence
    for url in re.findall(r'url\("([^"]+)"\)', (FONTS / "fonts.css").read_text()):
        assert (FONTS / url).is_file(), url


def _fill(page: object) -> float:
    """How far down the text area (0 top, 1 bottom) the page's body text reaches."""
    height = float(page.mediabox.height)  # type: ignore[attr-defined]
    top, bottom = height - 24 * MM, 22 * MM  # pack.css @page margins
    ys: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            ys.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    body = [y for y in ys if bottom < y < top]  # not the running header and footer
    return (top - min(body)) / (top - bottom) if body else 0.0


def test_no_near_empty_pages(leadership: Path) -> None:
    pages = PdfReader(leadership).pages
    fills = {n: _fill(page) for n, page in enumerate(pages[1:], start=2)}  # the cover is short
    near_empty = {n: round(f, 2) for n, f in fills.items() if f < NEAR_EMPTY}
    assert not near_empty, near_empty
    # the credit line closes its chapter on the same page as some of the chapter's text
    for n, page in enumerate(pages[1:], start=2):
        text = page.extract_text()
        credit = text.find("Adapted from")
        if credit != -1:
            assert len(text[:credit].strip().splitlines()) >= 2, (n, text[:300])
