"""The plugin MkDocs loads as `finops-kb`: the site plugin of plugin/ with the PDF packs of
packs/ added. It sits on top, beside cli.py, because it joins two layers that do not know
each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .packs.pdf import render
from .plugin.site_plugin import SitePlugin, log


class FinOpsPlugin(SitePlugin):  # type: ignore[no-untyped-call]
    with_packs = True

    def render_packs(self, config: Any) -> None:
        out = Path(config.site_dir) / "packs"
        theme = [Path(config.theme.custom_dir) / "pack"] if config.theme.custom_dir else []
        for pack in self.packs:
            done = render(self.ctx, pack, self.core, out, theme, root=Path(config.site_dir))
            log.info(f"pack {pack.id}: {done.pages} pages in {done.seconds:.1f} s")
