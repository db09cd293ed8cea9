"""The placeholder text of `finops-kb new`, in one place: the scaffolds write these sentences and
the `placeholder-text` rule looks for exactly these, so what is written is what gets reported.

Each placeholder is one sentence an editor must replace, with the hint `check` shows at its line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Placeholder:
    text: str
    """The exact sentence the scaffold writes (after `- ` for a bullet)."""
    hint: str
    """What to write in its place."""
    bullet: bool = False
    """Written as a list item: the sections it stands in for are lists."""


def _level(level: str, example: str) -> Placeholder:
    return Placeholder(
        f"Write what this capability looks like at the {level} level.",
        f"replace it with what the practice looks like at {level}, one trait per bullet "
        f"(e.g. {example})",
        bullet=True,
    )


SECTIONS: dict[tuple[str, str], Placeholder] = {
    ("capability", "Definition"): Placeholder(
        "Write what this capability is and what it covers, in two or three sentences.",
        "replace it with a definition: what the capability is, what it covers and where it stops",
    ),
    ("capability", "Why it matters"): Placeholder(
        "Write why this capability matters: the cost, risk or decision it improves.",
        "replace it with the value of the capability: what goes wrong or costs more without it",
    ),
    ("capability", "Crawl"): _level("crawl", "manual, partial, reactive"),
    ("capability", "Walk"): _level("walk", "repeatable, mostly automated, reviewed monthly"),
    ("capability", "Run"): _level("run", "automated, proactive, used in decisions"),
    ("capability", "Measures of success"): Placeholder(
        "Write how success is measured: KPIs with their formula and target.",
        "replace it with the KPIs of the capability, each with its formula and a target, e.g. "
        "`- **Coverage** = tagged cost / total cost, target 95%`",
    ),
    ("capability", "Inputs and outputs"): Placeholder(
        "Write what this capability needs and what it produces, linking the capabilities it feeds.",
        "replace it with the capability's inputs and outputs, with relative links to the pages "
        "of related capabilities",
    ),
    ("overlay", "How we do it here"): Placeholder(
        "Write how we run this capability here: who does what, how often, with which tools and "
        "thresholds.",
        "replace it with our procedure: the roles of organization.yml that do the work, the "
        "cadence, the tools and the thresholds; `###` sub-headings are welcome",
    ),
    ("adoption-phase", "Goals"): Placeholder(
        "Write the goals of this phase: what the organization gains by completing it.",
        "replace it with the goals of the phase, one per bullet",
    ),
    ("adoption-phase", "Activities"): Placeholder(
        "Write the activities of this phase: the work, who does it and when.",
        "replace it with the work of the phase, naming the roles that do it",
    ),
    ("adoption-phase", "Exit criteria"): Placeholder(
        "Write what must be true to close this phase, as listed in exit_criteria above.",
        "replace it with the exit criteria in prose; keep them in step with `exit_criteria` in "
        "the front matter",
    ),
}
"""Text under each required section, by (kind, heading)."""

PERSONA = Placeholder(
    "Write what this persona does in this capability, one activity per bullet.",
    "replace it with the persona's activities in this capability, one per bullet; add a `###` "
    "heading for each persona that takes part",
    bullet=True,
)
"""Text under each persona heading of a capability's `## Functional activities`."""

PAGE = Placeholder(
    "Write the text of this page here.",
    "replace it with the page's text; `##` headings make its table of contents",
)
"""The body of a new free-form page."""

SUMMARY = Placeholder(
    "One sentence on what this capability achieves.",
    "set `summary` to one sentence on what the capability achieves; lists and search show it",
)
KPI = Placeholder(
    "Name of a KPI we track",
    "name a KPI we track and set its `target` and `current` value, or remove the `kpis` entry",
)
CRITERION = Placeholder(
    "What must be true to close this phase",
    "write a criterion that must be met to close this phase, or remove the entry",
)

LEGACY = (
    Placeholder(
        "Write this section.",
        "replace it with the section's text (`finops-kb codes` shows what each kind needs)",
    ),
    Placeholder("Write this level.", "replace it with what the practice looks like at this level"),
)
"""What earlier versions of `new` wrote: files started with them are still reported."""

BODY: tuple[Placeholder, ...] = (*SECTIONS.values(), PERSONA, PAGE, *LEGACY)
"""Every sentence that may stand in a body."""
FRONT: dict[str, Placeholder] = {p.text: p for p in (SUMMARY, KPI, CRITERION)}
"""Front-matter values, by their text."""


def markdown(placeholder: Placeholder) -> str:
    """The placeholder as the scaffold writes it into a body."""
    return f"- {placeholder.text}" if placeholder.bullet else placeholder.text
