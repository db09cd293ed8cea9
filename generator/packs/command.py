"""`finops-kb pack`: render onboarding packs with a progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..core import graph as graph_stage
from ..core import outputs
from ..core.check import check
from ..core.config import Config, ConfigError, load_config
from ..core.pack_audiences import adhoc
from ..core.pack_specs import Pack, resolve
from ..render.context import render_context
from .pdf import render

PACK_FILES = (".html", ".pdf", ".pdf.tmp")
"""What `pack_pdf.render` writes for each pack."""


def _bar(done: int, total: int, width: int = 24) -> str:
    filled = width * done // max(total, 1)
    return "[" + "#" * filled + "-" * (width - filled) + f"] {done}/{total}"


def run_packs(
    config_file: Path,
    ids: list[str],
    out: Path | None,
    audience: tuple[str, str] | None = None,
) -> int:
    """Render the configured packs named by `ids` (all by default), or with `audience`
    ("role", id) one short pack made for that role, persona or unit."""
    config = load_config(config_file)
    out_dir = _out_dir(config_file, config, out)
    result = check(config)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    for d in errors:
        print(d.format(), file=sys.stderr)
    if errors:
        print(f"finops-kb: {len(errors)} errors; fix them before rendering packs", file=sys.stderr)
        return 1
    g = graph_stage.build(result.repo, config.content_dir, config.playbooks_dir)
    chosen = [adhoc(config, g, *audience)] if audience else _configured(config, g, ids)
    outputs.mark(out_dir)
    outputs.make_room(out_dir, [f"{p.id}{ext}" for p in chosen for ext in PACK_FILES])
    # The theme folder: `theme/pack/` overrides the pack layout, `theme/parts/` the parts.
    ctx = render_context(g, custom_dir=str(config.root / "theme"))
    templates = [config.root / "theme" / "pack"]
    start = time.perf_counter()
    refused = 0
    for n, pack in enumerate(chosen):
        print(f"\r{_bar(n, len(chosen))} rendering {pack.id}…", end="", file=sys.stderr, flush=True)
        done = render(ctx, pack, config, out_dir, templates)
        refused += len(done.refused)
        print(
            f"\r{_bar(n + 1, len(chosen))} {pack.id}: {done.pages} pages in "
            f"{done.seconds:.1f} s -> {done.pdf}",
            file=sys.stderr,
        )
    print(f"finops-kb: {len(chosen)} packs in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if refused:  # each was logged with its pack and URL as it happened
        print(f"finops-kb: refused to fetch {refused} URL(s) into the packs", file=sys.stderr)
        return 1
    return 0


def _configured(config: Config, g: graph_stage.Graph, ids: list[str]) -> list[Pack]:
    packs, _problems = resolve(config, g)
    if not packs:
        raise ConfigError(f"{config.config_file}: no packs are configured (plugin option `packs`)")
    known = {p.id: p for p in packs}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ConfigError(f"unknown pack(s): {', '.join(unknown)}; configured: {', '.join(known)}")
    return [known[i] for i in ids] if ids else packs


def _out_dir(config_file: Path, config: Config, out: Path | None) -> Path:
    """The folder for the PDFs, checked like a site folder: the packs overwrite what is there."""
    docs_dir = outputs.mkdocs_value(config_file, "docs_dir")[0] or "docs"
    custom_dir = outputs.mkdocs_value(config_file, "theme", "custom_dir")[0]
    where = outputs.rules(
        config.root, config.content_dir, config.playbooks_dir, docs_dir, custom_dir
    )
    setting = f"`pack --out {out}`" if out else "`packs` (the default of `pack --out`)"
    return outputs.guard(out or config.root / "packs", setting, where, example="packs")
