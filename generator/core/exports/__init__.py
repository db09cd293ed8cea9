"""`finops-kb export` and the site's downloads: the resolved model as spreadsheets and JSON.

Lives here: the tables of the RACI matrix, maturity and KPIs and the JSON document of the whole
model (tables), the file names and their site folder (names), the CSV, Excel and JSON files
(files), the command that checks the repository first and writes them into a guarded folder
(command), and the published JSON Schema of the JSON export (model.schema.json).

May import: the standard library, openpyxl and the rest of generator.core. Pure core: no
MkDocs, Jinja2 or WeasyPrint.
"""
