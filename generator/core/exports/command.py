"""`finops-kb export`: check the repository, then write the chosen exports into a guarded folder.

The folder is treated like the site and packs folders (outputs.guard): never the repository,
a source folder or someone else's folder, and it carries our marker. The exports are written
only from a repository `check` passes, as the packs are: invalid data never reaches a file
someone will forward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import graph as graph_stage
from .. import outputs
from ..check import check
from ..config import Config, ConfigError
from ..diagnostics import Diagnostic
from . import files
from .names import FORMATS

DEFAULT_FOLDER = "exports"


@dataclass(slots=True)
class Done:
    folder: Path
    files: list[str] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    """Errors `check` found; nothing was written when there are any."""


def formats(text: str) -> list[str]:
    """`csv,xlsx` -> the formats, in their own order; ConfigError names a wrong one."""
    asked = [f.strip().lower() for f in text.split(",") if f.strip()]
    wrong = [f for f in asked if f not in FORMATS]
    if wrong or not asked:
        raise ConfigError(
            f"--format {text}: unknown format {', '.join(wrong) or '(none given)'}; "
            f"give one or more of {','.join(FORMATS)}, comma-separated"
        )
    return [f for f in FORMATS if f in asked]


def out_folder(config: Config, out: Path | None) -> Path:
    """The folder to write to, checked like a site folder: the exports overwrite what is there."""
    config_file = config.root / config.config_file
    docs_dir = outputs.mkdocs_value(config_file, "docs_dir")[0] or "docs"
    custom_dir = outputs.mkdocs_value(config_file, "theme", "custom_dir")[0]
    where = outputs.rules(
        config.root, config.content_dir, config.playbooks_dir, docs_dir, custom_dir
    )
    setting = (
        f"`export --out {out}`" if out else f"`{DEFAULT_FOLDER}` (the default of `export --out`)"
    )
    return outputs.guard(
        out or config.root / DEFAULT_FOLDER, setting, where, example=DEFAULT_FOLDER
    )


def run(config: Config, out: Path | None, chosen: list[str]) -> Done:
    folder = out_folder(config, out)
    result = check(config)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        return Done(folder, errors=errors)
    g = graph_stage.build(result.repo, config.content_dir, config.playbooks_dir)
    outputs.mark(folder)
    return Done(folder, files.write(folder, g, chosen))
