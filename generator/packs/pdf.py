"""Render packs to PDF with WeasyPrint: no browser, no network, no file from outside the site.

A pack page is HTML that many people can edit (Markdown keeps raw HTML), and WeasyPrint would
otherwise embed whatever a URL names: `<img src="file:///…">`, a stylesheet `@import`, an
`<a rel="attachment">` or `../../..` paths that climb out. `SiteFetcher` is the only way in.

The PDFs are PDF/UA-1: tagged (headings, lists, tables, figures with their alt text, reading
order), with the document's language and title. Their fonts ship in `fonts/` next to this module,
so a pack looks the same whatever fonts the building machine has.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..core.config import Config
from ..core.pack_specs import Pack
from ..render.context import RenderContext
from .html import render_html

# A child of MkDocs' logger: `build --strict` counts these warnings, as it counts MkDocs' own.
log = logging.getLogger("mkdocs.finops-kb.pack")

FONTS = (Path(__file__).parent / "fonts").resolve()
"""The packs' own fonts (DejaVu, see its LICENSE): the one folder outside the site packs read."""
FONTS_CSS = FONTS / "fonts.css"
"""Their `@font-face` rules, with URLs relative to `FONTS`."""
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2"})
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for screen readers: structure tree, /MarkInfo, /Lang, the title shown as such."""


@dataclass(frozen=True, slots=True)
class Rendered:
    pack: str
    pdf: Path
    html: Path
    pages: int
    seconds: float
    refused: tuple[str, ...] = ()
    """URLs the pack named but was not allowed to fetch (each one was logged as a warning)."""


class RefusedFetch(ValueError):
    """Raised inside WeasyPrint, which skips the resource and goes on rendering."""


class SiteFetcher(URLFetcher):  # type: ignore[misc]
    """Fetch `data:` URLs and regular files inside `root` (and the packs' fonts), nothing else.

    `root` is the built site (`finops-kb build`) or the docs folder (`finops-kb pack`). Paths
    are resolved before the check, so symlinks and `..` cannot leave it.
    """

    def __init__(self, pack: str, root: Path, where: str) -> None:
        super().__init__(
            allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False
        )
        self.pack = pack
        self.root = root.resolve()
        self.where = where
        """`root` as the user knows it: the build's own folder is temporary."""
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path, reason = local_file(url, self.root)
        if path is None:
            self._refuse(url, reason)
        # Open the resolved path, so what is read is what was checked.
        return super().fetch(path.as_uri(), headers)

    def _refuse(self, url: str, reason: str) -> NoReturn:
        if url not in self.refused:
            self.refused.append(url)
            log.warning(
                f"pack {self.pack}: did not fetch {_short(url)}: {reason}; packs read only "
                f"files inside {self.where} (put the file in the docs folder and refer to it "
                "with a relative path)"
            )
        raise RefusedFetch(f"{url}: {reason}")


def local_file(url: str, root: Path) -> tuple[Path | None, str]:
    """The regular file a `file:` URL names if it lies inside `root` (resolved), else a reason."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, "not a valid URL"
    if parts.scheme.lower() != "file":
        return None, "packs never fetch from the network"
    if parts.netloc not in ("", "localhost"):
        return None, "a file on another host"
    path = Path(url2pathname(parts.path))
    if not path.is_absolute():
        return None, "not an absolute file URL"
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte (%00) in the path
        return None, "no such file"
    if not (real.is_relative_to(root) or _is_font(real)):
        return None, "outside the folder packs may read"
    if not real.is_file():
        return None, "not a regular file"
    return real, ""


def _is_font(path: Path) -> bool:
    return path.suffix.lower() in FONT_SUFFIXES and path.is_relative_to(FONTS)


def _short(url: str, limit: int = 200) -> str:
    """`data:`-like or hostile URLs can be huge or hold line breaks: keep the message one line."""
    flat = url.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[:limit] + "…"


def render(
    ctx: RenderContext,
    pack: Pack,
    config: Config,
    out_dir: Path,
    template_dirs: list[Path] | None = None,
    root: Path | None = None,
) -> Rendered:
    """Write `<id>.pdf` and its print-ready `<id>.html` into `out_dir`.

    `root` is the only folder the PDF may read files from: the built site, or by default the
    docs folder. Relative image paths of chapters are rewritten to point into it.
    """
    start = time.perf_counter()
    where = "the built site" if root else f"the docs folder {config.content_dir}/"
    root = root or config.root / config.content_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    today = config.today or dt.date.today()
    prefix = Path(os.path.relpath(root.resolve(), out_dir.resolve())).as_posix() + "/"
    html = render_html(ctx, pack, config.root, today, template_dirs, asset_prefix=prefix)
    html_path = out_dir / f"{pack.id}.html"
    html_path.write_text(html, "utf-8")
    fetcher = SiteFetcher(pack.id, root, where)
    fonts = FontConfiguration()
    # A stylesheet of its own, not part of pack.css: its URLs must resolve inside the package,
    # while pack.css is inlined in the HTML and resolves against the output folder.
    font_css = CSS(
        string=FONTS_CSS.read_text("utf-8"),
        base_url=FONTS.as_uri() + "/",
        url_fetcher=fetcher,
        font_config=fonts,
    )
    document = HTML(string=html, base_url=str(out_dir), url_fetcher=fetcher).render(
        stylesheets=[font_css], font_config=fonts, pdf_variant=PDF_VARIANT
    )
    pdf_path = out_dir / f"{pack.id}.pdf"
    tmp = pdf_path.with_suffix(".pdf.tmp")
    # attachments are fetched here, through the same fetcher
    document.write_pdf(tmp, pdf_variant=PDF_VARIANT)
    tmp.replace(pdf_path)  # a reader never sees a half-written PDF
    return Rendered(
        pack.id,
        pdf_path,
        html_path,
        len(document.pages),
        time.perf_counter() - start,
        tuple(fetcher.refused),
    )
