"""Stage 1: read every content file into the model, keeping source lines.

Nothing here raises on bad input: unreadable files become diagnostics.
"""

from __future__ import annotations

import gc
import re
from functools import lru_cache
from pathlib import Path

from markdown.extensions.toc import slugify

from .diagnostics import Diagnostic
from .files import find_files, read_text
from .markdown_scan import scan
from .model import DATA_LISTS, DataFile, Document, Heading, Link, Repository, Section
from .yaml_data import parse_yaml_checked

DATA_FILES = {"organization.yml": "organization", "raci.yml": "raci"}
_FENCE = re.compile(r"^---[ \t]*$", re.M)


def split_front_matter(text: str, rel: str) -> tuple[str | None, str, int, list[Diagnostic]]:
    """Return (front matter, body, body's first line, diagnostics)."""
    end = _FENCE.search(text, 4) if text.startswith("---\n") else None
    if end is None:
        opened = text.startswith("---\n")
        problem = Diagnostic(
            rel,
            1,
            "missing-front-matter",
            "front matter is not closed" if opened else "file has no YAML front matter",
            "add a line `---` after the last front-matter key"
            if opened
            else "start the file with `---`, a `kind:` line and the kind's keys, then `---`",
        )
        return None, text, 1, [problem]
    front = text[4 : end.start()]
    body_line = front.count("\n") + 3
    return front, text[end.end() + 1 :], body_line, []


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    return str(slugify(text, "-"))  # the same headings recur on every page of a kind


_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")  # Python-Markdown's toc IDCOUNT_RE


def unique_slug(slug: str, ids: set[str], runs: dict[str, tuple[int, int]]) -> str:
    """`slug` made unique in `ids` exactly as Python-Markdown's toc `unique()` does it
    (`x`, `x_1`, `x_2`, …), in constant time per heading.

    `unique()` tries `base_1`, `base_2`, … from the start for every repeat, so 20,000 equal
    headings cost 200 million lookups. `runs[base] = (a, b)` remembers that `base_a` up to
    `base_{b-1}` are all taken: ids are only ever added, so the search can start after them.
    """
    if slug and slug not in ids:
        ids.add(slug)
        return slug
    m = _IDCOUNT.match(slug)
    base, n = (m.group(1), int(m.group(2)) + 1) if m else (slug, 1)
    start, end = runs.get(base, (n, n))
    if start <= n <= end:
        n = end
    else:
        start = n
    while f"{base}_{n}" in ids:
        n += 1
    found = f"{base}_{n}"
    ids.add(found)
    runs[base] = (start, n + 1)
    return found


_ATTR_LIST = re.compile(r"[ ]+\{:?([^}\n]*)\}[ ]*$")  # attr_list's HEADER_RE


def _attr_id(text: str) -> tuple[str, str | None]:
    """A heading's text without its attr_list block (`## Title { #id .class }`), and the id."""
    if "{" not in text or not (m := _ATTR_LIST.search(text)):
        return text, None
    ids = [a[1:] for a in m.group(1).split() if a.startswith("#") and len(a) > 1]
    return text[: m.start()], ids[-1] if ids else None


def parse_body(body: str, body_line: int) -> tuple[list[Heading], list[Link], list[Section]]:
    """Headings, links and the H2/H3 section tree, with file lines."""
    found, targets, words = scan(body)
    named = [_attr_id(text) for _level, text, _line in found]
    # As Python-Markdown's toc: ids set with attr_list are taken first, the others made unique.
    slugs: set[str] = {ident for _text, ident in named if ident}
    runs: dict[str, tuple[int, int]] = {}
    headings = [
        Heading(level, text, ident or unique_slug(_slug(text), slugs, runs), body_line + line)
        for (level, _raw, line), (text, ident) in zip(found, named, strict=True)
    ]
    links = [Link(target, body_line + line) for target, line in targets]
    starts = [line for _level, _text, line in found] + [len(words)]
    flat = [(h, sum(words[starts[i] + 1 : starts[i + 1]])) for i, h in enumerate(headings)]
    return headings, links, _tree(flat)


def _tree(flat: list[tuple[Heading, int]]) -> list[Section]:
    sections: list[Section] = []
    current: tuple[Heading, int, list[Section]] | None = None

    def close() -> None:
        if current:
            sections.append(Section(current[0], current[1], tuple(current[2])))

    for heading, words in flat:
        if heading.level == 2:
            close()
            current = (heading, words, [])
        elif heading.level == 3 and current:
            current[2].append(Section(heading, words))
    close()
    return sections


def load_document(root: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    front, body, body_line, problems = split_front_matter(text, rel)
    if front is None:
        return None, problems
    meta, key_lines, problems, broken = parse_yaml_checked(front, rel, 2)
    if meta is None:
        return None, problems
    if not isinstance(meta, dict):
        return None, problems + [
            Diagnostic(
                rel,
                2,
                "yaml-syntax",
                "front matter is not a mapping of keys to values",
                "write front matter as `key: value` lines",
            )
        ]
    headings, links, sections = parse_body(body, body_line)
    doc = Document(rel, meta, key_lines, body, body_line, headings, links, sections, broken)
    return doc, problems


def load_data_file(root: Path, rel: str) -> tuple[DataFile | None, list[Diagnostic]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    data, key_lines, problems, broken = parse_yaml_checked(text, rel, 1)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, problems + [
            Diagnostic(
                rel,
                1,
                "yaml-syntax",
                "data file is not a mapping of keys to values",
                "write the file as `key: value` lines",
            )
        ]
    return DataFile(rel, data, key_lines, broken), problems


Loaded = tuple[str, "Document | DataFile | None", list[Diagnostic]]


def data_kind(rel: str) -> str | None:
    """Which data file `rel` is, by its name and folder (None: not one of ours)."""
    parts = rel.split("/")
    name, folder = parts[-1], parts[-2] if len(parts) > 1 else ""
    in_unit = len(parts) >= 3 and parts[-3] == "units"
    if name == "raci.yml" and in_unit:
        return "unit-raci"
    if name in DATA_FILES and not in_unit:
        return DATA_FILES[name]
    if folder in ("assessments", "kpis") and name.endswith((".yml", ".yaml")):
        return "assessment" if folder == "assessments" else "kpi-series"
    return None


def _load_one(root: Path, rel: str) -> Loaded:
    name = rel.rsplit("/", 1)[-1]
    if rel.endswith(".md"):
        return (rel, *load_document(root, rel))
    kind = data_kind(rel)
    if kind is not None:
        data, problems = load_data_file(root, rel)
        if data is not None:
            data.kind = kind
        return (rel, data, problems)
    hint = (
        f"the data files are {', '.join(sorted(DATA_FILES))}, units/<unit>/raci.yml, "
        "assessments/*.yml and kpis/*.yml: rename or move it there, "
        "or out of the content and playbooks folders"
    )
    return (
        rel,
        None,
        [Diagnostic(rel, 1, "unknown-file", f"`{name}` is not a known data file", hint)],
    )


def _load_many(root: Path, rels: list[str]) -> list[Loaded]:
    gc.disable()  # bulk creation of small objects: collection passes would find nothing to free
    try:
        return [_load_one(root, rel) for rel in rels]
    finally:
        gc.enable()


def load(root: Path, dirs: list[str]) -> tuple[Repository, list[Diagnostic]]:
    """Load every file under `dirs` (relative to `root`) into a Repository."""
    repo = Repository()
    rels, problems = find_files(root, dirs)
    for rel, loaded, found in _load_many(root, rels):
        repo.files.append(rel)
        name = rel.rsplit("/", 1)[-1]
        kind = data_kind(rel)
        if isinstance(loaded, Document):
            repo.documents.append(loaded)
        elif isinstance(loaded, DataFile):
            _add_data(repo, loaded)
        elif rel.endswith(".md"):
            repo.unresolved.add(name[:-3])
        elif kind in ("organization", "raci"):  # what it defines is unknown: do not guess
            repo.unknown_lists.add(DATA_LISTS[kind])
        problems += found
    return repo, problems


def _add_data(repo: Repository, data: DataFile) -> None:
    if data.kind in ("organization", "raci"):
        setattr(repo, data.kind, data)
    elif data.kind == "unit-raci":
        repo.unit_racis.append(data)
    elif data.kind == "assessment":
        repo.assessments.append(data)
    else:
        repo.kpi_series.append(data)
