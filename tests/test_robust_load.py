"""Files that must not be read, YAML that must not be built, and data that must not reach the
later stages: each ends in a diagnostic at its file, never a traceback or a hang."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import time
from pathlib import Path

import pytest
from markdown.extensions.toc import unique

from generator import graph, load, pack_html, packs, pages, views
from generator.check import check
from generator.config import Config, load_config

OUTSIDE_TEXT = "outside-secret-7f3a"


def _codes(root: Path) -> list[str]:
    result = check(Config(root, today=dt.date(2026, 7, 1)))
    return sorted(f"{d.path}:{d.line} {d.code}" for d in result.diagnostics)


def _outside_file(tmp_path: Path, name: str = "secret.md") -> Path:
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(f"---\nkind: page\ntitle: Secret\n---\n{OUTSIDE_TEXT}\n")
    return target


# -- files that must not be read -------------------------------------------------------------


def test_fifo_is_skipped_with_a_diagnostic(base_repo: Path) -> None:
    os.mkfifo(base_repo / "content/x.md")
    start = time.perf_counter()
    assert _codes(base_repo) == ["content/x.md:1 special-file"]
    assert time.perf_counter() - start < 10


def test_socket_is_skipped_with_a_diagnostic(base_repo: Path) -> None:
    path = base_repo / "content/s.md"
    if len(str(path)) > 100:  # AF_UNIX paths are limited to about 107 bytes
        pytest.skip("temporary folder path too long for a socket")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert _codes(base_repo) == ["content/s.md:1 special-file"]


def test_special_file_read_directly_does_not_block(base_repo: Path) -> None:
    """A file replaced by a FIFO between listing and reading is refused, not waited on."""
    os.mkfifo(base_repo / "content/late.md")
    text, problems = load.read_text(base_repo, "content/late.md")
    assert text is None and [p.code for p in problems] == ["special-file"]


def test_symlink_out_of_the_repository_is_an_error_and_never_read(
    base_repo: Path, tmp_path: Path
) -> None:
    (base_repo / "content/leak.md").symlink_to(_outside_file(tmp_path))
    (base_repo / "content/logo.png").symlink_to(_outside_file(tmp_path, "logo.png"))
    (base_repo / "content/outside-dir").symlink_to(tmp_path / "elsewhere")
    result = check(Config(base_repo, today=dt.date(2026, 7, 1)))
    got = sorted(f"{d.path}:{d.line} {d.code}" for d in result.diagnostics)
    assert got == [
        "content/leak.md:1 outside-repository",
        "content/logo.png:1 outside-repository",
        "content/outside-dir:1 outside-repository",
    ]
    assert all(OUTSIDE_TEXT not in d.body for d in result.repo.documents)
    assert not any("leak" in f or "outside-dir" in f for f in result.repo.files)


def test_content_folder_outside_the_repository_is_not_read(base_repo: Path, tmp_path: Path) -> None:
    _outside_file(tmp_path)
    rels, problems = load.find_files(base_repo, ["../elsewhere", "content"])
    assert [(d.path, d.code) for d in problems] == [("../elsewhere", "outside-repository")]
    assert rels and all(r.startswith("content/") for r in rels)


def test_symlink_inside_the_repository_is_read(base_repo: Path) -> None:
    shared = base_repo / "shared.md"
    shared.write_text("---\nkind: page\ntitle: Shared\n---\nShared text.\n")
    (base_repo / "content/shared.md").symlink_to(shared)
    assert _codes(base_repo) == []


def test_symlinked_folder_loop_ends(base_repo: Path) -> None:
    (base_repo / "content/loop").symlink_to(base_repo / "content")
    assert _codes(base_repo) == []


def test_broken_symlink_is_reported(base_repo: Path) -> None:
    (base_repo / "content/gone.md").symlink_to(base_repo / "content/nowhere.md")
    assert _codes(base_repo) == ["content/gone.md:1 unreadable-file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_reported(base_repo: Path) -> None:
    page = base_repo / "content/locked.md"
    page.write_text("---\nkind: page\ntitle: Locked\n---\n")
    page.chmod(0)
    try:
        assert _codes(base_repo) == ["content/locked.md:1 unreadable-file"]
    finally:
        page.chmod(0o644)


def test_path_too_long_is_reported(base_repo: Path) -> None:
    """ENAMETOOLONG, which fails for root too: a folder chain longer than PATH_MAX."""
    fd = os.open(base_repo / "content", os.O_RDONLY)
    try:
        for _ in range(20):
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("deep.md", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd))
    finally:
        os.close(fd)
    got = _codes(base_repo)
    assert len(got) == 1 and got[0].endswith(":1 unreadable-file"), got


def test_file_that_vanished_after_listing_is_reported(base_repo: Path) -> None:
    rels, problems = load.find_files(base_repo, ["content"])
    assert "content/capabilities/beta.md" in rels and not problems
    (base_repo / "content/capabilities/beta.md").unlink()
    text, found = load.read_text(base_repo, "content/capabilities/beta.md")
    assert text is None
    assert [(d.code, d.line) for d in found] == [("unreadable-file", 1)]
    assert "disappeared" in found[0].message


def test_oversized_file_is_reported_without_reading_it(base_repo: Path) -> None:
    big = base_repo / "content/big.md"
    big.write_text("---\nkind: page\ntitle: Big\n---\n" + "word " * 2_200_000)
    start = time.perf_counter()
    assert _codes(base_repo) == ["content/big.md:1 file-too-large"]
    assert time.perf_counter() - start < 5


# -- plain `mkdocs build` with the plugin ------------------------------------------------------


def _without_packs(root: Path) -> None:
    cfg = root / "site_config.yml"
    text = cfg.read_text()
    cfg.write_text(text[: text.index("      packs:")])


@pytest.mark.allow_warnings
def test_mkdocs_build_does_not_publish_theme_assets_from_outside(
    base_repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _without_packs(base_repo)
    outside = tmp_path / "elsewhere" / "leak.css"
    outside.parent.mkdir()
    outside.write_text(f"/* {OUTSIDE_TEXT} */")
    (base_repo / "theme/assets/leak.css").symlink_to(outside)
    cfg = load_config(str(base_repo / "site_config.yml"))
    mkdocs_log = logging.getLogger("mkdocs")  # other builds may have stopped it propagating
    mkdocs_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.ERROR):
            build(cfg)
    finally:
        mkdocs_log.removeHandler(caplog.handler)
    site = Path(cfg.site_dir)
    assert (site / "index.html").is_file()
    assert not (site / "assets/leak.css").exists()
    assert not any(OUTSIDE_TEXT in p.read_text("utf-8", "replace") for p in site.rglob("*.css"))
    assert any("outside-repository" in r.getMessage() for r in caplog.records)


def test_unsafe_sources_leaves_theme_package_files_alone(base_repo: Path, tmp_path: Path) -> None:
    (base_repo / "content/leak.md").symlink_to(_outside_file(tmp_path))
    os.mkfifo(base_repo / "content/pipe.md")
    package_file = tmp_path / "elsewhere" / "material.css"  # a theme's own file, not ours
    package_file.write_text("body {}")
    content = base_repo / "content"
    sources = [str(content / "leak.md"), str(content / "pipe.md"), str(package_file)]
    sources.append(str(content / "capabilities/alpha.md"))
    found = load.unsafe_sources(base_repo, sources, [str(content)])
    assert {k: d.code for k, d in found.items()} == {
        str(content / "leak.md"): "outside-repository",
        str(content / "pipe.md"): "special-file",
    }


# -- data that must not reach the later stages ---------------------------------------------


def _render_everything(root: Path) -> None:
    """What a build does with the checked repository, in-process: graph, views, every page,
    and the HTML of every pack the site configures."""
    config = load_config(root / "site_config.yml")
    config.today = dt.date(2026, 7, 1)
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    site = pages.site_for(g)
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
        data, _lines, problems = load.parse_yaml(text, "x.yml", 1)
        assert time.perf_counter() - start < 2
        assert data is None and [p.code for p in problems] == ["yaml-alias"]


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100_000 + "]" * 100_000, "- " * 100_000 + "x", "a: " + "{b: " * 50_000],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    data, _lines, problems = load.parse_yaml(text, "x.yml", 1)
    assert data is None and [p.code for p in problems] == ["yaml-syntax"]
