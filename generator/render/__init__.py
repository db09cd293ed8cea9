"""Pages: the framework pages merged with the playbooks, the generated pages (home, RACI,
maturity, roles, review status, reference), their HTML parts (Jinja2 templates in
templates/parts/), the navigation and the heatmap. Output is Markdown plus ready HTML parts.

May import: core, Jinja2, MarkupSafe. Not MkDocs, not WeasyPrint, not plugin or packs.
"""
