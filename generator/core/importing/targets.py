"""Where imported pages go: slugs for file names and ids, the `--into` folder, capabilities the
knowledge base already has, and the guarded write."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, ConfigError
from ..files import replace_text
from ..ids import is_slug, is_slug_path
from ..model import Repository
from .body import norm

KINDS = ("page", "capability", "domain", "persona", "principle", "phase")
"""The kinds that live in the content folder (overlays and the rest are playbooks)."""
FOLDER = {
    "capability": "capabilities",
    "domain": "domains",
    "persona": "personas",
    "principle": "principles",
    "phase": "phases",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_INDEX = ("index", "_index", "readme")


def slug(text: str) -> str:
    """`Cost Allocation (FY26)` -> `cost-allocation-fy26`: letters without accents, digits and
    single hyphens, so the result is always a valid id or file name (or empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def into_folder(config: Config, into: str | None, kind: str, source: Path) -> str:
    """The docs folder (relative to the content folder) the pages go to; refused (exit 2)
    unless it stays inside the content folder."""
    content = config.content_dir.strip("/")
    if into is None:
        name = FOLDER.get(kind) or (slug(source.resolve().name) if source.is_dir() else "")
        return name
    rel = Path(into).as_posix().strip("/")
    inside = rel == content or rel.startswith(content + "/")
    folder = (config.root / rel).resolve()
    if not inside or not folder.is_relative_to((config.root / content).resolve()):
        raise ConfigError(f"--into {into}: give a folder inside {content}/, e.g. {content}/team")
    docs = rel[len(content) :].strip("/")
    if docs and not is_slug_path(docs):
        raise ConfigError(f"--into {into}: folder names must be slugs, e.g. {content}/team")
    return docs


def docs_path(into: str, rel: str, kind: str) -> str | None:
    """The docs path of the source page `rel`: each part a slug, `index.md` for index pages;
    a kind other than `page` lives flat in its folder, named by its id."""
    parts = rel.split("/")
    stem = posixpath.splitext(parts[-1])[0]
    names = [slug(p) for p in parts[:-1]] + ["index" if stem.lower() in _INDEX else slug(stem)]
    if kind != "page":
        names = [names[-1] if names[-1] != "index" or len(names) < 2 else names[-2]]
    if not all(map(is_slug, names)) or names == ["index"] and kind != "page":
        return None
    return posixpath.join(into, *names) + ".md"


@dataclass(slots=True)
class Capabilities:
    """The knowledge base's capabilities under every name they are known by."""

    names: dict[str, str]
    """Id, alias slug and normalized title or alias title -> capability id."""
    paths: dict[str, str]
    """Capability id -> its docs path."""

    @classmethod
    def of(cls, repo: Repository, content_dir: str) -> Capabilities:
        names: dict[str, str] = {}
        paths: dict[str, str] = {}
        for doc in repo.of_kind("capability"):
            if not doc.id:
                continue
            paths[doc.id] = doc.path[len(content_dir) + 1 :]
            names[doc.id] = names[norm(doc.title)] = doc.id
            for alias in doc.meta.get("aliases") or []:
                if isinstance(alias, dict):
                    names[str(alias.get("slug"))] = names[norm(str(alias.get("title")))] = doc.id
        return cls(names, paths)

    def match(self, ident: str, title: str) -> str | None:
        return self.names.get(ident) or self.names.get(norm(title)) or self.names.get(slug(title))


def write(config: Config, rel: str, text: str, force: bool) -> None:
    """Write `rel` (repository-relative) inside the content folder; an existing file is only
    replaced with `force`, and then in one step (a symlink is replaced, never followed)."""
    content = (config.root / config.content_dir).resolve()
    path = config.root / rel
    existing = path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.resolve().is_relative_to(content):
        raise ConfigError(f"{rel} would be written outside {config.content_dir}/ (a symlink?)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.parent.resolve().is_relative_to(content):
        raise ConfigError(f"{rel} would be written outside {config.content_dir}/ (a symlink?)")
    if not force:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
        return
    replace_text(path, text)
