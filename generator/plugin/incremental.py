"""Live preview: which pages a rebuild must render again.

MkDocs re-renders every page on each change, which on this knowledge base takes seconds. A
page's HTML is fixed by its final Markdown and front matter plus what every page shares (the
navigation, the config file and the theme), all known before rendering starts. So a rebuild
renders only the pages whose inputs changed, and every page when a shared input changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from .. import __version__
from ..core.model import Document
from ..render.html_parts import Parts


def fingerprint(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def page_keys(
    docs: dict[str, Document],
    markdown: dict[str, str],
    parts: dict[str, Parts],
    generated: dict[str, Any],
) -> dict[str, str]:
    """A key per page (by docs path) that changes whenever the page's own HTML can change."""
    keys = {src: fingerprint(d.meta, markdown[src], parts[src].html) for src, d in docs.items()}
    for path, page in generated.items():
        keys[path] = fingerprint(page.markdown, page.parts.html if page.parts else None)
    return keys


def shared_key(nav: Any, config_file: Path, custom_dir: Path | None) -> str:
    """A key for what every page shows: navigation, site config, theme overrides, generator."""
    text = config_file.read_text("utf-8", "replace")
    return fingerprint(nav, text, tree_stamp(custom_dir), __version__)


def tree_stamp(folder: Path | None) -> list[tuple[str, int, int]]:
    """Names, sizes and modification times of every file under `folder` (theme overrides)."""
    if folder is None or not folder.is_dir():
        return []
    out = []
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            out.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns))
    return sorted(out)


class Renders:
    """What each page was last rendered from, kept by the plugin between rebuilds."""

    def __init__(self) -> None:
        self.shared = ""
        self.pages: dict[str, str] = {}
        self._pending: tuple[str, dict[str, str]] = ("", {})

    def changed(self, shared: str, pages: dict[str, str]) -> set[str]:
        """The pages (by docs path) to render again; every page when `shared` changed.

        Nothing is remembered until `done()`: a build that fails leaves the next one to
        render everything it did not finish.
        """
        self._pending = (shared, pages)
        if shared != self.shared:
            return set(pages)
        return {path for path, key in pages.items() if self.pages.get(path) != key}

    def done(self) -> None:
        self.shared, self.pages = self._pending


class MemoryBytecodeCache(BytecodeCache):
    """Compiled theme templates, kept in memory between live-preview rebuilds. Jinja checks
    each template's source checksum before it reuses one."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
