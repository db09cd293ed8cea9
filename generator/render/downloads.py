"""Download links to the exports (CSV, Excel, JSON) that the build publishes beside the pages.

The files are written into the site's `exports/` folder after the pages (core/exports), before
the link check, which so checks these links like any other.
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup

from ..core import layout
from ..core.exports import names
from .context import RenderContext
from .html_parts import Link, Parts, render
from .org_pages import maturity_overview

WORKBOOK = (names.WORKBOOK, "Excel workbook (RACI, maturity, KPIs)")


def links(ctx: RenderContext, here: str, files: list[tuple[str, str]]) -> Markup:
    """Links from the page built from `here` to (file name, text) in the exports folder."""
    base = posixpath.dirname(layout.url_of(here, ctx.directory_urls)) or "."
    found = [Link(layout.relpath(f"{names.SITE_FOLDER}/{f}", base), text) for f, text in files]
    return render(ctx, "downloads.html", links=found)


def home(ctx: RenderContext) -> Markup:
    model = [(names.MODEL, "Whole model as JSON"), (names.SCHEMA, "JSON Schema")]
    return links(ctx, layout.HOME, [*model, WORKBOOK])


def raci(ctx: RenderContext) -> Markup:
    return links(ctx, layout.RACI, [(names.CSV_FILES["RACI"], "RACI as CSV"), WORKBOOK])


def maturity(ctx: RenderContext, parts: Parts) -> str:
    """The maturity overview, with its maturity and KPI tables to download at the end."""
    files = [
        (names.CSV_FILES["Maturity"], "Maturity as CSV"),
        (names.CSV_FILES["KPIs"], "KPIs as CSV"),
        WORKBOOK,
    ]
    return maturity_overview(ctx, parts) + parts(links(ctx, layout.MATURITY, files))
