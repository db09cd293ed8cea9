"""Text from YAML and front matter never reaches the site or the packs as live HTML.

One injected value per field kind the generator renders, in a copy of the minimal repository;
one real site build for the whole module, and one pack rendered from the same data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.site import build

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LIVE = ("<script>alert(", "<img src=x onerror")
SHOWN = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def _payload(field: str, n: int) -> str:
    """A distinct value per field, alternating the two classic payloads."""
    return f"{field} {SCRIPT if n % 2 else IMG}"


FIELDS = (
    "org",
    "role-title",
    "team",
    "contact",
    "cadence",
    "quorum",
    "decision",
    "threshold",
    "criterion",
    "status",
    "capability",
    "summary",
    "domain",
    "persona",
    "phase",
    "kpi-name",
    "kpi-target",
    "kpi-current",
    "alias-title",
    "alias-slug",
    "source-title",
    "pack",
    "audience",
)
P = {field: _payload(field, n) for n, field in enumerate(FIELDS)}


def _replace(root: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, (rel, old)
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


def _q(value: str) -> str:
    """`value` as a YAML flow scalar."""
    return yaml.safe_dump(value, default_style='"', width=1000).strip()


def inject(root: Path) -> None:
    _replace(
        root,
        "playbooks/organization.yml",
        ("name: Example Org", f"name: {_q(P['org'])}"),
        ("title: FinOps Lead", f"title: {_q(P['role-title'])}"),
        ("team: FinOps", f"team: {_q(P['team'])}"),
        ("contact: finops@example.org", f"contact: {_q(P['contact'])}"),
    )
    _replace(
        root,
        "playbooks/steering-committee.md",
        ("cadence: Monthly", f"cadence: {_q(P['cadence'])}"),
        ("quorum: 2", f"quorum: {_q(P['quorum'])}"),
        ("decision: Commitments", f"decision: {_q(P['decision'])}"),
        ("threshold: Above USD 10,000", f"threshold: {_q(P['threshold'])}"),
    )
    _replace(
        root,
        "playbooks/adoption/plan.md",
        ("criterion: Sponsor named", f"criterion: {_q(P['criterion'])}"),
    )
    _replace(
        root,
        "content/capabilities/alpha.md",
        ("title: Alpha", f"title: {_q(P['capability'])}"),
        ("summary: The first capability.", f"summary: {_q(P['summary'])}"),
        ("title: Old Alpha", f"title: {_q(P['alias-title'])}"),
        ("- title: Alpha\n", f"- title: {_q(P['source-title'])}\n"),
    )
    _replace(
        root, "content/domains/understand.md", ("title: Understand", f"title: {_q(P['domain'])}")
    )
    _replace(
        root,
        "content/personas/engineering.md",
        ("title: Engineering", f"title: {_q(P['persona'])}"),
    )
    _replace(
        root,
        "playbooks/capabilities/alpha.md",
        ("name: Coverage", f"name: {_q(P['kpi-name'])}"),
        ("target: 90%", f"target: {_q(P['kpi-target'])}"),
        ("current: 70%", f"current: {_q(P['kpi-current'])}"),
    )
    (root / "content/phases").mkdir()
    (root / "content/phases/inform.md").write_text(
        f"---\nkind: phase\nid: inform\ntitle: {_q(P['phase'])}\norder: 1\n"
        "summary: Make spend visible.\nsources:\n  - title: Inform\n"
        "    url: https://www.finops.org/framework/phases/\n---\n"
        "## Overview\n\nWhat is spent, by whom.\n",
        "utf-8",
    )
    _replace(root, "site_config.yml", ("title: FinOps for engineers", f"title: {_q(P['pack'])}"))


def _copy(dest: Path) -> Path:
    shutil.copytree(CASES / "base", dest)
    shutil.copytree(ROOT / "theme", dest / "theme")
    cfg = dest / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("../../../theme", "theme"))
    return dest


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy(tmp_path_factory.mktemp("xss") / "kb")
    inject(root)
    return root


@pytest.fixture(scope="module")
def site(injected: Path) -> Path:
    assert build(injected / "site_config.yml", packs=False) == 0
    return injected / "site"


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text("utf-8") for p in site.rglob("*.html")}


def test_no_page_carries_a_live_payload(site: Path) -> None:
    live = [
        (name, text[max(0, i - 80) : i + 40])
        for name, text in _pages(site).items()
        for bad in LIVE
        for i in [m.start() for m in re.finditer(re.escape(bad), text)]
    ]
    assert not live, "\n".join(f"{n}: {t!r}" for n, t in live)
