"""`finops-kb new`: start a file from the content model, never overwriting one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .config import Config, ConfigError
from .rules.sections import REQUIRED

FRONT = {
    "capability": """kind: capability
id: {id}
title: {title}
domain: understand-usage-and-cost
summary: One sentence on what this capability achieves.
phases: [inform]
personas:
  lead: [finops-practitioner]
  involved: []
related: []
aliases: []
framework_version: "{year}"
last_reviewed: {today}
sources:
  - title: {title}
    url: https://www.finops.org/framework/capabilities/{id}/""",
    "overlay": """kind: overlay
capability: {id}
owner: head-of-finops
maturity:
  current: crawl
  target: walk
  assessed: {today}
kpis:
  - name: Name of a KPI we track
    target: ">= 80%"
    current: "n/a"
last_reviewed: {today}""",
    "adoption-phase": """kind: adoption-phase
id: {id}
title: {title}
order: 5
status: not-started
owner: head-of-finops
exit_criteria:
  - criterion: What must be true to close this phase
    met: false
last_reviewed: {today}""",
    "page": """kind: page
title: {title}
last_reviewed: {today}""",
}
WHERE = {
    "capability": "{content}/capabilities/{id}.md",
    "overlay": "{playbooks}/capabilities/{id}.md",
    "adoption-phase": "{playbooks}/adoption/{id}.md",
    "page": "{content}/{id}.md",
}


def create(config: Config, kind: str, ident: str, today: dt.date | None = None) -> Path:
    if not ident or ident != ident.lower() or " " in ident or ident.startswith(("/", ".")):
        raise ConfigError(f"`{ident}` is not a valid id: use lower-case-kebab-case")
    today = today or config.clock()
    rel = WHERE[kind].format(content=config.content_dir, playbooks=config.playbooks_dir, id=ident)
    path = config.root / rel
    if path.exists():
        raise ConfigError(f"{rel} already exists; edit it instead")
    title = ident.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    front = FRONT[kind].format(id=ident, title=title, today=today.isoformat(), year=today.year)
    body = []
    for name, children in REQUIRED.get(kind, []):
        body += [f"## {name}", "", "Write this section.", ""]
        for child in children:
            body += [f"### {child}", "", "- Write this level.", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n" + "\n".join(body), "utf-8")
    return path.relative_to(config.root)
