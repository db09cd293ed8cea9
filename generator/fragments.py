"""The generated parts of pages (facts, tables, link lists, credits) as ready HTML.

Python-Markdown spends as long on a page's generated tables and link lists as on the prose
around them, and has nothing to do to them. So pages keep these parts out of their Markdown:
`Parts` leaves a placeholder comment there, and the plugin puts the HTML back after MkDocs has
converted the rest. Anything that reads a page as Markdown (the PDF packs) gets the HTML
inlined as raw HTML blocks instead.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from .graph import relpath

if TYPE_CHECKING:
    from .model import Document
    from .pages import Site

LICENSE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
FOUNDATION = ("FinOps Foundation", "https://www.finops.org/")
_PLACEHOLDER = re.compile(r"<!-- finops-kb part (\d+) -->")


class Parts:
    """HTML parts of one page, and the placeholders that stand for them in its Markdown."""

    def __init__(self, inline: bool = False) -> None:
        self.inline = inline
        self.html: list[str] = []

    def __call__(self, html: str) -> str:
        """A Markdown block standing for `html`."""
        if not html:
            return ""
        if self.inline:
            return f"\n\n{html}\n\n"
        self.html.append(html)
        return f"\n\n<!-- finops-kb part {len(self.html) - 1} -->\n\n"

    def fill(self, text: str) -> str:
        """`text` (Markdown or HTML) with every placeholder replaced by its HTML."""
        if not self.html:
            return text
        return _PLACEHOLDER.sub(lambda m: self.html[int(m.group(1))], text)


def url_of(docs: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives the page built from `docs`."""
    if not directory_urls:
        return docs[:-3] + ".html"
    if docs == "index.md" or docs.endswith("/index.md"):
        return docs[: -len("index.md")]
    return docs[:-3] + "/"


def href(site: Site, here: str, target: str, anchor: str = "") -> str:
    """A relative URL from the page built from `here` to the one built from `target`."""
    base = url_of(here, site.directory_urls)
    dest = url_of(target, site.directory_urls)
    rel = relpath(dest or ".", posixpath.dirname(base) or ".")
    if dest.endswith("/") or dest == "":
        rel = rel.rstrip("/") + "/"
    return rel + (f"#{anchor}" if anchor else "")


def a(url: str, text: str, cls: str = "") -> str:
    extra = f' class="{cls}"' if cls else ""
    return f'<a href="{escape(url)}"{extra}>{escape(text)}</a>'


def page_a(site: Site, here: str, doc: Document, anchor: str = "") -> str:
    return a(href(site, here, site.graph.docs_path[doc.path], anchor), doc.title)


def role_a(site: Site, here: str, role_id: str) -> str:
    role = site.graph.roles.get(role_id)
    if not role:
        return f"<code>{escape(role_id)}</code>"
    return a(href(site, here, f"organization/roles/{role_id}.md"), str(role["title"]))


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table of cells that are already HTML."""
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"]
    out.append("<tbody>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "\n".join([*out, "</tbody>", "</table>"])


def attribution(doc: Document) -> str:
    sources = doc.meta.get("sources")
    if not isinstance(sources, list) or not sources:
        return ""
    named = ", ".join(
        a(str(s.get("url")), str(s.get("title"))) for s in sources if isinstance(s, dict)
    )
    return (
        f'<div class="fkb-credit"><p>Adapted from {named} by the {a(FOUNDATION[1], FOUNDATION[0])}'
        f", licensed under {a(LICENSE[1], LICENSE[0])}. Rewritten in our own words; changes were"
        " made.</p></div>"
    )


def raci_table(site: Site, here: str, rows: list[dict[str, Any]], with_capability: bool) -> str:
    g = site.graph
    head = ["Activity", *(["Capability"] if with_capability else []), "R", "A", "C", "I"]
    body = []
    for act in rows:
        by_letter: dict[str, list[str]] = {k: [] for k in "RACI"}
        for role, letter in (act.get("assignments") or {}).items():
            by_letter.setdefault(str(letter), []).append(role_a(site, here, role))
        row = [
            a(
                href(site, here, "organization/raci.md", f"act-{act.get('id')}"),
                str(act.get("title")),
            )
        ]
        if with_capability:
            cap = g.capabilities.get(str(act.get("capability")))
            row.append(page_a(site, here, cap) if cap else escape(str(act.get("capability"))))
        row += [", ".join(by_letter[k]) or "—" for k in "RACI"]
        body.append(row)
    return table(head, body)


def role_raci_table(site: Site, here: str, role: str, rows: list[dict[str, Any]]) -> str:
    """A role's own RACI rows: its letter and who is accountable, not the whole matrix row."""
    g = site.graph
    names = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
    body = []
    for act in rows:
        letters = act.get("assignments") or {}
        accountable = [r for r, letter in letters.items() if letter == "A"]
        cap = g.capabilities.get(str(act.get("capability")))
        letter = str(letters.get(role))
        body.append(
            [
                a(
                    href(site, here, "organization/raci.md", f"act-{act.get('id')}"),
                    str(act.get("title")),
                ),
                page_a(site, here, cap) if cap else escape(str(act.get("capability"))),
                f"<strong>{escape(letter)}</strong> {names.get(letter, '')}",
                ", ".join(role_a(site, here, r) for r in accountable) or "—",
            ]
        )
    return table(["Activity", "Capability", "Your part", "Accountable"], body)


def kpi_table(overlay: Document, with_formula: bool) -> str:
    """The overlay's local KPIs ("" when it has none)."""
    kpis = [k for k in overlay.meta.get("kpis") or [] if isinstance(k, dict)]
    if not kpis:
        return ""
    head = ["Our KPI", "Target", "Current", *(["How it is measured"] if with_formula else [])]
    keys = ("name", "target", "current", *(("formula",) if with_formula else ()))
    return table(head, [[escape(str(k.get(key, "—"))) for key in keys] for k in kpis])
