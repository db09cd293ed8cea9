"""The pure core: load, validate and run every rule, with no MkDocs involved."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from . import load, schema
from .codes import DEFAULTS
from .config import Config
from .diagnostics import Diagnostic, apply_severities
from .model import Repository
from .rules import (
    assessments,
    freshness,
    links,
    placeholder_text,
    raci,
    sections,
    unit_layers,
    units,
)
from .rules import id_references as references
from .rules import url_schemes as urls

Rule = Callable[[Repository, Config], list[Diagnostic]]
RULES: dict[str, Rule] = {
    # First, always: the schema stage is the gate that takes invalid documents and data entries
    # out of the repository, so every later rule (and the graph, pages and packs) reads only
    # valid, typed data and reports nothing that follows from an invalid file.
    "schema": lambda repo, _config: schema.run(repo),
    "sections": sections.run,
    "references": references.run,
    "raci": raci.run,
    "units": units.run,
    "unit-layers": unit_layers.run,
    "assessments": assessments.run,
    "links": links.run,
    "freshness": freshness.run,
    "urls": urls.run,
    "placeholders": placeholder_text.run,
}


@dataclass(slots=True)
class Result:
    repo: Repository
    diagnostics: list[Diagnostic]
    seconds: float

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def check(config: Config) -> Result:
    """Run every stage and rule; reports all problems, never stops at the first."""
    start = time.perf_counter()
    repo, problems = load.load(config.root, config.dirs)
    for rule in RULES.values():
        problems += rule(repo, config)
    if config.packs:
        from . import graph
        from . import pack_specs as packs

        problems += packs.resolve(
            config, graph.build(repo, config.content_dir, config.playbooks_dir)
        )[1]
    diagnostics = apply_severities(problems, DEFAULTS, config.severity)
    return Result(repo, diagnostics, time.perf_counter() - start)
