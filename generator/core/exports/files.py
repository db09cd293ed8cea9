"""The export files: CSV (one per table), one Excel workbook, and the JSON model with its schema.

CSV files are UTF-8 with a byte order mark: Excel, which most readers open them with, reads
UTF-8 without one as the local code page and garbles every non-ASCII name; Python's `utf-8-sig`,
pandas and LibreOffice read it either way. Rows follow RFC 4180 (csv module, CRLF, quotes where
needed). A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so such
text gets a leading apostrophe in CSV (OWASP's advice); plain numbers such as `-5` stay as they
are. The workbook stores every text as text, never as a formula, so it needs no apostrophe.

Every file is the same bytes for the same model: the workbook's dates and its zip entries'
times are fixed, and nothing writes the time of the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import outputs
from ..graph import Graph
from .names import CSV_FILES, FORMATS, MODEL, SCHEMA, SITE_FOLDER, WORKBOOK
from .tables import Table, Value, document, tables

SCHEMA_FILE = Path(__file__).with_name(SCHEMA)
FIXED_TIME = dt.datetime(1980, 1, 1)
"""The workbook's created and modified dates, and its zip entries' times (the zip format's
earliest date), so that a rebuild of the same model gives the same bytes."""

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")
_WIDTH = (8, 60)
"""Narrowest and widest column, in characters."""
_HEADER_WIDTH = 14
"""Characters of a header that count for its column's width (the rest wraps)."""
_LETTERS = {
    "R": ("1565C0", "DEE9F6"),
    "A": ("B71C1C", "F5DFDF"),
    "C": ("6A1B9A", ""),
    "I": ("546E7A", ""),
}
"""RACI letter -> (text colour, background) as on the site's matrix (theme/assets/finops-kb.css,
light scheme: the letter's colour, and a 14 % tint of it behind R and A)."""


def neutralise(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs as a formula (a leading apostrophe if needed)."""
    if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.header])
    writer.writerows([_cell_text(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Value) -> Value:
    """A cell the workbook can hold: the XML of a sheet has no place for control characters
    (openpyxl refuses them), so text loses them; a date keeps the format `yyyy-mm-dd`."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet(ws: Worksheet, table: Table) -> None:
    rows: list[list[Value]] = [list(table.header), *table.rows]
    for values in rows:
        ws.append([_xlsx_value(v) for v in values])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # openpyxl takes text that starts with `=` as a formula
                cell.data_type = "s"
    ws.freeze_panes = ws.cell(row=2, column=table.frozen_columns + 1).coordinate
    if table.rows:
        ws.auto_filter.ref = ws.dimensions
    for i, name in enumerate(table.header, start=1):
        # The header wraps: a long role title need not make a column of single letters wide.
        cells = [name[:_HEADER_WIDTH], *(_cell_text(row[i - 1]) for row in table.rows)]
        width = max(len(c) for c in cells) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, _WIDTH[0]), _WIDTH[1])


def _colour_letters(ws: Worksheet, first_role_column: int) -> None:
    """RACI letters coloured as on the site. A rule per letter, not a style per cell: styling
    each of thousands of cells took seconds."""
    if ws.max_row < 2 or ws.max_column < first_role_column:
        return
    cells = (
        f"{get_column_letter(first_role_column)}2:{get_column_letter(ws.max_column)}{ws.max_row}"
    )
    for letter, (colour, tint) in _LETTERS.items():
        fill = PatternFill("solid", start_color=tint, end_color=tint) if tint else None
        style = DifferentialStyle(font=Font(color=colour, bold=True), fill=fill)
        rule = Rule(type="cellIs", operator="equal", formula=[f'"{letter}"'], dxf=style)
        ws.conditional_formatting.add(cells, rule)


def xlsx_bytes(sheets: list[Table], title: str) -> bytes:
    wb = Workbook()
    first = True
    for table in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None  # a new workbook has an active sheet
        ws.title = table.name
        _sheet(ws, table)
        if table.name == "RACI":
            _colour_letters(ws, first_role_column=5)
        first = False
    wb.properties.title = title
    wb.properties.creator = "finops-kb"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    # Not `wb.save`: it stamps the time of the run as the modified date.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip(raw.getvalue())


_LAST_WORKBOOK: list[tuple[str, bytes]] = []
"""The last workbook made, by a digest of its tables."""


def _workbook(sheets: list[Table], title: str) -> bytes:
    """`xlsx_bytes`, remembered for the last tables: `serve` rebuilds after every edit, most
    edits leave the tables as they were, and the workbook takes 1.6 s at 2,000 capabilities."""
    key = hashlib.sha256(repr((title, sheets)).encode()).hexdigest()
    if _LAST_WORKBOOK and _LAST_WORKBOOK[0][0] == key:
        return _LAST_WORKBOOK[0][1]
    data = xlsx_bytes(sheets, title)
    _LAST_WORKBOOK[:] = [(key, data)]
    return data


def _fixed_zip(data: bytes) -> bytes:
    """The zip with each entry's time set to FIXED_TIME (zipfile stamps the time of writing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def json_bytes(g: Graph) -> bytes:
    # Compact: with `indent`, Python's JSON encoder falls back to its pure-Python version,
    # several times slower on a large model (1.5 s at 2,000 capabilities).
    text = json.dumps(document(g, SCHEMA), ensure_ascii=False, separators=(",", ":"), default=str)
    return (text + "\n").encode("utf-8")


def contents(g: Graph, formats: Iterable[str]) -> dict[str, bytes]:
    """File name -> bytes of every file the formats write."""
    chosen = set(formats)
    out: dict[str, bytes] = {}
    made = tables(g) if chosen & {"csv", "xlsx"} else []
    if "csv" in chosen:
        out |= {CSV_FILES[t.name]: csv_bytes(t) for t in made}
    if "xlsx" in chosen:
        name = g.repo.organization.data.get("name") if g.repo.organization else None
        out[WORKBOOK] = _workbook(made, f"FinOps at {name}" if name else "FinOps")
    if "json" in chosen:
        out[MODEL] = json_bytes(g)
        out[SCHEMA] = SCHEMA_FILE.read_bytes()
    return out


def write(folder: Path, g: Graph, formats: Iterable[str] = FORMATS) -> list[str]:
    """Write the exports into `folder` (which must be ours: see outputs.guard); their names."""
    made = contents(g, formats)
    outputs.make_room(folder, list(made))
    with outputs.io_errors(f"write the exports into {folder}"):
        for name, data in made.items():
            outputs.write_new(folder / name, data)
    return list(made)


def write_into_site(site: Path, g: Graph) -> list[str]:
    """Every export into the built site's `exports/`, for the pages' download links."""
    folder = site / SITE_FOLDER
    with outputs.io_errors(f"write {folder}"):
        if folder.is_symlink():
            folder.unlink()
        folder.mkdir(exist_ok=True)
    return write(folder, g)
