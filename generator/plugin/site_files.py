"""What the plugin adds to and removes from MkDocs' files: generated pages, redirects, and
sources that must never be published."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..core import outputs
from ..core.check import Result
from ..core.codes import DEFAULTS
from ..core.config import Config
from ..core.diagnostics import Diagnostic, apply_severities
from ..core.files import unsafe_sources
from ..core.model import Document
from ..render.generated_pages import Generated
from ..render.html_parts import Parts
from .incremental import Renders, shared_key


def drop_unsafe(files: Files, config: Any, core: Config, result: Result) -> list[Diagnostic]:
    """Remove what leaves the repository (a link to /etc/…) or blocks (a FIFO); the problems
    `check` has not reported already."""
    folders = [config.docs_dir, config.theme.custom_dir or config.docs_dir]
    sources = [f.abs_src_path for f in files if f.abs_src_path]
    unsafe = unsafe_sources(core.root, sources, folders)
    for file in [f for f in files if f.abs_src_path in unsafe]:
        files.remove(file)
    known = {(d.path, d.code) for d in result.diagnostics}
    fresh = [d for d in unsafe.values() if (d.path, d.code) not in known]
    return apply_severities(fresh, DEFAULTS, core.severity)


def add_generated(
    files: Files, config: Any, generated: dict[str, Generated], content_dir: str
) -> tuple[dict[str, Parts], list[str]]:
    """Add the generated pages a docs folder does not have itself: (their parts, kept aside)."""
    parts: dict[str, Parts] = {}
    skipped = []
    for path, page in generated.items():
        if files.get_file_from_path(path) is not None:
            skipped.append(path)
            continue
        if page.parts is not None:
            parts[path] = page.parts
        file = File.generated(config, path, content=page.markdown)
        if page.source:
            file.edit_uri = _edit_uri(config, page.source, content_dir)
        files.append(file)
    return parts, skipped


def add_redirects(files: Files, config: Any, redirects: dict[str, str]) -> None:
    for path, html in redirects.items():
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=html))


def invalid_titles(result: Result, content_dir: str) -> dict[str, str]:
    """Docs path -> escaped title of each content page whose front matter `check` refused."""
    content = content_dir + "/"
    return {
        doc.path[len(content) :]: escape(_plain_title(doc))
        for doc in result.repo.invalid
        if doc.path.startswith(content)
    }


def mark_changed(renders: Renders, files: Files, config: Any, keys_of: dict[str, str]) -> None:
    """Live preview: mark for MkDocs' dirty build only the pages whose input changed."""
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    shared = shared_key(config.nav, Path(config.config_file_path), custom)
    changed = renders.changed(shared, keys_of)
    for file in files.documentation_pages():
        if file.src_uri in keys_of:
            again = file.src_uri in changed or not Path(file.abs_dest_path).is_file()
            file.is_modified = _answer(again)  # type: ignore[method-assign]


def _plain_title(doc: Document) -> str:
    title = doc.meta.get("title")
    return title if isinstance(title, str) and title else doc.stem


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


def _edit_uri(config: Any, source: str, content_dir: str) -> str:
    """Edit path of a playbook file, relative to `edit_uri` (which points into content/)."""
    edit_uri = str(config.edit_uri or "")
    if edit_uri.rstrip("/").endswith(content_dir):
        return "../" + source
    return source


def guard_site_dir(core: Config, config: Any) -> None:
    """Refuse (ConfigError) a `site_dir` that is not ours to empty, then mark it as ours."""
    where = outputs.rules(
        core.root, core.content_dir, core.playbooks_dir, config.docs_dir, config.theme.custom_dir
    )
    site_dir = Path(config.site_dir)
    setting = outputs.config_setting(Path(config.config_file_path), "site_dir", site_dir)
    outputs.mark(outputs.guard(site_dir, setting, where))


def stop_on_errors(result: Result, strict: bool, serving: bool) -> None:
    """A build stops before rendering when `check` failed: invalid data would otherwise reach
    MkDocs and its theme and crash them. The live preview keeps rendering, so editors can fix
    problems while they watch."""
    failed = result.errors + (result.warnings if strict else 0)
    if failed and not serving:
        what = ("problem" if strict else "error") + "s" * (failed != 1)
        raise PluginError(
            f"{failed} {what} found by finops-kb check; fix them before building "
            "(`finops-kb check` lists them)"
        )
