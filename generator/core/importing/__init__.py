"""`finops-kb import`: existing Markdown pages (Jekyll, Hugo, MkDocs) into the content model.

Lives here: finding and reading the source pages and their YAML or TOML front matter (sources),
mapping front matter to the model (front), Liquid tags, shortcodes and heading levels (body),
old URLs and link rewriting (links), the import codes (findings) and the run that plans, checks
and writes the pages (run).

May import: the standard library, PyYAML and the rest of generator.core. Pure core: no MkDocs,
Jinja2 or WeasyPrint.
"""
