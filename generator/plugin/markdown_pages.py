"""Every page of the site also as clean Markdown beside its HTML, plus `llms.txt`.

`allocation.html` gets `allocation.md` (with directory URLs, `x/index.html` gets `x/index.md`):
the page's Markdown as the plugin handed it to MkDocs (framework page, overlay and generated
sections merged), its generated parts converted from their HTML, and every link that leads to
another page rewritten to that page's `.md`, so an assistant that follows links stays in
Markdown. Other links (exports, PDFs, images) point where the HTML's do: the `.md` sits in the
HTML's folder. Front matter is reduced to the title and the HTML page it comes from.
"""

from __future__ import annotations

import json
import posixpath
import re
import weakref
from html import unescape
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from ..core.layout import relpath, resolve_link, split_url
from ..render.html_parts import Parts, md
from ..render.markdown_parts import text, to_markdown
from .llms_txt import Entry, write_index

# The files of each build, from on_files to after the pages: MkDocs keeps each page's Markdown
# (after every plugin's on_page_markdown) on its Page, and only the files reach the pages.
_FILES: weakref.WeakKeyDictionary[Any, Files] = weakref.WeakKeyDictionary()
_LINK = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)", re.M)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HEADING = re.compile(r"^\s*#\s")
# Python-Markdown's own syntax the renderer writes (`{ #id }` on headings, `<div markdown>`
# wrappers for styling): other readers would show it as text.
_ATTR_LIST = re.compile(r"^(#{1,6} .*?)\s*\{:?\s*[#.][^}\n]*\}[ \t]*$", re.M)
_DIV_OPEN = re.compile(r"^<div\b[^>\n]*\bmarkdown\b[^>\n]*>[ \t]*$")
_BLANKS = re.compile(r"\n{3,}")


def remember_files(plugin: Any, files: Files, config: Any) -> None:
    _FILES[plugin] = files


def md_path(file: File) -> str:
    """Where the Markdown copy of a page goes in the site: beside its HTML."""
    return posixpath.splitext(file.dest_uri)[0] + ".md"


def write_pages(plugin: Any, config: Any) -> None:
    """Write `<page>.md` for every page rendered in this build, and `llms.txt`."""
    files = _FILES.pop(plugin, None)
    if files is None:
        return
    pages = [f for f in files.documentation_pages() if f.page is not None]
    links = _Links(files, pages)
    site = Path(config.site_dir)
    entries = []
    for file in pages:
        out = site / md_path(file)
        markdown = file.page.markdown if file.page else None
        if markdown is None:  # the live preview's dirty build left this page as it was
            if out.is_file():
                entries.append(_previous(file, out.read_text("utf-8")))
            continue
        title = _plain_title(plugin, file)
        body = _page(file, markdown, plugin.parts.get(file.src_uri), links)
        text = _front_matter(title, file, config) + _with_heading(body, title)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        entries.append(Entry(md_path(file), title, _description(file, body), text))
    write_index(site, config, entries)


def _previous(file: File, text: str) -> Entry:
    """The index entry of a page's copy written by an earlier build."""
    head, _, body = text.partition("\n---\n")
    title = json.loads(head.splitlines()[1].removeprefix("title: "))
    return Entry(md_path(file), str(title), _description(file, body), text)


def _plain_title(plugin: Any, file: File) -> str:
    title = str(file.page.title if file.page and file.page.title else file.name)
    # Generated pages carry their title as HTML for the theme (see views.titles).
    return unescape(title) if file.src_uri in getattr(plugin, "titles", {}) else title


def _front_matter(title: str, file: File, config: Any) -> str:
    base = str(config.site_url or "")
    source = base.rstrip("/") + "/" + file.url if base else posixpath.basename(file.dest_uri)
    # JSON strings are YAML strings: a title with quotes, colons or newlines stays one value;
    # `<` as \u003c, so a viewer that shows front matter as text gets no tag from it.
    title_json = json.dumps(title, ensure_ascii=False).replace("<", "\\u003c")
    return f"---\ntitle: {title_json}\nsource: {json.dumps(source)}\n---\n\n"


def _with_heading(body: str, title: str) -> str:
    first = next((line for line in body.splitlines() if line.strip()), "")
    return body if _HEADING.match(first) else f"# {md(title)}\n\n{body}"


def _description(file: File, body: str) -> str:
    """One line of Markdown about the page: its summary (data, escaped), or its first
    paragraph (Markdown already)."""
    meta = file.page.meta if file.page else {}
    for key in ("summary", "description"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            return text(str(meta[key]))
    for para in body.split("\n\n"):
        line = " ".join(para.split())
        if line and not line.startswith(("#", "|", "-", "*", "<", "!", ">", "[")):
            return line
    return ""


def _page(file: File, markdown: str, parts: Parts | None, links: _Links) -> str:
    body = _clean(links.in_markdown(file, markdown))
    if parts is not None and parts.html:
        converted = Parts()
        convert = lambda href: links.in_html(file, href)  # noqa: E731
        # str(): parts are Markup, whose every slice in the parser would be escaped anew.
        converted.html = [to_markdown(str(h), convert) for h in parts.html]
        body = converted.fill(body)
    return _BLANKS.sub("\n\n", body).strip() + "\n"


def _clean(markdown: str) -> str:
    """`markdown` without the attribute lists and `markdown` divs only Python-Markdown reads."""
    out, open_divs = [], 0
    for line in markdown.splitlines(keepends=True):
        if _DIV_OPEN.match(line):
            open_divs += 1
            out.append("\n")
        elif open_divs and line.strip() == "</div>":
            open_divs -= 1
            out.append("\n")
        else:
            out.append(line)
    return _ATTR_LIST.sub(r"\1", "".join(out))


class _Links:
    """Links of a page, moved to the `.md` copies of the pages they name."""

    def __init__(self, files: Files, pages: list[File]) -> None:
        self.by_src = {f.src_uri: f for f in files}
        self.page_by_dest = {f.dest_uri: f for f in pages}

    def in_markdown(self, file: File, markdown: str) -> str:
        """Authors' links are to source files, relative to the page's source."""
        out, fenced = [], False
        for line in markdown.splitlines(keepends=True):
            fenced ^= bool(_FENCE.match(line))
            if not fenced and "](" in line:
                line = _LINK.sub(lambda m: m.group(1) + self._source(file, m.group(2)), line)
            out.append(line)
        text = "".join(out)
        return _REFERENCE.sub(lambda m: m.group(1) + self._source(file, m.group(2)), text)

    def _source(self, file: File, target: str) -> str:
        bare = target[1:-1] if target.startswith("<") else target
        path, anchor = resolve_link(file.src_uri, bare)
        found = self.by_src.get(path) if path else None
        if found is None:
            return target
        dest = md_path(found) if found.page is not None else found.dest_uri
        return self._relative(file, dest, anchor)

    def in_html(self, file: File, href: str) -> str:
        """Generated parts' links are site URLs, relative to the page's HTML."""
        parts = split_url(href)
        if parts is None or parts.scheme or parts.netloc or not parts.path:
            return href
        base = posixpath.dirname(file.dest_uri)
        dest = posixpath.normpath(posixpath.join(base, parts.path))
        if parts.path.endswith("/") or dest == ".":
            dest = posixpath.join(dest, "index.html").removeprefix("./")
        found = self.page_by_dest.get(dest)
        return self._relative(file, md_path(found), parts.fragment) if found else href

    @staticmethod
    def _relative(file: File, dest: str, anchor: str) -> str:
        rel = relpath(dest, posixpath.dirname(file.dest_uri) or ".")
        return rel + (f"#{anchor}" if anchor else "")
