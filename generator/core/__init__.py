"""The pure core: read, validate and link the knowledge base. No MkDocs, Jinja2 or WeasyPrint.

Lives here: the model (model), reading files (files, yaml_data, markdown_*) and loading them
(load), the schema gate (schema, schemas/), the rules (rules/) and `check` that runs them,
diagnostics, their codes and the report formats (diagnostics, codes, report), the configuration,
the link graph (graph), the URL layout (layout), facts several readers share (facts), business
units and their effective playbooks (units), pack definitions (pack_specs), the output folder
guard and the atomic swap (outputs, publish), the `new` scaffolds (scaffold, scaffold_units,
placeholders), editor schemas (editor_schemas), the external link check (external_links,
link_probe, link_cache, link_options), `import` (importing/) and `export` (exports/).

May import: the standard library, PyYAML, jsonschema/fastjsonschema, Markdown's slugify,
openpyxl (exports). Imported by every other layer; imports none of them.
"""
