"""The bundled knowledge base: complete framework inventory and a full example organization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.core.check import Result, check
from generator.core.config import load_config
from generator.core.graph import section_text

ROOT = Path(__file__).parent.parent
CAPABILITIES = {
    "understand-usage-and-cost": {
        "data-ingestion",
        "allocation",
        "reporting-analytics",
        "anomaly-management",
    },
    "quantify-business-value": {
        "planning-estimating",
        "forecasting",
        "budgeting",
        "kpis-benchmarking",
        "unit-economics",
    },
    "optimize-usage-and-cost": {
        "architecting-workload-placement",
        "rate-optimization",
        "usage-optimization",
        "sustainability",
        "licensing-saas",
    },
    "manage-the-finops-practice": {
        "finops-practice-operations",
        "governance-policy-risk",
        "finops-assessment",
        "automation-tools-services",
        "finops-education-enablement",
        "invoicing-chargeback",
        "intersecting-disciplines",
        "executive-strategy-alignment",
    },
}
RENAMED = {
    "kpis-benchmarking": "benchmarking",
    "architecting-workload-placement": "architecting-for-cloud",
    "usage-optimization": "workload-optimization",
    "sustainability": "cloud-sustainability",
    "governance-policy-risk": "policy-governance",
    "automation-tools-services": "finops-tools-services",
    "finops-education-enablement": "education-enablement",
    "intersecting-disciplines": "finops-intersection",
}
MIN_WORDS = {
    "Definition": 100,
    "Why it matters": 60,
    "Measures of success": 60,
    "Inputs and outputs": 30,
    "Crawl": 25,
    "Walk": 25,
    "Run": 25,
}


@pytest.fixture(scope="module")
def result() -> Result:
    config = load_config(ROOT / "site_config.yml")
    config.today = dt.date(2026, 11, 23)
    return check(config)


def test_repository_is_clean_under_strict(result: Result) -> None:
    assert [d.format() for d in result.diagnostics] == []


def test_framework_inventory(result: Result) -> None:
    repo = result.repo
    assert set(repo.by_id("domain")) == set(CAPABILITIES)
    caps = repo.by_id("capability")
    assert len(caps) == 22
    for domain, ids in CAPABILITIES.items():
        assert {c for c, d in caps.items() if d.meta["domain"] == domain} == ids
    personas = repo.by_id("persona")
    assert len(personas) == 11
    assert sum(p.meta["type"] == "core" for p in personas.values()) == 6
    assert len(repo.by_id("principle")) == 6
    assert set(repo.by_id("phase")) == {"inform", "optimize", "operate"}
    pages = {d.path for d in repo.of_kind("page")}
    for page in (
        "content/what-is-finops.md",
        "content/framework/glossary.md",
        "content/framework/maturity-model.md",
        "content/framework/scopes.md",
        "content/framework/technology-categories.md",
    ):
        assert page in pages


def test_every_capability_is_complete(result: Result) -> None:
    for cap in result.repo.of_kind("capability"):
        assert cap.meta["related"], cap.id
        words = len(cap.body.split())
        assert 700 <= words <= 1600, (cap.id, words)
        for heading in cap.headings:
            if heading.text in MIN_WORDS:
                text = section_text(cap, heading, cap.headings)
                assert len(text.split()) >= MIN_WORDS[heading.text], (cap.id, heading.text)
        for bad in ("TBD", "TODO", "lorem", "placeholder"):
            assert bad not in cap.body, (cap.id, bad)
        if cap.id in RENAMED:
            assert RENAMED[cap.id] in {a["slug"] for a in cap.meta.get("aliases", [])}, cap.id


def test_every_framework_page_credits_the_foundation(result: Result) -> None:
    for doc in result.repo.documents:
        if doc.path.startswith("content/") and not doc.path.startswith("content/about/"):
            sources = doc.meta.get("sources") or []
            assert sources and all("finops.org" in s["url"] for s in sources), doc.path


def test_example_organization_exercises_every_feature(result: Result) -> None:
    repo = result.repo
    for kind in ("overlay", "charter", "adoption-phase"):
        assert repo.of_kind(kind), kind
    assert len(repo.of_kind("overlay")) >= 8
    assert {d.id for d in repo.of_kind("adoption-phase")} == {
        "plan",
        "socialize",
        "prepare",
        "adopt",
    }
    assert len(repo.roles) >= 10
    activities = repo.activities
    assert len(activities) >= 25
    letters = {v for a in activities for v in a["assignments"].values()}
    assert letters == {"R", "A", "C", "I"}
    used = {r for a in activities for r in a["assignments"]}
    # A unit's own roles take part through the unit's RACI layer only.
    by_units = {
        r
        for layer in repo.unit_racis
        for a in layer.data.get("activities") or []
        for r in a["assignments"]
    }
    assert used | by_units == set(repo.roles)
    assert by_units - used == {r for r, v in repo.roles.items() if v.get("unit")} - used
    # Business units and their history: a tree, layers, assessments over 18 months, KPI series.
    assert len(repo.units) >= 4 and any(u.get("parent") for u in repo.units.values())
    assert len(repo.unit_racis) >= 4 and repo.of_kind("unit-overlay")
    dates = sorted(str(a.data["date"]) for a in repo.assessments)
    assert len({a.data.get("unit") for a in repo.assessments}) >= 4 and len(dates) >= 12
    assert dates[-1] >= "2026-06" and dates[0] <= "2025-06"
    assert len(repo.kpi_series) >= 6 and all(len(s.data["values"]) >= 4 for s in repo.kpi_series)
    domains = {repo.by_id("capability")[a["capability"]].meta["domain"] for a in activities}
    assert domains == set(CAPABILITIES)
