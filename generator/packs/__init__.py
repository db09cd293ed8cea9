"""Onboarding packs: one HTML document per pack (html), rendered to PDF by WeasyPrint with a
fetcher that reads only the built site (pdf), and the `finops-kb pack` command (command).

May import: core, render, Jinja2, WeasyPrint. Not MkDocs, not plugin.
"""
