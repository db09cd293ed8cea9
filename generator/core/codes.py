"""Every diagnostic code: default severity, what it means, and a bad and a good example.

The table is the documentation: `finops-kb codes` prints it and the site's "Check codes" page
is generated from it. Codes are stable; never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    severity: str
    summary: str
    bad: str
    good: str


CODES: dict[str, Code] = {
    "not-utf8": Code(
        "error",
        "The file is not UTF-8 text.",
        "a file saved as Windows-1252 with `Café`",
        "the same file saved as UTF-8",
    ),
    "empty-file": Code(
        "error",
        "The file has no content.",
        "an empty `overlay.md`",
        "delete it, or give it front matter",
    ),
    "missing-front-matter": Code(
        "error",
        "A Markdown file has no (closed) front matter.",
        "# Allocation\n\nText...",
        "---\nkind: page\ntitle: Allocation\n---\nText...",
    ),
    "yaml-syntax": Code(
        "error",
        "The YAML cannot be parsed; the line counts from the top of the file.",
        "title: Rate: Optimization",
        'title: "Rate: Optimization"',
    ),
    "duplicate-key": Code(
        "error",
        "A YAML key is given twice; YAML would silently keep the last.",
        "owner: cfo\nowner: head-of-finops",
        "owner: head-of-finops",
    ),
    "yaml-value": Code(
        "error",
        "A YAML value cannot be built: an impossible date, a value its explicit tag rejects, or "
        "a tag that is not plain YAML. The file's front matter is not used until it is fixed.",
        "last_reviewed: 2026-02-30\nweight: !!float abc\nowner: !python/object x",
        "last_reviewed: 2026-02-28\nweight: 1.5\nowner: head-of-finops",
    ),
    "yaml-alias": Code(
        "error",
        "A YAML alias refers to the value that contains it, or aliases expand to more than "
        '10,000 values (an "alias bomb"); the file is not read further.',
        "a: &a [*a]",
        "base: &base {team: FinOps}\nrole: *base",
    ),
    "special-file": Code(
        "error",
        "A pipe, socket or device in a content folder; it is skipped, since reading it could "
        "block the build.",
        "content/x.md created with `mkfifo`",
        "content/x.md as a regular file",
    ),
    "outside-repository": Code(
        "error",
        "A symbolic link whose target is outside the repository; it is never read or published.",
        "content/secrets.md -> /etc/passwd",
        "content/shared.md -> ../shared/shared.md (inside the repository), or a copy",
    ),
    "unreadable-file": Code(
        "error",
        "A file or folder that cannot be read: permissions, a name too long for the system, a "
        "broken link, or a file removed while `check` ran.",
        "content/draft.md with mode 000",
        "content/draft.md readable by the user who builds",
    ),
    "file-too-large": Code(
        "error",
        "A file larger than 2 MiB; it is not read.",
        "a 10 MB playbooks/raci.yml",
        "the matrix split per capability, or trimmed",
    ),
    "unknown-file": Code(
        "error",
        "A YAML file that is not a known data file.",
        "playbooks/roles.yml",
        "playbooks/organization.yml",
    ),
    "missing-file": Code(
        "error",
        "A data file that other files depend on is missing.",
        "overlays without playbooks/organization.yml",
        "add playbooks/organization.yml",
    ),
    "too-many-problems": Code(
        "error",
        "A file has more than 200 schema problems; only those are reported, and nothing in the "
        "file is used until they are fixed.",
        "activities:\n  - id: a\n  - id: a\n  # ... 20,000 entries pasted without their keys",
        "activities:\n  - id: a\n    title: Allocate costs\n    capability: allocation\n"
        "    assignments: {lead: A, analyst: R}",
    ),
    "unknown-kind": Code(
        "error", "`kind` is not one of the content kinds.", "kind: capabilty", "kind: capability"
    ),
    "missing-key": Code(
        "error",
        "A required front-matter or data key is missing.",
        "kind: domain\ntitle: Optimize Usage & Cost",
        "kind: domain\nid: optimize-usage-and-cost\ntitle: Optimize Usage & Cost\n"
        "order: 3\nsummary: ...\nsources: [...]",
    ),
    "unknown-key": Code(
        "error",
        "A key the schema does not define (often a typo).",
        "domian: allocation",
        "domain: understand-usage-and-cost",
    ),
    "invalid-value": Code(
        "error",
        "A value has the wrong type or is not allowed.",
        "maturity:\n  current: walking",
        "maturity:\n  current: walk",
    ),
    "missing-section": Code(
        "error",
        "A required H2/H3 section is missing.",
        "## Definition\n...\n## Why it matters\n...\n## Functional activities",
        "## Definition\n...\n## Why it matters\n...\n## Maturity\n### Crawl\n"
        "...\n### Walk\n...\n### Run\n...\n## Functional activities",
    ),
    "misspelled-section": Code(
        "error",
        "A heading is close to, but not, a required section name.",
        "## Measure of success",
        "## Measures of success",
    ),
    "empty-section": Code(
        "error",
        "A required section has no text.",
        "### Crawl\n### Walk",
        "### Crawl\n- Costs are tagged by hand.\n### Walk",
    ),
    "section-order": Code(
        "warning",
        "Required sections are not in the documented order.",
        "## Why it matters\n## Definition",
        "## Definition\n## Why it matters",
    ),
    "unknown-persona-heading": Code(
        "error",
        "An H3 under Functional activities is not a persona title.",
        "### Engineers",
        "### Engineering",
    ),
    "missing-persona-activities": Code(
        "error",
        "A lead persona has no activities section.",
        "personas: {lead: [finance]} and no `### Finance`",
        "### Finance\n- Reviews forecast variance monthly.",
    ),
    "id-mismatch": Code(
        "error",
        "`id` differs from the file name.",
        "capabilities/budget.md with `id: budgeting`",
        "capabilities/budgeting.md with `id: budgeting`",
    ),
    "duplicate-id": Code(
        "error",
        "Two files, roles or activities share an id.",
        "two files with `id: allocation`",
        "one `allocation`, renamed other",
    ),
    "alias-collision": Code(
        "error",
        "An alias equals a current id or another page's alias.",
        "aliases: [{slug: allocation, ...}]",
        "aliases: [{slug: cost-allocation, ...}]",
    ),
    "unknown-reference": Code(
        "error",
        "A domain, persona, capability or role id that does not exist.",
        "related: [policy-governance]",
        "related: [governance-policy-risk]",
    ),
    "self-reference": Code(
        "error",
        "A capability lists itself as related.",
        "id: budgeting\nrelated: [budgeting]",
        "id: budgeting\nrelated: [forecasting]",
    ),
    "duplicate-overlay": Code(
        "error",
        "Two overlays extend the same capability.",
        "two files with `capability: allocation`",
        "one overlay per capability",
    ),
    "raci-accountable": Code(
        "error",
        "A RACI activity has no A or more than one A.",
        "assignments: {cfo: A, cto: A}",
        "assignments: {cfo: A, cto: R}",
    ),
    "raci-responsible": Code(
        "error",
        "A RACI activity has no R.",
        "assignments: {cfo: A, cto: C}",
        "assignments: {cfo: A, cto: R}",
    ),
    "unused-role": Code(
        "warning",
        "A role in the roster has no RACI assignment.",
        "roles: [{id: data-steward, ...}] and no activity naming it",
        "assignments: {data-steward: C}",
    ),
    "unit-cycle": Code(
        "error",
        "A business unit is its own ancestor through `parent`.",
        "units: [{id: emea, parent: freight}, {id: freight, parent: emea}]",
        "units: [{id: freight}, {id: emea, parent: freight}]",
    ),
    "conflicting-override": Code(
        "error",
        "A unit's RACI file both changes and removes the same group activity.",
        "activities: [{id: tag-resources, ...}]\nremove: [tag-resources]",
        "remove: [tag-resources]",
    ),
    "stale-assessment": Code(
        "warning",
        "The latest maturity assessment of a unit (or of the group) is older than the review "
        "interval; the message names the unit's FinOps lead.",
        "date: 2024-03-31 (and no later assessment of that unit)",
        "a new file in playbooks/assessments/ with this quarter's date",
    ),
    "date-order": Code(
        "error",
        "The values of a KPI series are not listed oldest first, or two share a date.",
        "values: [{date: 2025-06-30, value: 80}, {date: 2025-03-31, value: 72}]",
        "values: [{date: 2025-03-31, value: 72}, {date: 2025-06-30, value: 80}]",
    ),
    "broken-link": Code(
        "error",
        "A relative link points to a file that does not exist.",
        "[Budgets](budget.md)",
        "[Budgets](budgeting.md)",
    ),
    "broken-anchor": Code(
        "error",
        "A link's `#anchor` matches no heading in the target.",
        "[KPIs](budgeting.md#kpis)",
        "[KPIs](budgeting.md#measures-of-success)",
    ),
    "unsafe-url": Code(
        "error",
        "A link's URL is not http(s), mailto or a relative path (`javascript:`, `data:`, "
        "`vbscript:`, ...): it could run script when clicked. Generated parts show such a URL "
        "as text, never as a link.",
        "[the form](javascript:alert(1))",
        "[the form](https://forms.example.org/budget)",
    ),
    "placeholder-text": Code(
        "warning",
        "Text that `finops-kb new` wrote as a placeholder is still in the file; `--strict` "
        "fails until every placeholder is replaced.",
        "## Definition\n\nWrite what this capability is and what it covers, in two or three "
        "sentences.",
        "## Definition\n\nBudgeting sets spending limits per team and tracks spend against them.",
    ),
    "overdue-review": Code(
        "warning",
        "`last_reviewed` plus the review interval lies in the past.",
        "last_reviewed: 2024-01-10",
        "last_reviewed: 2026-11-02",
    ),
    "external-link-broken": Code(
        "warning",
        "An http(s) link answers 404, 410 or another error, or its host does not exist "
        "(`finops-kb links --external`, or a build with `external_links: {enabled: true}`). A "
        "warning, so a site that is down for an hour does not fail CI; set it to error to fail.",
        "[FOCUS](https://focus.finops.org/no-such-page/)",
        "[FOCUS](https://focus.finops.org/)",
    ),
    "external-link-unknown": Code(
        "warning",
        "An http(s) link could not be checked: the site rate-limits (429), shows a bot "
        "challenge or refuses (403), needs a login, or did not answer in time.",
        "a link to a site that answers every automated request with 429",
        "a link to a site that answers 200, or its prefix in `external_links.exclude`",
    ),
    "external-link-moved": Code(
        "off",
        "An http(s) link redirects permanently (301, 308); readers still arrive, so it is off "
        "unless `severity: {external-link-moved: warning}` asks for it.",
        "[Framework](http://finops.org/framework) (moved to https://www.finops.org/framework/)",
        "[Framework](https://www.finops.org/framework/)",
    ),
    "site-broken-link": Code(
        "error",
        "A link in the built site points to a page that was not built.",
        "a template linking to `roles/cfo/` when there is no such role",
        "links to pages that exist",
    ),
    "site-broken-anchor": Code(
        "error",
        "A link in the built site points to a missing `#anchor`.",
        "`raci/#activity-x` for an activity that was removed",
        "anchors of headings that exist",
    ),
    "pack-config": Code(
        "error",
        "An onboarding pack in `site_config.yml` is misconfigured.",
        "audience: {roles: [chief-finance]}",
        "audience: {roles: [cfo]}",
    ),
}

DEFAULTS = {code: c.severity for code, c in CODES.items()}
