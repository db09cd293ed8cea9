"""Render packs to PDF with WeasyPrint; no browser, no network."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .pack_html import render_html
from .packs import Pack
from .pages import Site

log = logging.getLogger("generator.pack")


@dataclass(frozen=True, slots=True)
class Rendered:
    pack: str
    pdf: Path
    html: Path
    pages: int
    seconds: float


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    from weasyprint import default_url_fetcher

    if not url.startswith(("file:", "data:")):
        raise ValueError(f"packs do not fetch from the network: {url}")
    return default_url_fetcher(url, *args, **kwargs)


def render(
    site: Site, pack: Pack, config: Config, out_dir: Path, template_dirs: list[Path] | None = None
) -> Rendered:
    """Write `<id>.pdf` and its print-ready `<id>.html` into `out_dir`."""
    from weasyprint import HTML

    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    today = config.today or dt.date.today()
    html = render_html(site, pack, config.root, today, template_dirs)
    html_path = out_dir / f"{pack.id}.html"
    html_path.write_text(html, "utf-8")
    document = HTML(string=html, base_url=str(out_dir), url_fetcher=_no_network).render()
    pdf_path = out_dir / f"{pack.id}.pdf"
    tmp = pdf_path.with_suffix(".pdf.tmp")
    document.write_pdf(tmp)
    tmp.replace(pdf_path)  # a reader never sees a half-written PDF
    return Rendered(pack.id, pdf_path, html_path, len(document.pages), time.perf_counter() - start)
