"""A synthetic, deterministic FinOps knowledge base of N capability pages for the benchmarks.

    python benchmarks/synthetic.py OUT_DIR --n 2000 [--seed 1] [--variant both|plugin|plain]
                                           [--break-links K]

Writes, under OUT_DIR:

- `content/`: 4 domains, the 11 personas, 3 phases and N capabilities (every required section,
  ~600 words each, lists, a KPI table, links with `#anchors` to 3 related capabilities);
- `playbooks/`: overlays for about half of the capabilities, `organization.yml` (12 roles),
  `raci.yml` (N/2 activities: one A, at least one R, every role used), the steering committee
  charter and the 4 adoption phases;
- `site_config.yml`: Material (`navigation.prune`, `font: false`, our `theme/` as `custom_dir`)
  with the `search` and `finops-kb` plugins, building to `site/`;
- `plain_config.yml`: the same pages (a copy of `content/`, front matter and all, in
  `plain-docs/`, plus a one-paragraph home page so the theme's link to the site root resolves)
  built by plain MkDocs + Material with the same theme settings, Markdown extensions and
  navigation shape (domains > capabilities, personas, phases) and only `search`, to `site-plain/`.

The result passes `finops-kb check` with 0 errors and 0 warnings (as of 2026-11-23; reviews are
dated in 2026). `--break-links K` deliberately breaks K links (missing pages, missing anchors on
existing pages, missing same-page anchors) and lists them in `OUT_DIR/broken.json`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.rules.sections import REQUIRED
from generator.render import nav

REPO = Path(__file__).resolve().parent.parent
THEME_DIR = REPO / "theme"
TODAY = "2026-11-23"
"""The date the synthetic reviews are fresh for (pass it as `today` to `check`)."""

PLAIN_DOCS = "plain-docs"
"""Docs folder of the plain variant: a copy of `content/` plus a home page."""
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition"]
"""Markdown extensions the finops-kb plugin needs; both variants list them so they compare."""

DOMAINS = [
    ("understand-usage-and-cost", "Understand Usage & Cost"),
    ("quantify-business-value", "Quantify Business Value"),
    ("optimize-usage-and-cost", "Optimize Usage & Cost"),
    ("manage-the-finops-practice", "Manage the FinOps Practice"),
]
PERSONAS = [
    ("finops-practitioner", "FinOps Practitioner", "core"),
    ("engineering", "Engineering", "core"),
    ("finance", "Finance", "core"),
    ("product", "Product", "core"),
    ("procurement", "Procurement", "core"),
    ("leadership", "Leadership", "core"),
    ("itam", "ITAM", "allied"),
    ("itfm-tbm", "ITFM/TBM", "allied"),
    ("itsm-itil", "ITSM/ITIL", "allied"),
    ("security", "Security", "allied"),
    ("sustainability-practitioner", "Sustainability", "allied"),
]
PHASES = [("inform", "Inform"), ("optimize", "Optimize"), ("operate", "Operate")]
ROLES = [  # id, title, persona, team
    ("head-of-finops", "Head of FinOps", "finops-practitioner", "Cloud Business Office"),
    ("finops-analyst", "FinOps Analyst", "finops-practitioner", "Cloud Business Office"),
    ("cfo", "Chief Financial Officer", "leadership", "Executive Office"),
    ("cto", "Chief Technology Officer", "leadership", "Executive Office"),
    ("fpa-manager", "FP&A Manager", "finance", "Financial Planning"),
    ("platform-engineering-lead", "Platform Engineering Lead", "engineering", "Platform"),
    ("product-director", "Product Director", "product", "Product Management"),
    ("procurement-manager", "Procurement Manager", "procurement", "Sourcing"),
    ("itam-manager", "IT Asset Manager", "itam", "IT Asset Management"),
    ("tbm-analyst", "TBM Analyst", "itfm-tbm", "IT Finance"),
    ("security-architect", "Security Architect", "security", "Security"),
    ("sustainability-lead", "Sustainability Lead", "sustainability-practitioner", "ESG Office"),
]
ADOPTION = [
    ("plan", "Plan for FinOps", "done"),
    ("socialize", "Socialize the practice", "done"),
    ("prepare", "Prepare the organization", "in-progress"),
    ("adopt", "Adopt FinOps", "not-started"),
]

# Vocabulary for titles and prose. Sentences are assembled from these; they are filler with a
# realistic shape (length, punctuation, emphasis, links), not content.
QUALIFIERS = [
    "Container",
    "Commitment",
    "Storage",
    "Network",
    "Data Platform",
    "Licence",
    "Serverless",
    "Database",
    "Analytics",
    "Kubernetes",
    "Edge",
    "Backup",
    "Mainframe",
    "Machine Learning",
    "SaaS",
    "Marketplace",
    "Observability",
    "Private Cloud",
    "Streaming",
    "Batch Workload",
]
SUBJECTS = [
    "Cost",
    "Usage",
    "Spend",
    "Capacity",
    "Consumption",
    "Contract",
    "Budget",
    "Rate",
    "Carbon",
    "Invoice",
    "Forecast",
    "Allocation",
    "Anomaly",
    "Tagging",
    "Chargeback",
    "Reservation",
    "Showback",
    "Entitlement",
    "Variance",
    "Value",
]
ASPECTS = [
    "Visibility",
    "Planning",
    "Governance",
    "Reporting",
    "Optimization",
    "Tracking",
    "Forecasting",
    "Reconciliation",
    "Benchmarking",
    "Automation",
]
ACTORS = [
    "Engineering teams",
    "Finance partners",
    "Product owners",
    "The FinOps team",
    "Procurement",
    "Service owners",
    "Platform engineers",
    "Business unit leaders",
    "Executive sponsors",
    "Data analysts",
]
VERBS = [
    "review",
    "reconcile",
    "publish",
    "refine",
    "validate",
    "forecast",
    "allocate",
    "benchmark",
    "automate",
    "document",
]
NOUNS = [
    "cost allocation data",
    "commitment portfolio",
    "tagging policy",
    "showback report",
    "forecast model",
    "budget baseline",
    "anomaly threshold",
    "unit cost metric",
    "invoice reconciliation",
    "rightsizing backlog",
    "usage dataset",
    "savings plan inventory",
    "licence entitlement register",
    "carbon estimate",
    "workload placement decision",
    "chargeback statement",
    "cost dashboard",
    "spend guardrail",
    "shared cost pool",
    "reservation coverage report",
]
TIMES = [
    "every month",
    "before each quarterly review",
    "within two working days",
    "at the end of each billing cycle",
    "every sprint",
    "ahead of the annual plan",
    "each week",
    "whenever a new account is created",
]
OUTCOMES = [
    "decisions rest on numbers everyone trusts",
    "teams see the cost of their choices while they can still change them",
    "finance can explain variances without a manual investigation",
    "leaders can compare spend with the value it produces",
    "waste is found before it reaches the invoice",
    "commitments match the usage they are meant to cover",
    "every dollar of spend has an accountable owner",
    "forecasts stay within the agreed tolerance",
]
OBSTACLES = [
    "waiting for a monthly extract",
    "asking another team for access",
    "reworking the numbers by hand",
    "a dispute about ownership",
    "guessing which account pays",
    "a separate approval cycle",
]
ADJECTIVES = ["reliable", "useful", "complete", "current", "actionable", "credible"]
STATES = {
    "crawl": [
        "is maintained by hand in a spreadsheet",
        "is reviewed only when someone asks",
        "is owned by a single analyst",
        "covers the largest accounts only",
        "is published irregularly",
        "has no agreed definition",
    ],
    "walk": [
        "is scripted and reviewed monthly",
        "is shared with most product teams",
        "has a named owner in each business unit",
        "covers most of the spend",
        "follows a documented procedure",
        "is checked against the invoice each cycle",
    ],
    "run": [
        "is automated from end to end",
        "is trusted and used by every team",
        "feeds planning and budgeting directly",
        "covers all spend, including SaaS",
        "is measured against targets every week",
        "triggers action without manual steps",
    ],
}
KPI_NAMES = [
    "Allocation coverage",
    "Forecast accuracy",
    "Commitment coverage",
    "Effective savings rate",
    "Anomaly response time",
    "Tagging compliance",
    "Unit cost trend",
    "Idle resource ratio",
    "Budget variance",
    "Invoice match rate",
]
KPI_FORMULAS = [
    "allocated spend / total spend",
    "1 - |actual - forecast| / actual",
    "committed eligible usage / total eligible usage",
    "savings achieved / on-demand equivalent cost",
    "median hours from detection to owner acknowledgement",
    "tagged resources / total resources",
    "cost per business transaction",
    "idle resource hours / total resource hours",
    "(actual - budget) / budget",
    "reconciled invoice lines / total invoice lines",
]


@dataclass
class Capability:
    id: str
    title: str
    domain: str
    lead: list[str]
    involved: list[str]
    phases: list[str]
    related: list[str]
    alias: bool = False


@dataclass
class KB:
    """What was generated (for the benchmarks' reports)."""

    out: Path
    n: int
    capabilities: list[Capability] = field(default_factory=list)
    overlays: int = 0
    activities: int = 0
    broken: list[dict[str, str]] = field(default_factory=list)
    words: int = 0

    @property
    def site_config(self) -> Path:
        return self.out / "site_config.yml"

    @property
    def plain_config(self) -> Path:
        return self.out / "plain_config.yml"


_WORD = re.compile(r"[^\W\d_][\w'-]*")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Prose:
    """Deterministic sentence and bullet maker."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def c(self, items: list[str]) -> str:
        return self.r.choice(items)

    def sentence(self, topic: str) -> str:
        r = self.r.randrange(5)
        if r == 0:
            return (
                f"{self.c(ACTORS)} {self.c(VERBS)} the {self.c(NOUNS)} {self.c(TIMES)} so "
                f"that {self.c(OUTCOMES)}."
            )
        if r == 1:
            return (
                f"In {topic}, the {self.c(NOUNS)} is {self.c(ADJECTIVES)} only when "
                f"{self.c(ACTORS).lower()} can act on it without {self.c(OBSTACLES)}."
            )
        if r == 2:
            return (
                f"The practice connects the {self.c(NOUNS)} with the {self.c(NOUNS)}, "
                f"which means {self.c(OUTCOMES)}."
            )
        if r == 3:
            return (
                f"{topic} asks {self.c(ACTORS).lower()} to {self.c(VERBS)} the "
                f"{self.c(NOUNS)} {self.c(TIMES)} and to record what changed."
            )
        return (
            f"Without it, {self.c(ACTORS).lower()} end up {self.c(OBSTACLES)}, and the "
            f"{self.c(NOUNS)} loses its value."
        )

    def paragraph(self, topic: str, sentences: int) -> str:
        return " ".join(self.sentence(topic) for _ in range(sentences))

    def bullet(self) -> str:
        return f"{self.c(ACTORS)} {self.c(VERBS)} the {self.c(NOUNS)} {self.c(TIMES)}."

    def state(self, level: str) -> str:
        share = self.r.randrange(20, 96)
        return f"The {self.c(NOUNS)} {self.c(STATES[level])}, for about {share}% of spend."


def _front(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n"


def _reviewed(rng: random.Random) -> str:
    return f"2026-{rng.randrange(6, 12):02d}-{rng.randrange(1, 21):02d}"


def _capability_md(
    cap: Capability, caps: dict[str, Capability], rng: random.Random, breaks: list[tuple[str, str]]
) -> str:
    p = Prose(rng)
    titles = {pid: t for pid, t, _ in PERSONAS}
    rel = [caps[r] for r in cap.related]
    domain_title = dict(DOMAINS)[cap.domain]
    front = [
        "kind: capability",
        f"id: {cap.id}",
        f"title: {cap.title}",
        f"domain: {cap.domain}",
        f"summary: Makes {cap.title.lower()} {p.c(ADJECTIVES)} so that {p.c(OUTCOMES)}.",
        f"phases: [{', '.join(cap.phases)}]",
        "personas:",
        f"  lead: [{', '.join(cap.lead)}]",
        f"  involved: [{', '.join(cap.involved)}]",
        f"related: [{', '.join(cap.related)}]",
    ]
    if cap.alias:
        front += [
            "aliases:",
            f"  - slug: legacy-{cap.id}",
            f"    title: Legacy {cap.title}",
            '    framework: "2024-2025"',
        ]
    else:
        front.append("aliases: []")
    front += [
        'framework_version: "2026"',
        f"last_reviewed: {_reviewed(rng)}",
        "sources:",
        f"  - title: {cap.title}",
        f"    url: https://www.finops.org/framework/capabilities/{cap.id}/",
    ]
    body = [
        "## Definition",
        "",
        p.paragraph(cap.title, 3) + f" It builds on [{rel[0].title}]({rel[0].id}.md#definition)"
        f" and belongs to the [{domain_title}](../domains/{cap.domain}.md#overview) domain.",
        "",
        p.paragraph(cap.title, 2),
        "",
        "## Why it matters",
        "",
        p.paragraph(cap.title, 2),
        "",
        *[f"- {p.bullet()}" for _ in range(3)],
        "",
        "## Maturity",
        "",
        f"Observable states of {cap.title} at each level:",
        "",
    ]
    for level in ("crawl", "walk", "run"):
        body += [f"### {level.capitalize()}", "", *[f"- {p.state(level)}" for _ in range(4)], ""]
    body += ["## Functional activities", "", "What each persona does in this capability.", ""]
    for pid in cap.lead + cap.involved:
        body += [
            f"### {titles[pid]}",
            "",
            *[f"- {p.bullet()}" for _ in range(rng.randrange(2, 4))],
            "",
        ]
    kpis = rng.sample(range(len(KPI_NAMES)), 3)
    body += [
        "## Measures of success",
        "",
        p.paragraph(cap.title, 2) + " Compare with "
        f"[{rel[1].title}]({rel[1].id}.md#measures-of-success).",
        "",
        "| KPI | Formula | Crawl | Walk | Run |",
        "|---|---|---|---|---|",
    ]
    for k in kpis:
        lo = rng.randrange(40, 70)
        body.append(f"| {KPI_NAMES[k]} | {KPI_FORMULAS[k]} | ~{lo}% | >{lo + 15}% | >{lo + 25}% |")
    body += [
        "",
        *[f"- **{KPI_NAMES[k]}** = {KPI_FORMULAS[k]}; reviewed {p.c(TIMES)}." for k in kpis],
        "",
        "## Inputs and outputs",
        "",
        "**Inputs**",
        "",
        f"- [{rel[2].title}]({rel[2].id}.md#inputs-and-outputs) supplies the {p.c(NOUNS)}.",
        f"- {p.bullet()}",
        "",
        "**Outputs**",
        "",
        f"- The {p.c(NOUNS)} goes to [{rel[0].title}]({rel[0].id}.md).",
        f"- {p.bullet()}",
        "",
    ]
    for text, _href in breaks:
        at = body.index("## Maturity")
        body[at:at] = [text, ""]
    return _front(front) + "\n".join(body)


def _overlay_md(cap: Capability, rng: random.Random) -> str:
    p = Prose(rng)
    levels = ["crawl", "walk", "run"]
    cur = rng.randrange(3)
    target = min(2, cur + rng.randrange(0, 2))
    owner = rng.choice(ROLES)[0]
    kpi = rng.randrange(len(KPI_NAMES))
    front = [
        "kind: overlay",
        f"capability: {cap.id}",
        f"owner: {owner}",
        "maturity:",
        f"  current: {levels[cur]}",
        f"  target: {levels[target]}",
        "  assessed: 2026-09-30",
        "kpis:",
        f"  - name: {KPI_NAMES[kpi]}",
        f'    target: ">= {rng.randrange(70, 95)}%"',
        f'    current: "{rng.randrange(40, 90)}%"',
        f"    formula: {KPI_FORMULAS[kpi]}",
        f"last_reviewed: {_reviewed(rng)}",
    ]
    body = [
        "## How we do it here",
        "",
        p.paragraph(cap.title, 4),
        "",
        "### Cadence and tools",
        "",
        *[f"- {p.bullet()}" for _ in range(4)],
        "",
        p.paragraph(cap.title, 2) + " See the framework's "
        f"[maturity levels](../../content/capabilities/{cap.id}.md#maturity).",
        "",
    ]
    return _front(front) + "\n".join(body)


def _simple_page(front: list[str], sections: list[tuple[str, str]]) -> str:
    body = []
    for title, text in sections:
        body += [f"## {title}", "", text, ""]
    return _front(front) + "\n".join(body)


def plan(n: int, rng: random.Random) -> list[Capability]:
    combos = list(itertools.product(QUALIFIERS, SUBJECTS, ASPECTS))
    picked = rng.sample(combos, min(n, len(combos)))
    titles = [" ".join(c) for c in picked]
    titles += [f"{' '.join(rng.choice(combos))} {i}" for i in range(len(titles), n)]
    ids = [f"{slug(t)}" for t in titles]
    persona_ids = [pid for pid, _, _ in PERSONAS]
    caps = []
    for i, (cid, title) in enumerate(zip(ids, titles, strict=True)):
        people = rng.sample(persona_ids, rng.randrange(2, 5))
        lead_n = rng.randrange(1, min(3, len(people)))
        phases = [ph for ph, _ in PHASES if rng.random() < 0.6] or [PHASES[i % 3][0]]
        others = rng.sample(range(n - 1), 3)
        related = [ids[j if j < i else j + 1] for j in others]
        caps.append(
            Capability(
                cid,
                title,
                DOMAINS[i % 4][0],
                people[:lead_n],
                people[lead_n:],
                phases,
                related,
                alias=rng.random() < 0.05,
            )
        )
    return caps


def generate(out: Path, n: int, seed: int = 1, variant: str = "both", break_links: int = 0) -> KB:
    """Write the knowledge base under `out` (which is emptied first); returns what was written."""
    if n < 4:
        raise ValueError("n must be at least 4")
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content, playbooks = out / "content", out / "playbooks"
    for d in ("capabilities", "domains", "personas", "phases"):
        (content / d).mkdir(parents=True)
    kb = KB(out, n)
    caps = plan(n, rng)
    kb.capabilities = caps
    by_id = {c.id: c for c in caps}

    # Broken links for the link-check comparison: missing page, missing anchor, same-page anchor.
    brng = random.Random(seed + 1000)
    breaks: dict[str, list[tuple[str, str]]] = {}
    for k, i in enumerate(brng.sample(range(n), break_links) if break_links else []):
        cap = caps[i]
        kind = ("link", "anchor", "same-page-anchor")[k % 3]
        if kind == "link":
            href = f"retired-capability-{k}.md"
        elif kind == "anchor":
            href = f"{cap.related[0]}.md#no-such-section-{k}"
        else:
            href = f"#no-such-section-{k}"
        text = f"A deliberately broken reference: [see this]({href})."
        breaks.setdefault(cap.id, []).append((text, href))
        kb.broken.append({"page": f"capabilities/{cap.id}.md", "href": href, "kind": kind})

    for cap in caps:
        text = _capability_md(cap, by_id, rng, breaks.get(cap.id, []))
        kb.words += len(_WORD.findall(text.split("\n---\n", 1)[1]))
        (content / "capabilities" / f"{cap.id}.md").write_text(text, "utf-8")
    p = Prose(rng)
    for order, (did, title) in enumerate(DOMAINS, 1):
        front = [
            "kind: domain",
            f"id: {did}",
            f"title: {title}",
            f"order: {order}",
            f"summary: How the organization gets {title.lower()} right.",
            f"last_reviewed: {_reviewed(rng)}",
            "sources:",
            f"  - title: {title}",
            f"    url: https://www.finops.org/framework/domains/{did}/",
        ]
        (content / "domains" / f"{did}.md").write_text(
            _simple_page(
                front,
                [
                    ("Overview", p.paragraph(title, 7)),
                    ("How the capabilities fit together", p.paragraph(title, 4)),
                ],
            ),
            "utf-8",
        )
    for pid, title, ptype in PERSONAS:
        front = [
            "kind: persona",
            f"id: {pid}",
            f"title: {title}",
            f"type: {ptype}",
            f"summary: What the {title} persona brings to the practice.",
            f"last_reviewed: {_reviewed(rng)}",
            "sources:",
            f"  - title: {title} persona",
            f"    url: https://www.finops.org/framework/persona/{pid}/",
        ]
        (content / "personas" / f"{pid}.md").write_text(
            _simple_page(
                front,
                [
                    ("Role in FinOps", p.paragraph(title, 7)),
                    ("What good looks like", p.paragraph(title, 3)),
                ],
            ),
            "utf-8",
        )
    for order, (phid, title) in enumerate(PHASES, 1):
        front = [
            "kind: phase",
            f"id: {phid}",
            f"title: {title}",
            f"order: {order}",
            f"summary: The {title} phase of the FinOps lifecycle.",
            f"last_reviewed: {_reviewed(rng)}",
            "sources: [{title: FinOps Phases, url: https://www.finops.org/framework/phases/}]",
        ]
        (content / "phases" / f"{phid}.md").write_text(
            _simple_page(
                front,
                [
                    ("What happens in this phase", p.paragraph(title, 6)),
                    ("Moving on", p.paragraph(title, 4)),
                ],
            ),
            "utf-8",
        )

    if variant in ("both", "plugin"):
        _playbooks(playbooks, kb, caps, rng)
        kb.site_config.write_text(site_config(), "utf-8")
    if variant in ("both", "plain"):
        # The same pages, plus a plain home page so the theme's link to the site root resolves.
        shutil.copytree(content, out / PLAIN_DOCS)
        (out / PLAIN_DOCS / "index.md").write_text(
            _simple_page(
                ["kind: page", "title: Synthetic FinOps KB"],
                [("Start here", p.paragraph("The knowledge base", 3))],
            ),
            "utf-8",
        )
        kb.plain_config.write_text(plain_config(caps), "utf-8")
    if kb.broken:
        (out / "broken.json").write_text(json.dumps(kb.broken, indent=2) + "\n", "utf-8")
    return kb


def _playbooks(playbooks: Path, kb: KB, caps: list[Capability], rng: random.Random) -> None:
    (playbooks / "capabilities").mkdir(parents=True)
    (playbooks / "adoption").mkdir()
    p = Prose(rng)
    for cap in caps:
        if rng.random() < 0.5:
            (playbooks / "capabilities" / f"{cap.id}.md").write_text(_overlay_md(cap, rng), "utf-8")
            kb.overlays += 1
    org = [
        "name: Synthetic Logistics",
        "repository_url: https://git.example.org/finops/kb",
        "edit_branch: main",
        "roles:",
    ]
    for rid, title, persona, team in ROLES:
        org += [
            f"  - id: {rid}",
            f"    title: {title}",
            f"    persona: {persona}",
            f"    team: {team}",
            f"    contact: {rid}@example.org",
        ]
    (playbooks / "organization.yml").write_text("\n".join(org) + "\n", "utf-8")
    role_ids = [r[0] for r in ROLES]
    acts = ["activities:"]
    count = max(1, len(caps) // 2)
    for j in range(count):
        cap = caps[(2 * j + rng.randrange(2)) % len(caps)]
        people = rng.sample(role_ids, rng.randrange(2, 6))
        if j < len(role_ids) and role_ids[j] not in people:
            people[-1] = role_ids[j]  # every role gets at least one assignment
        letters = ["A", "R"] + [rng.choice("RCI") for _ in people[2:]]
        acts += [
            f"  - id: act-{j:05d}-{slug(rng.choice(VERBS))}",
            f"    title: {rng.choice(VERBS).capitalize()} the {rng.choice(NOUNS)} for {cap.title}",
            f"    capability: {cap.id}",
            "    assignments:",
        ]
        acts += [f"      {role}: {letter}" for role, letter in zip(people, letters, strict=True)]
    kb.activities = count
    (playbooks / "raci.yml").write_text("\n".join(acts) + "\n", "utf-8")
    front = [
        "kind: charter",
        "title: FinOps Steering Committee",
        "chair: head-of-finops",
        "sponsor: cfo",
        "members: [cfo, cto, head-of-finops, fpa-manager, "
        "platform-engineering-lead, product-director, procurement-manager]",
        "cadence: Monthly, second Tuesday, 60 minutes",
        "quorum: Chair or deputy plus three members including Finance and Engineering",
        "decision_rights:",
        "  - decision: Commitment purchases",
        "    approver: cfo",
        "    threshold: Above USD 250,000 total commitment",
        "  - decision: Tagging policy changes",
        "    approver: head-of-finops",
        f"last_reviewed: {_reviewed(rng)}",
    ]
    sections = [name for name, _ in REQUIRED["charter"]]  # what `check` requires
    (playbooks / "steering-committee.md").write_text(
        _simple_page(front, [(s, p.paragraph("The committee", 3)) for s in sections]), "utf-8"
    )
    for order, (aid, title, status) in enumerate(ADOPTION, 1):
        met = "true" if status == "done" else "false"
        front = [
            "kind: adoption-phase",
            f"id: {aid}",
            f"title: {title}",
            f"order: {order}",
            f"status: {status}",
            f"owner: {ROLES[order % len(ROLES)][0]}",
            "exit_criteria:",
            "  - criterion: Executive sponsor named and briefed",
            f"    met: {met}",
            "  - criterion: First cost report published",
            f"    met: {met}",
            f"last_reviewed: {_reviewed(rng)}",
        ]
        (playbooks / "adoption" / f"{aid}.md").write_text(
            _simple_page(
                front,
                [
                    ("Goals", p.paragraph(title, 3)),
                    ("Activities", p.paragraph(title, 3)),
                    ("Exit criteria", p.paragraph(title, 2)),
                ],
            ),
            "utf-8",
        )


def _theme(extra_plugins: str, docs_dir: str = "content") -> str:
    return (
        f"""docs_dir: {docs_dir}
use_directory_urls: false
theme:
  name: material
  custom_dir: {THEME_DIR}
  font: false
  features:
    - navigation.prune
markdown_extensions:
"""
        + "".join(f"  - {e}\n" for e in EXTENSIONS)
        + "plugins:\n  - search\n"
        + extra_plugins
    )


def site_config() -> str:
    """The plugin variant: search + finops-kb (no packs: the build benchmark compares pages)."""
    return "site_name: Synthetic FinOps KB\nsite_dir: site\n" + _theme(
        "  - finops-kb:\n      review_interval_days: 365\n"
    )


def plain_nav(caps: list[Capability]) -> str:
    """The framework part of the plugin's navigation (domains with their capabilities, personas,
    phases), written out for the plain build so both sites have the same navigation shape."""
    lines = ["nav:", "  - Home: index.md", "  - FinOps Framework:"]
    for did, title in DOMAINS:
        lines += [f"    - {json.dumps(title)}:", f"      - Overview: domains/{did}.md"]
        mine = sorted((c for c in caps if c.domain == did), key=lambda c: c.title)
        if len(mine) > nav.GROUP_ABOVE:  # the plugin's guide-word groups, written out
            for label, run in nav.groups(mine, lambda c: c.title):
                lines.append(f"      - {json.dumps(label)}:")
                lines += [f"        - {json.dumps(c.title)}: capabilities/{c.id}.md" for c in run]
        else:
            lines += [f"      - {json.dumps(c.title)}: capabilities/{c.id}.md" for c in mine]
    lines.append("    - Personas:")
    core = sorted((p for p in PERSONAS if p[2] == "core"), key=lambda p: p[1])
    allied = sorted((p for p in PERSONAS if p[2] != "core"), key=lambda p: p[1])
    lines += [f"      - {json.dumps(t)}: personas/{pid}.md" for pid, t, _ in core]
    lines.append("      - Allied personas:")
    lines += [f"        - {json.dumps(t)}: personas/{pid}.md" for pid, t, _ in allied]
    lines.append("    - Phases:")
    lines += [f"      - {t}: phases/{pid}.md" for pid, t in PHASES]
    return "\n".join(lines) + "\n"


def plain_config(
    caps: list[Capability], extra_plugins: str = "", site_dir: str = "site-plain"
) -> str:
    """The plain variant: the same pages with MkDocs + Material and search only, and the same
    navigation shape as the plugin's (a flat 2,000-page section would make Material's
    navigation, and so the plain build, far bigger)."""
    return (
        f"site_name: Synthetic FinOps KB (plain)\nsite_dir: {site_dir}\n"
        + _theme(extra_plugins, PLAIN_DOCS)
        + plain_nav(caps)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder (emptied first)")
    ap.add_argument("--n", type=int, default=2000, help="number of capability pages")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variant", choices=["both", "plugin", "plain"], default="both")
    ap.add_argument(
        "--break-links",
        type=int,
        default=0,
        metavar="K",
        help="deliberately break K links (listed in OUT/broken.json)",
    )
    args = ap.parse_args(argv)
    kb = generate(args.out, args.n, args.seed, args.variant, args.break_links)
    print(
        f"wrote {args.out}: {kb.n} capabilities (~{kb.words // kb.n} words each), "
        f"{kb.overlays} overlays, {kb.activities} RACI activities, {len(ROLES)} roles, "
        f"{len(kb.broken)} broken links"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
