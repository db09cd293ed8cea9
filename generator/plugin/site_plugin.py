"""MkDocs plugin: wires MkDocs events to the core stages. No logic of its own lives here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..core import graph as graph_stage
from ..core import load, outputs
from ..core import pack_specs as packs
from ..core.check import Result, check
from ..core.codes import DEFAULTS
from ..core.config import ConfigError, from_options, options_lines
from ..core.diagnostics import Diagnostic, apply_severities, visible
from ..render import framework_pages as pages
from ..render import generated_pages as views
from ..render import nav
from .html_links import Scanner
from .incremental import MemoryBytecodeCache, Renders, page_keys, shared_key

log = get_plugin_logger(__name__)
NEEDED_EXTENSIONS = ("toc", "tables", "attr_list", "md_in_html", "admonition")


def report(diagnostics: list[Diagnostic]) -> None:
    """Log diagnostics so `mkdocs build --strict` counts them."""
    for d in diagnostics:
        text = f"{d.path}:{d.line}: {d.code} {d.message}" + (f" ({d.hint})" if d.hint else "")
        text = visible(text)  # a newline in a path or message must not forge a second line
        log.log(logging.ERROR if d.severity == "error" else logging.WARNING, text)


class FinOpsPlugin(BasePlugin):  # type: ignore[type-arg]
    supports_multiple_instances = False

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        self.config = {}
        root = Path(config_file_path or "mkdocs.yml").resolve().parent
        try:
            name = Path(config_file_path or "").name
            lines = options_lines(Path(config_file_path)) if config_file_path else {}
            self.core = from_options(root, dict(options), name, lines)
        except ConfigError as exc:
            return [("finops-kb", ValidationError(str(exc)))], []
        return [], []

    renders: Renders | None = None
    bytecode: MemoryBytecodeCache | None = None
    serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Live preview skips the PDF packs: they take seconds and nobody reads them there.
        self.serving = command == "serve"
        # With `dirty`, MkDocs renders only the pages on_files marks as changed.
        self.renders = Renders() if self.serving and dirty else None
        self.bytecode = MemoryBytecodeCache() if self.serving else None

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if self.bytecode is not None:  # serve reloads the theme each time; compile it once
            env.bytecode_cache = self.bytecode
        return env

    def on_config(self, config: Any) -> Any:
        self.core.root = Path(config.config_file_path).resolve().parent
        # Plain `mkdocs build` empties site_dir next: only a folder of our own may be emptied.
        where = outputs.rules(
            self.core.root,
            self.core.content_dir,
            self.core.playbooks_dir,
            config.docs_dir,
            config.theme.custom_dir,
        )
        site_dir = Path(config.site_dir)
        setting = outputs.config_setting(Path(config.config_file_path), "site_dir", site_dir)
        try:
            outputs.mark(outputs.guard(site_dir, setting, where))
        except ConfigError as exc:
            raise PluginError(f"finops-kb: {exc}") from None
        self.result: Result = check(self.core)
        report(self.result.diagnostics)
        self._stop_on_errors(bool(config.strict))
        for ext in NEEDED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        self.graph = graph_stage.build(
            self.result.repo, self.core.content_dir, self.core.playbooks_dir
        )
        self.site = pages.site_for(
            self.graph, bool(config.use_directory_urls), config.theme.custom_dir
        )
        self.markdown: dict[str, str] = {}
        self.parts: dict[str, pages.Parts] = {}
        content = self.core.content_dir + "/"
        self.invalid = {
            doc.path[len(content) :]: escape(_plain_title(doc))
            for doc in self.result.repo.invalid
            if doc.path.startswith(content)
        }
        self.by_src = {
            path: doc
            for doc in self.result.repo.documents
            if (path := self.graph.docs_path.get(doc.path))
            and doc.path.startswith(self.core.content_dir + "/")
        }
        return config

    def _stop_on_errors(self, strict: bool) -> None:
        """A build stops before rendering when `check` failed: invalid data would otherwise
        reach MkDocs and its theme and crash them. The live preview keeps rendering, so
        editors can fix problems while they watch."""
        failed = self.result.errors + (self.result.warnings if strict else 0)
        if failed and not self.serving:
            what = ("problem" if strict else "error") + "s" * (failed != 1)
            raise PluginError(
                f"{failed} {what} found by finops-kb check; fix them before building "
                "(`finops-kb check` lists them)"
            )

    def on_files(self, files: Files, config: Any) -> Files:
        # Never publish what leaves the repository (a link to /etc/…) or blocks (a FIFO).
        folders = [config.docs_dir, config.theme.custom_dir or config.docs_dir]
        sources = [f.abs_src_path for f in files if f.abs_src_path]
        unsafe = load.unsafe_sources(self.core.root, sources, folders)
        for file in [f for f in files if f.abs_src_path in unsafe]:
            files.remove(file)
        known = {(d.path, d.code) for d in self.result.diagnostics}  # check found most
        fresh = [d for d in unsafe.values() if (d.path, d.code) not in known]
        report(apply_severities(fresh, DEFAULTS, self.core.severity))
        generated = views.generate(self.site, self.core)
        self.titles = views.titles(self.site)
        wanted = self.core.packs_enabled and not self.serving
        self.packs = packs.resolve(self.core, self.graph)[0] if wanted else []
        if self.packs:
            generated["packs/index.md"] = views.Generated(views.packs_page(self.site, self.packs))
        for path, page in generated.items():
            if files.get_file_from_path(path) is not None:
                log.info(f"{path} exists in the docs folder; not generating it")
                continue
            if page.parts is not None:
                self.parts[path] = page.parts
            file = File.generated(config, path, content=page.markdown)
            if page.source:
                file.edit_uri = _edit_uri(config, page.source, self.core.content_dir)
            files.append(file)
        for path, html in views.redirects(self.site).items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=html))
        if not config.nav:
            has_packs = any(f.src_uri == "packs/index.md" for f in files)
            config.nav = nav.build(self.graph, self.site.org_name, list(generated), has_packs)
        if self.renders is not None:
            self._mark_changed(files, config, generated)
        return files

    def _mark_changed(self, files: Files, config: Any, generated: dict[str, Any]) -> None:
        assert self.renders is not None
        for src, doc in self.by_src.items():
            self.markdown[src], self.parts[src] = pages.render_parts(self.site, doc)
        keys = page_keys(self.by_src, self.markdown, self.parts, generated)
        custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        shared = shared_key(config.nav, Path(config.config_file_path), custom)
        changed = self.renders.changed(shared, keys)
        for file in files.documentation_pages():
            if file.src_uri in keys:
                again = file.src_uri in changed or not Path(file.abs_dest_path).is_file()
                file.is_modified = _answer(again)  # type: ignore[method-assign]

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        src = page.file.src_uri
        # The theme and the search index take the title as HTML; see views.titles. Set here,
        # before any plugin's on_page_context reads it.
        if src in self.titles:
            page.meta["title"] = self.titles[src]
        if src in self.invalid:  # only in serve: a build stops on check errors
            # MkDocs and Material read a page's front matter themselves (`hide`, `template`,
            # `tags`) and crash on a wrong shape that check reported; preview it without.
            page.meta = {"title": self.invalid[src]}
        if src in self.markdown:
            return self.markdown[src]
        doc = self.by_src.get(src)
        if doc is None:
            return markdown
        text, self.parts[src] = pages.render_parts(self.site, doc)
        return text

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        parts = self.parts.get(page.file.src_uri)
        return parts.fill(html) if parts else html

    def on_pre_build(self, config: Any) -> None:
        self.scanner = Scanner()

    @event_priority(-100)  # after every other plugin: scan the HTML as it is written
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        self.scanner.add(page.file.dest_uri, output)
        return output

    def on_build_error(self, error: Exception) -> None:
        if hasattr(self, "scanner"):
            self.scanner.close()

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        context["finops_org"] = self.site.org_html
        return context

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.core.root / self.core.playbooks_dir))
        return server

    def on_post_build(self, config: Any) -> None:
        from ..packs.pdf import render
        from .site_links import check_site

        out = Path(config.site_dir) / "packs"
        theme = [Path(config.theme.custom_dir) / "pack"] if config.theme.custom_dir else []
        for pack in self.packs:
            done = render(self.site, pack, self.core, out, theme, root=Path(config.site_dir))
            log.info(f"pack {pack.id}: {done.pages} pages in {done.seconds:.1f} s")
        site = Path(config.site_dir)
        found = self.scanner.finish(site)
        theme_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        urls = config.use_directory_urls
        report(check_site(site, self.graph, self.core, urls, found, theme_dir))
        if self.renders is not None:
            self.renders.done()


def _plain_title(doc: Any) -> str:
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
