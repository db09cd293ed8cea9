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
