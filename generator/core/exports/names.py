"""The names of the export files and of the site folder they are published in.

Apart from files.py so that the pages that link to the files can know them without loading the
spreadsheet library.
"""

from __future__ import annotations

FORMATS = ("csv", "xlsx", "json")
CSV_FILES = {"RACI": "raci.csv", "Maturity": "maturity.csv", "KPIs": "kpis.csv"}
"""Table (sheet) name -> its CSV file."""
WORKBOOK = "finops-kb.xlsx"
MODEL = "model.json"
SCHEMA = "model.schema.json"
SITE_FOLDER = "exports"
"""Where the site build publishes every export: `exports/` at the site root."""
