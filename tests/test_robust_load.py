"""Files that must not be read, YAML that must not be built, and data that must not reach the
later stages: each ends in a diagnostic at its file, never a traceback or a hang."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import pytest
from markdown.extensions.toc import unique

from generator.core import graph, load, yaml_data
from generator.core import pack_specs as packs
from generator.core.check import check
from generator.core.config import Config, load_config
from generator.packs import html as pack_html
from generator.render import framework_pages as pages
from generator.render import generated_pages as views
from generator.render.context import render_context


def _codes(root: Path) -> list[str]:
    result = check(Config(root, today=dt.date(2026, 7, 1)))
    return sorted(f"{d.path}:{d.line} {d.code}" for d in result.diagnostics)


# -- data that must not reach the later stages ---------------------------------------------
def _render_everything(root: Path) -> None:
    """What a build does with the checked repository, in-process: graph, views, every page,
    and the HTML of every pack the site configures."""
    config = load_config(root / "site_config.yml")
    config.today = dt.date(2026, 7, 1)
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    site = render_context(g)
    views.generate(site, config)
    views.redirects(site)
    for doc in result.repo.documents:
        pages.render(site, doc)
    for pack in packs.resolve(config, g)[0]:
        pack_html.render_html(site, pack, root, config.today)


MUTATIONS = {
    "related-number": ("content/capabilities/alpha.md", "related: [beta]", "related: 5"),
    "personas-list": (
        "content/capabilities/alpha.md",
        "personas:\n  lead: [finops-practitioner]\n  involved: [engineering]",
        "personas: [finops-practitioner]",
    ),
    "phases-map": ("content/capabilities/alpha.md", "phases: [inform]", "phases: {a: 1}"),
    "roles-number": (
        "playbooks/organization.yml",
        "roles:\n  - id: lead",
        "roles: 5\nx:\n  - id: lead",
    ),
    "assignments-list": (
        "playbooks/raci.yml",
        "      lead: A\n      engineer: R",
        "      - lead: A\n      - engineer: R",
    ),
    "member-map": (
        "playbooks/steering-committee.md",
        "members: [lead, engineer]",
        "members: [lead, {engineer: x}]",
    ),
    "role-without-title": ("playbooks/organization.yml", "    title: Platform Engineer\n", ""),
    "pack-role-without-title": ("playbooks/organization.yml", "    title: FinOps Lead\n", ""),
    "role-title-map": (
        "playbooks/organization.yml",
        "title: Platform Engineer",
        "title: {a: b}",
    ),
    "org-name-list": ("playbooks/organization.yml", "name: Example Org", "name: [a, b]"),
    "order-text": ("playbooks/adoption/plan.md", "order: 1", "order: first"),
    "exit-criteria-text": (
        "playbooks/adoption/plan.md",
        "exit_criteria:\n  - criterion: Sponsor named\n    met: true",
        "exit_criteria: done",
    ),
    "overlay-maturity-text": (
        "playbooks/capabilities/alpha.md",
        "maturity:\n  current: crawl\n  target: walk\n  assessed: 2026-05-01",
        "maturity: high",
    ),
    "impossible-date": (
        "content/capabilities/alpha.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2026-02-30",
    ),
    "overflowing-date": (
        "content/capabilities/alpha.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 9999-12-31",
    ),
    "float-tag": ("content/capabilities/alpha.md", "title: Alpha", "title: !!float abc"),
    "recursive-alias": (
        "content/capabilities/alpha.md",
        "related: [beta]",
        "related: &r [beta, *r]",
    ),
    "decision-rights-text": (
        "playbooks/steering-committee.md",
        "decision_rights:\n  - decision: Commitments",
        "decision_rights: all\nx:\n  - decision: Commitments",
    ),
    "search-true": ("content/capabilities/beta.md", "title: Beta", "title: Beta\nsearch: true"),
    # well typed, but naming what does not exist: reported, and the pages must cope
    "raci-unknown-capability": ("playbooks/raci.yml", "capability: alpha", "capability: nope"),
    "raci-unknown-role": ("playbooks/raci.yml", "engineer: R", "stranger: R"),
    "overlay-unknown-capability": (
        "playbooks/capabilities/alpha.md",
        "capability: alpha",
        "capability: nope",
    ),
    "overlay-unknown-owner": ("playbooks/capabilities/alpha.md", "owner: lead", "owner: nobody"),
    "chair-unknown": ("playbooks/steering-committee.md", "chair: lead", "chair: nobody"),
    "member-unknown": (
        "playbooks/steering-committee.md",
        "members: [lead, engineer]",
        "members: [x]",
    ),
    "role-unknown-persona": ("playbooks/organization.yml", "persona: engineering", "persona: nope"),
    "capability-unknown-domain": (
        "content/capabilities/beta.md",
        "domain: understand",
        "domain: x",
    ),
    "capability-unknown-persona": (
        "content/capabilities/beta.md",
        "lead: [finops-practitioner]",
        "lead: [nobody]",
    ),
    "duplicate-role": (
        "playbooks/organization.yml",
        "  - id: engineer",
        "  - id: lead\n    title: Again\n    persona: engineering\n  - id: engineer",
    ),
    "duplicate-capability-id": ("content/capabilities/beta.md", "id: beta", "id: alpha"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_invalid_data_is_reported_and_never_reaches_the_pages(base_repo: Path, name: str) -> None:
    rel, old, new = MUTATIONS[name]
    path = base_repo / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    result = check(Config(base_repo, today=dt.date(2026, 7, 1)))
    assert all(d.line >= 1 for d in result.diagnostics if d.path == rel)
    if name != "overflowing-date":
        assert result.errors, "the mutation must be reported"
    _render_everything(base_repo)


def test_one_bad_role_is_reported_once_and_the_others_stay(base_repo: Path) -> None:
    org = base_repo / "playbooks/organization.yml"
    org.write_text(org.read_text().replace("    title: FinOps Lead\n", ""))
    result = check(Config(base_repo, today=dt.date(2026, 7, 1)))
    assert [d.code for d in result.diagnostics] == ["missing-key"]
    assert list(result.repo.roles) == ["engineer"]
    assert result.repo.organization is not None
    assert result.repo.organization.line_of(("roles", 0, "id")) == 8  # `- id: engineer`, renumbered


# -- bounded work ----------------------------------------------------------------------------


def test_unique_slugs_match_python_markdown() -> None:
    pool = ["x", "x_1", "x_2", "x_10", "", "_1", "_2", "y", "x_1_1", "x_0", "x_01", "a_b", "9"]
    for seed in range(500):
        rng = random.Random(seed)
        ours: set[str] = set()
        theirs: set[str] = set()
        runs: dict[str, tuple[int, int]] = {}
        for _ in range(rng.randint(1, 80)):
            slug = rng.choice(pool)
            assert load.unique_slug(slug, ours, runs) == unique(slug, theirs), seed


def test_identical_headings_are_linear() -> None:
    body = "## Same\n\ntext\n\n" * 20_000
    start = time.perf_counter()
    headings, _links, _sections = load.parse_body(body, 5)
    assert time.perf_counter() - start < 5
    assert [h.slug for h in headings[:3]] == ["same", "same_1", "same_2"]
    assert headings[-1].slug == "same_19999"


def test_links_in_a_long_paragraph_are_linear_and_on_their_lines() -> None:
    # Found by the fuzz campaign: each link's line was counted from the paragraph's start.
    body = "".join(f"see [x](gone-{i}.md)\n" for i in range(20_000))
    start = time.perf_counter()
    _headings, links, _sections = load.parse_body(body, 5)
    assert time.perf_counter() - start < 5
    assert (links[0].line, links[-1].line) == (5, 20_004)
    assert links[-1].target == "gone-19999.md"


def test_thousands_of_persona_blocks_are_linear(base_repo: Path) -> None:
    # Found by the fuzz campaign: the text under each persona heading was found by scanning
    # every heading of the page, so 20,000 of them took minutes to gather into the graph.
    page = base_repo / "content/capabilities/alpha.md"
    text = page.read_text("utf-8")
    block = "### Engineering\n\n- Supplies data.\n\n"
    page.write_text(text.replace(block, block * 20_000), "utf-8")
    config = Config(base_repo, today=dt.date(2026, 7, 1))
    start = time.perf_counter()
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    assert time.perf_counter() - start < 10
    assert len(g.activities["engineering"]) >= 20_000
    assert g.activities["engineering"][-1].text == "- Supplies data."


def test_a_file_with_thousands_of_schema_problems_reports_the_first_ones(base_repo: Path) -> None:
    # Found by the fuzz campaign: 20,000 invalid RACI entries gave 180,000 diagnostics in 9 s.
    raci = base_repo / "playbooks/raci.yml"
    lines = raci.read_text("utf-8").split("\n")
    lines[1:1] = [lines[1]] * 20_000  # `  - id: collect-data`, an entry without its other keys
    raci.write_text("\n".join(lines), "utf-8")
    result = check(Config(base_repo, today=dt.date(2026, 7, 1)))
    mine = [d for d in result.diagnostics if d.path == "playbooks/raci.yml"]
    codes = {d.code for d in mine}
    assert codes == {"missing-key", "too-many-problems"}
    assert 200 <= len(mine) <= 1000
    assert [d.line for d in mine if d.code == "too-many-problems"] == [1]
    # Nothing of the file is used, so no rule trips over it again.
    assert not result.repo.activities
    assert all(d.code != "unused-role" for d in result.diagnostics)


def test_alias_bomb_and_merge_bomb_stop_quickly() -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    merges = ["m0: &m0 {k0: v}"]
    for i in range(1, 30):
        laughs.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]")
        merges.append(f"m{i}: &m{i} {{<<: [*m{i - 1}], k{i}: [*m{i - 1}, *m{i - 1}]}}")
    for text in ("\n".join(laughs), "\n".join(merges)):
        start = time.perf_counter()
        data, _lines, problems = yaml_data.parse_yaml(text, "x.yml", 1)
        assert time.perf_counter() - start < 2
        assert data is None and [p.code for p in problems] == ["yaml-alias"]


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100_000 + "]" * 100_000, "- " * 100_000 + "x", "a: " + "{b: " * 50_000],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    data, _lines, problems = yaml_data.parse_yaml(text, "x.yml", 1)
    assert data is None and [p.code for p in problems] == ["yaml-syntax"]
