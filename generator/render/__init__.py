"""Pages: the framework pages merged with the playbooks, the generated pages (home, RACI,
maturity, roles, review status, reference), business units (unit pages, the comparison, unit
sections of capability pages) and charts over time, their HTML parts (Jinja2 templates in
templates/parts/), the navigation, the heatmap and the download links. Output is Markdown plus
ready HTML parts.

May import: core, Jinja2, MarkupSafe. Not MkDocs, not WeasyPrint, not plugin or packs.
"""
