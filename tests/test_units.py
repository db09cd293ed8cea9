"""Business units: the effective playbook of a unit, layer by layer, with where each piece
comes from."""

from __future__ import annotations

from pathlib import Path

import yaml
from kb import apply_case, case_config

from generator.core.check import check

CASE = Path(__file__).parent / "cases" / "rules" / "unit-layers-pass.yml"


def _repo(root: Path):  # type: ignore[no-untyped-def]
    case = yaml.safe_load(CASE.read_text("utf-8"))
    apply_case(root, case)
    result = check(case_config(root, case))
    assert result.diagnostics == []
    return result.repo


def test_a_unit_replaces_adds_and_inherits_rows(base_repo: Path) -> None:
    from generator.core.units import playbook

    repo = _repo(base_repo)
    group = {r.activity["id"]: r for r in playbook(repo, None).rows}
    freight = {r.activity["id"]: r for r in playbook(repo, "freight").rows}
    assert list(group) == ["collect-data"]
    assert group["collect-data"].origin.unit is None
    assert group["collect-data"].activity["assignments"] == {"lead": "A", "engineer": "R"}
    # Replaced: the unit's assignments, the group's title, the unit's file and line.
    replaced = freight["collect-data"]
    assert replaced.activity["assignments"] == {"lead": "R", "engineer": "A"}
    assert replaced.activity["title"] == "Collect cost data" and replaced.changed
    assert (replaced.origin.path, replaced.origin.line, replaced.origin.unit) == (
        "playbooks/units/freight/raci.yml",
        2,
        "freight",
    )
    assert freight["review-freight-spend"].origin.line == 4
    assert list(freight) == ["collect-data", "review-freight-spend"]


def test_a_sub_unit_inherits_its_parent_and_removes_a_row(base_repo: Path) -> None:
    from generator.core.units import lineage, playbook

    repo = _repo(base_repo)
    assert lineage(repo, "emea") == ["freight", "emea"]
    emea = playbook(repo, "emea")
    assert [r.activity["id"] for r in emea.rows] == ["collect-data"]
    assert emea.rows[0].activity["assignments"] == {"lead": "R", "engineer": "A"}
    assert emea.removed["review-freight-spend"].path == "playbooks/units/emea/raci.yml"
    assert emea.adoption["plan"][0] == "in-progress"  # inherited from freight


def test_a_unit_overlay_replaces_owner_maturity_and_a_kpi(base_repo: Path) -> None:
    from generator.core.units import playbook

    repo = _repo(base_repo)
    group, freight = playbook(repo, None).overlays["alpha"], playbook(repo, "freight").overlays
    assert (group.owner, group.maturity["current"]) == ("lead", "crawl")
    alpha = freight["alpha"]
    assert (alpha.owner, alpha.maturity["current"], alpha.maturity["target"]) == (
        "engineer",
        "walk",
        "run",
    )
    assert alpha.owner_from is not None and alpha.owner_from.unit == "freight"
    assert [(k["name"], k["target"], o.unit) for k, o in alpha.kpis] == [
        ("Coverage", "95%", "freight")
    ]
    assert [d.path for d in alpha.layers] == [
        "playbooks/capabilities/alpha.md",
        "playbooks/units/freight/capabilities/alpha.md",
    ]


def _pages(root: Path) -> dict[str, str]:
    """Every generated and capability page of the case: Markdown with its parts filled in."""
    from generator.core import graph
    from generator.render import framework_pages, generated_pages
    from generator.render.context import render_context

    repo = _repo(root)
    g = graph.build(repo, "content", "playbooks")
    ctx = render_context(g)
    out = {}
    for path, page in generated_pages.generate(ctx, case_config(root, {})).items():
        out[path] = page.parts.fill(page.markdown) if page.parts else page.markdown
    for doc in g.capabilities.values():
        text, parts = framework_pages.render_parts(ctx, doc)
        out[g.docs_path[doc.path]] = parts.fill(text)
    return out


EDIT = "https://git.example.org/kb/edit/main/"


def test_unit_pages_say_where_each_piece_comes_from_with_edit_links(base_repo: Path) -> None:
    pages = _pages(base_repo)
    freight, emea = pages["organization/units/freight.md"], pages["organization/units/emea.md"]
    unit_file = f'href="{EDIT}playbooks/units/freight/raci.yml" class="fkb-origin">Freight</a>'
    assert unit_file in freight
    assert "RACI assignments changed" in freight and "RACI activity added" in freight
    assert f'href="{EDIT}playbooks/units/freight/capabilities/alpha.md"' in freight
    # The region inherits Freight's rows (their origin stays Freight's file) and removes one.
    assert unit_file in emea and "RACI activity removed" in emea
    assert "Review freight spend" not in emea.split("Who does what here")[1]
    group = f'href="{EDIT}playbooks/raci.yml" class="fkb-origin">group default</a>'
    assert group not in freight  # both group rows are changed or added in Freight
    compare = pages["organization/units/index.md"]
    assert "Crawl → Walk" in compare and "Walk → Run" in compare


def test_charts_carry_the_recorded_values(base_repo: Path) -> None:
    import xml.etree.ElementTree as ET

    alpha = _pages(base_repo)["capabilities/alpha.md"]
    svgs = [s + "</svg>" for s in alpha.split('<svg role="img"')[1:]]
    charts = [ET.fromstring('<svg role="img"' + s.split("</svg>")[0] + "</svg>") for s in svgs]
    ns = "{http://www.w3.org/2000/svg}"
    points = [
        [(c.get("data-date"), c.get("data-value")) for c in chart.iter(ns + "circle")]
        for chart in charts
    ]
    assert [("2026-03-31", "crawl"), ("2026-06-30", "walk")] in points
    assert [("2026-01-31", "70"), ("2026-04-30", "78")] in points
    kpi = charts[points.index([("2026-01-31", "70"), ("2026-04-30", "78")])]
    assert "target 95%" in "".join(kpi.itertext())


def test_a_unit_pack_uses_the_units_playbook(base_repo: Path) -> None:
    from generator.core import graph
    from generator.core.config import load_config
    from generator.core.pack_specs import resolve
    from generator.packs.html import render_html
    from generator.render.context import render_context

    _repo(base_repo)
    org = base_repo / "playbooks/organization.yml"
    org.write_text(
        org.read_text().replace("    team: Platform\n", "    team: Platform\n    unit: freight\n")
    )
    cfg = base_repo / "site_config.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "      packs:\n",
            "      packs:\n        - id: freight\n          title: Freight\n"
            "          audience: {unit: freight}\n          include: [unit, raci]\n",
            1,
        )
    )
    config = load_config(cfg)
    result = check(config)
    assert result.errors == 0, [d.format() for d in result.diagnostics]
    g = graph.build(result.repo, "content", "playbooks")
    pack = next(p for p in resolve(config, g)[0] if p.id == "freight")
    assert pack.unit == "freight" and pack.audience.startswith("Freight")
    html = render_html(render_context(g), pack, base_repo, config.clock())
    assert "Freight: how we work" in html and "Differences from the group" in html
    # The audience's rows come from the unit's matrix: Freight's own row is there.
    assert html.count("Review freight spend") >= 2


def _cli(root: Path, *args: str) -> int:
    from generator.cli import main

    return main(["-f", str(root / "site_config.yml"), *args])


def test_new_unit_and_assessment_pass_check(base_repo: Path, capsys) -> None:
    before = (base_repo / "playbooks/organization.yml").read_text()
    assert _cli(base_repo, "new", "unit", "freight", "--owner", "lead") == 0
    assert _cli(base_repo, "new", "unit", "freight-emea", "--parent", "freight") == 0
    assert _cli(base_repo, "new", "assessment", "freight-emea") == 0
    assert _cli(base_repo, "new", "assessment", "group") == 0
    out = capsys.readouterr().out
    assert "created playbooks/units/freight-emea/raci.yml" in out and "assessor `lead`" in out
    org = (base_repo / "playbooks/organization.yml").read_text()
    assert org.startswith(before.split("roles:")[0])  # what was there stays as written
    assert "  - id: freight-emea\n    name: Freight Emea\n    parent: freight\n" in org
    assert _cli(base_repo, "check", "--strict") == 0, capsys.readouterr().out


def test_new_unit_and_assessment_refuse_what_cannot_pass(base_repo: Path, capsys) -> None:
    from kb import one_error_line, tree_files

    assert _cli(base_repo, "new", "unit", "freight") == 0
    before = tree_files(base_repo)
    for args, said in (
        (("new", "unit", "freight"), "already exists"),
        (("new", "unit", "x", "--parent", "fright"), "did you mean `freight`"),
        (("new", "unit", "x", "--owner", "leed"), "did you mean `lead`"),
        (("new", "unit", "Bad_Id"), "not a valid unit id"),
        (("new", "assessment", "fright"), "did you mean `freight`"),
        (("new", "assessment", "group", "--parent", "freight"), "no options"),
        (("new", "overlay", "alpha", "--parent", "freight"), "only for `new unit`"),
    ):
        assert _cli(base_repo, *args) == 2, args
        assert said in one_error_line(capsys.readouterr().err), args
    assert tree_files(base_repo) == before
