"""The MkDocs plugin of the site: wires MkDocs events to the core stages and the renderers.

No logic of its own lives here: the stages are in core/, the pages in render/, and what the
plugin adds to MkDocs' files in site_files.py. PDF packs are added on top of this class by
generator/mkdocs_plugin.py, so this layer does not depend on packs/.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from ..core import external_links, pack_specs
from ..core import graph as graph_stage
from ..core.check import Result, check
from ..core.codes import DEFAULTS
from ..core.config import ConfigError, from_options, options_lines
from ..core.diagnostics import Diagnostic, apply_severities
from ..core.pack_specs import Pack
from ..render import framework_pages as pages
from ..render import generated_pages as views
from ..render import nav
from ..render.context import render_context
from ..render.html_parts import Parts
from . import preview, site_files, steps
from .html_links import Scanner
from .incremental import MemoryBytecodeCache, Renders, page_keys
from .site_links import check_site

log = get_plugin_logger(__name__)
NEEDED_EXTENSIONS = ("toc", "tables", "attr_list", "md_in_html", "admonition", "pymdownx.tasklist")


def report(diagnostics: list[Diagnostic]) -> None:
    """Log diagnostics so `mkdocs build --strict` counts them, in the CLI's text format."""
    for d in diagnostics:
        log.log(logging.ERROR if d.severity == "error" else logging.WARNING, d.format())


class SitePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    supports_multiple_instances = False
    with_packs = False
    """Whether the site lists PDF packs (a subclass renders them in `render_packs`)."""
    renders: Renders | None = None
    bytecode: MemoryBytecodeCache | None = None
    serving = False
    packs: list[Pack] = []

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
        try:
            site_files.guard_site_dir(self.core, config)
        except ConfigError as exc:
            raise PluginError(f"finops-kb: {exc}") from None
        self.result: Result = check(self.core)
        self.result.diagnostics += external_links.for_build(self.core, self.result, self.serving)
        report(self.result.diagnostics)
        site_files.stop_on_errors(self.result, bool(config.strict), self.serving)
        for ext in NEEDED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        self.graph = graph_stage.build(
            self.result.repo, self.core.content_dir, self.core.playbooks_dir
        )
        custom_dir = config.theme.custom_dir
        self.ctx = render_context(self.graph, bool(config.use_directory_urls), custom_dir)
        self.markdown: dict[str, str] = {}
        self.parts: dict[str, Parts] = {}
        self.invalid = site_files.invalid_titles(self.result, self.core.content_dir)
        content = self.core.content_dir + "/"
        self.by_src = {
            path: doc
            for doc in self.result.repo.documents
            if (path := self.graph.docs_path.get(doc.path)) and doc.path.startswith(content)
        }
        preview.attach(config, self)  # serve only: problems on the pages, deleted pages pruned
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        report(site_files.drop_unsafe(files, config, self.core, self.result))
        generated = views.generate(self.ctx, self.core)
        self.titles = views.titles(self.ctx)
        wanted = self.with_packs and self.core.packs_enabled and not self.serving
        self.packs = pack_specs.resolve(self.core, self.graph)[0] if wanted else []
        if self.packs:
            generated["packs/index.md"] = views.Generated(views.packs_page(self.ctx, self.packs))
        parts, skipped = site_files.add_generated(files, config, generated, self.core.content_dir)
        self.parts.update(parts)
        for path in skipped:
            log.info(f"{path} exists in the docs folder; not generating it")
        site_files.add_redirects(files, config, views.redirects(self.ctx))
        if not config.nav:
            has_packs = any(f.src_uri == "packs/index.md" for f in files)
            config.nav = nav.build(self.graph, self.ctx.org_name, list(generated), has_packs)
        if self.renders is not None:
            for src, doc in self.by_src.items():
                self.markdown[src], self.parts[src] = pages.render_parts(self.ctx, doc)
            keys = page_keys(self.by_src, self.markdown, self.parts, generated)
            site_files.mark_changed(self.renders, files, config, keys)
        for step in steps.ON_FILES:
            step(self, files, config)
        return files

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
        text, self.parts[src] = pages.render_parts(self.ctx, doc)
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
        context["finops_org"] = self.ctx.org_html
        return context

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.core.root / self.core.playbooks_dir))
        return server

    def render_packs(self, config: Any) -> None:
        """Write `self.packs` into the built site (see generator/mkdocs_plugin.py)."""

    def on_post_build(self, config: Any) -> None:
        self.render_packs(config)  # before the link check, which sees the packs' files
        for step in steps.AFTER_PAGES:
            step(self, config)
        site = Path(config.site_dir)
        found = self.scanner.finish(site)
        theme_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        urls = config.use_directory_urls
        problems = check_site(site, self.graph, self.core, urls, found, theme_dir)
        report(apply_severities(problems, DEFAULTS, self.core.severity))
        if self.renders is not None:
            self.renders.done()
