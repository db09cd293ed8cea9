"""The pure core: read, validate and link the knowledge base. No MkDocs, Jinja2 or WeasyPrint.

Lives here: the model (model), reading files (files, yaml_data, markdown_*) and loading them
(load), the schema gate (schema, schemas/), the rules (rules/) and `check` that runs them,
diagnostics and their codes, the configuration, the link graph (graph), the URL layout
(layout), facts several readers share (facts), pack definitions (pack_specs), the output
folder guard and the atomic swap (outputs, publish), and the `new` scaffolds (scaffold).

May import: the standard library, PyYAML, jsonschema/fastjsonschema, Markdown's slugify.
Imported by every other layer; imports none of them.
"""
