"""The MkDocs side: the site plugin's events (site_plugin), what it adds to MkDocs' files
(site_files), the build and serve commands (commands), incremental rendering and problems in the
live preview (incremental, preview), and the link check of the built HTML (html_links,
site_links).

May import: core, render, MkDocs. Not packs: generator/mkdocs_plugin.py adds the PDF packs.
"""
