"""PDF packs: images and stylesheets from the site render; nothing from outside it is fetched.

One small pack, rendered with real WeasyPrint and read back with pypdf. Every refused fetch kind
of issue 9 (a `file:` URL, a path that climbs out, symlinks, a special file, a CSS import, an
attachment, the network) is planted in one page next to a legitimate PNG, SVG and stylesheet.
"""

from __future__ import annotations

import http.server
import logging
import os
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.core import graph as graph_stage
from generator.core.check import check
from generator.core.config import load_config
from generator.core.pack_specs import resolve
from generator.packs.pdf import FONTS, Rendered, local_file, render
from generator.render.context import render_context

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent
PACKS = """      packs:
        - id: pictures
          title: Pictures pack
          audience:
            personas: [engineering]
          include:
            - page: pictures.md
"""
PICTURES = """---
kind: page
title: Pictures
summary: A page with a PNG, an SVG and a stylesheet.
---
## Figures

![A chart](assets/chart.png)

![A diagram](assets/diagram.svg)

<link rel="stylesheet" href="assets/pack-extra.css">

<p class="fkb-test-styled">Styled paragraph.</p>
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#1f6feb"/>'
    '<text x="4" y="26" font-family="DejaVu Sans" font-size="14">SVG-DRAWN</text></svg>'
)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A minimal truecolour PNG, so the test needs no imaging library."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_repo(dest: Path) -> Path:
    """The minimal knowledge base with one pack made of one page with pictures."""
    shutil.copytree(CASES / "base", dest)
    shutil.copytree(ROOT / "theme", dest / "theme")
    cfg = dest / "site_config.yml"
    text = cfg.read_text().replace("../../../theme", "theme")
    cfg.write_text(text[: text.index("      packs:")] + PACKS)
    assets = dest / "content" / "assets"
    assets.mkdir()
    (assets / "chart.png").write_bytes(png(8, 8, (200, 30, 30)))
    (assets / "diagram.svg").write_text(SVG)
    # a stylesheet that imports a second one: both must be fetched from the site
    (assets / "pack-extra.css").write_text('@import url("pack-imported.css");\n')
    (assets / "pack-imported.css").write_text(
        '.fkb-test-styled::after { content: " IMPORTED-STYLE"; }\n'
    )
    (dest / "content" / "pictures.md").write_text(PICTURES)
    return dest


def images(pdf: Path) -> list[tuple[int, int]]:
    """Sizes of the distinct raster images (WeasyPrint shares one resource list among pages)."""
    found = {}
    for page in PdfReader(pdf).pages:
        for image in page.images:
            found[image.data] = image.image.size if image.image else (0, 0)
    return sorted(found.values())


def text(pdf: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(pdf).pages)


def assert_pictures(pdf: Path) -> None:
    assert (8, 8) in images(pdf), images(pdf)  # the PNG, as an image XObject
    words = text(pdf)
    assert "SVG-DRAWN" in words  # the SVG, drawn as vectors with its text
    assert "IMPORTED-STYLE" in words  # the stylesheet and the stylesheet it imports


def test_build_renders_images_and_stylesheets_of_the_site(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "kb")
    assert main(["-f", str(repo / "site_config.yml"), "build", "--strict"]) == 0
    packs = repo / "site" / "packs"
    assert_pictures(packs / "pictures.pdf")
    # the print-ready HTML beside the PDF finds the same files
    html = (packs / "pictures.html").read_text()
    assert 'src="../assets/chart.png"' in html and 'href="../assets/pack-extra.css"' in html


def test_pack_without_a_build_reads_the_docs_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "kb")
    out = tmp_path / "out"
    assert main(["-f", str(repo / "site_config.yml"), "pack", "--out", str(out)]) == 0
    assert_pictures(out / "pictures.pdf")
    assert 'src="../kb/content/assets/chart.png"' in (out / "pictures.html").read_text()


# --- refused fetches -----------------------------------------------------------------------


class _Server(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png(11, 11, (0, 0, 0)))

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Attack:
    done: Rendered
    warnings: list[str]
    outside: Path
    repo: Path


def _plant(repo: Path, outside: Path, server: str) -> None:
    """Files outside the repository and a page that reaches for them in every way we know."""
    outside.mkdir()
    for n, name in enumerate(["abs", "climb", "link", "dirlink", "svg", "inline"]):
        # each outside picture has its own size, so the PDF says which one leaked
        (outside / f"leak-{name}.png").write_bytes(png(20 + n, 5, (0, 160, 0)))
    (outside / "leak.css").write_text('p::before { content: "LEAKED-CSS "; }\n')
    (outside / "secret.txt").write_text("LEAKED-SECRET\n")
    assets = repo / "content" / "assets"
    (assets / "link.png").symlink_to(outside / "leak-link.png")
    (assets / "outdir").symlink_to(outside, target_is_directory=True)
    os.mkfifo(assets / "fifo.png")  # reading it would block the build forever
    # an SVG of the site that pulls in an outside picture itself
    (assets / "nested.svg").write_text(
        SVG.replace(
            "</svg>",
            f'<image href="file://{outside}/leak-svg.png" width="20" height="5"/></svg>',
        )
    )
    climb = "../" * 30 + str(outside).lstrip("/")
    page = repo / "content" / "pictures.md"
    page.write_text(
        page.read_text()
        + f"""
<img alt="abs" src="file://{outside}/leak-abs.png">

<img alt="etc" src="file:///etc/hostname">

<img alt="climb" src="{climb}/leak-climb.png">

<img alt="link" src="assets/link.png">

<img alt="dirlink" src="assets/outdir/leak-dirlink.png">

<img alt="fifo" src="assets/fifo.png">

<img alt="nested" src="assets/nested.svg">

<style>@import url("file://{outside}/leak.css");</style>

<svg width="30" height="10"><image href="file://{outside}/leak-inline.png" width="20"
height="5"/></svg>

<p><a rel="attachment" href="file:///etc/passwd">passwd</a>
<a rel="attachment" href="file://{outside}/secret.txt">secret</a>
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="file://{outside}/secret.txt"></p>

<img alt="net" src="http://{server}/net.png">

<link rel="stylesheet" href="https://{server}/net.css">
"""
    )


@pytest.fixture(scope="module")
def attack(tmp_path_factory: pytest.TempPathFactory, server: str) -> Attack:
    base = tmp_path_factory.mktemp("attack")
    repo = make_repo(base / "kb")
    _plant(repo, base / "outside", server)
    # Straight to the renderer: `check` may well refuse such a page first, and the renderer
    # must hold on its own.
    config = load_config(repo / "site_config.yml")
    result = check(config)
    g = graph_stage.build(result.repo, config.content_dir, config.playbooks_dir)
    pack = resolve(config, g)[0][0]
    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.finops-kb.pack")
    logger.addHandler(handler)
    try:
        done = render(render_context(g), pack, config, base / "out", [])
    finally:
        logger.removeHandler(handler)
    return Attack(done, seen, base / "outside", repo)


@pytest.mark.parametrize(
    "kind,url",
    [
        ("file URL", "file://{outside}/leak-abs.png"),
        ("file URL under /etc", "file:///etc/hostname"),
        ("climbing path", "file://{outside}/leak-climb.png"),
        ("symlink to a file", "file://{repo}/content/assets/link.png"),
        ("symlink to a folder", "file://{repo}/content/assets/outdir/leak-dirlink.png"),
        ("special file", "file://{repo}/content/assets/fifo.png"),
        ("image inside an SVG", "file://{outside}/leak-svg.png"),
        ("image inside an inline SVG", "file://{outside}/leak-inline.png"),
        ("CSS import", "file://{outside}/leak.css"),
        # <a rel="attachment" href="file:…"> already becomes plain text in pack_html (unsafe
        # URL); <link rel="attachment"> reaches WeasyPrint and the fetcher
        ("attachment", "file:///etc/passwd"),
        ("attachment", "file://{outside}/secret.txt"),
        ("http", "http://{server}/net.png"),
        ("https stylesheet", "https://{server}/net.css"),
    ],
)
def test_refused_fetch_is_a_warning_naming_pack_and_url(
    attack: Attack, server: str, kind: str, url: str
) -> None:
    url = url.format(outside=attack.outside, repo=attack.repo, server=server)
    assert url in attack.done.refused, (kind, attack.done.refused)
    assert any(w.startswith("pack pictures: did not fetch " + url) for w in attack.warnings), (
        kind,
        attack.warnings,
    )


def test_nothing_from_outside_reaches_the_pdf(attack: Attack) -> None:
    pdf = attack.done.pdf
    assert_pictures(pdf)  # the page's own pictures still render next to the attacks
    assert images(pdf) == [(8, 8)]  # and no other picture: none of the planted ones leaked
    words = text(pdf)
    assert "LEAKED" not in words
    assert PdfReader(pdf).attachments == {}
    raw = pdf.read_bytes()
    assert b"LEAKED" not in raw and b"root:" not in raw
    assert _Server.requests == []  # the network was never asked


@pytest.mark.allow_warnings
def test_strict_build_fails_on_a_refused_fetch(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "kb")
    page = repo / "content" / "pictures.md"
    page.write_text(page.read_text() + f'\n<img alt="net" src="http://{server}/strict.png">\n')
    assert main(["-f", str(repo / "site_config.yml"), "build", "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"pack pictures: did not fetch http://{server}/strict.png" in err
    assert not (repo / "site").exists()
    assert "/strict.png" not in _Server.requests


@pytest.mark.allow_warnings
def test_pack_command_fails_on_a_refused_fetch(
    tmp_path: Path,
    server: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    repo = make_repo(tmp_path / "kb")
    page = repo / "content" / "pictures.md"
    page.write_text(page.read_text() + f'\n<img alt="net" src="http://{server}/pack.png">\n')
    out = tmp_path / "out"
    assert main(["-f", str(repo / "site_config.yml"), "pack", "--out", str(out)]) == 1
    assert f"pack pictures: did not fetch http://{server}/pack.png" in caplog.text
    assert "refused to fetch 1 URL(s) into the packs" in capsys.readouterr().err
    assert "/pack.png" not in _Server.requests


@pytest.mark.parametrize(
    "url",
    [
        "file://example.org/etc/passwd",
        "file:relative.png",
        "file:///{root}/../outside.png",
        "ftp://example.org/x.png",
        "file:///{root}/%2e%2e/outside.png",
        "file:///{root}/a%00b.png",
    ],
)
def test_local_file_refuses(tmp_path: Path, url: str) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes(b"x")
    path, reason = local_file(url.format(root=str(root).lstrip("/")), root)
    assert path is None and reason


def test_local_file_accepts_site_files_and_the_packs_fonts(tmp_path: Path) -> None:
    (tmp_path / "a b.png").write_bytes(b"x")
    assert local_file((tmp_path / "a b.png").as_uri(), tmp_path) == (tmp_path / "a b.png", "")
    font = FONTS / "DejaVuSans.ttf"
    assert local_file(font.as_uri(), tmp_path) == (font, "")


def test_local_file_refuses_system_fonts_and_other_files_beside_the_fonts(tmp_path: Path) -> None:
    # the packs' fonts ship with the package: the build machine's fonts are outside like any file
    for font in sorted(Path("/usr/share/fonts").rglob("*.ttf"))[:1]:
        assert local_file(font.as_uri(), tmp_path)[0] is None
    for name in ("LICENSE", "fonts.css"):
        assert local_file((FONTS / name).as_uri(), tmp_path)[0] is None
