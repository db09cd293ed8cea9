"""Packs for leaders and for one audience, rendered from the bundled knowledge base and read
back from the PDFs: the executive summary's scorecard, overdue reviews and open decisions, the
cover's version, `pack --role/--persona/--unit`, and checklists as checkboxes."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml
from pypdf import PdfReader

from generator.cli import main
from generator.core import graph
from generator.core.check import check
from generator.core.config import load_config
from generator.core.pack_specs import Pack
from generator.packs.html import EXTENSIONS
from generator.packs.pdf import render
from generator.packs.version import version
from generator.plugin.site_plugin import NEEDED_EXTENSIONS
from generator.render.context import render_context
from generator.render.trends import quantity

ROOT = Path(__file__).parent.parent
CONFIG = ROOT / "site_config.yml"
LATER = dt.date(2027, 11, 1)
"""A day on which reviews are overdue and the charter's decisions late."""
PAGE_BUDGET = 20
DATED_VERSION = re.compile(r"\d{4}-\d{2}-\d{2} · [0-9a-f]{7}\b")


def _text(pdf: Path) -> str:
    """The PDF's text with runs of white space made one space (table cells wrap)."""
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def executive(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(PDF text, HTML) of a pack with the executive summary and the adoption chapter."""
    config = load_config(CONFIG)
    config.today = LATER
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    pack = Pack(
        "exec",
        "Executive test",
        ["leadership"],
        ["cfo"],
        "Leadership",
        [("executive", None), ("adoption", None)],
        review_days=config.review_interval_days,
    )
    out = tmp_path_factory.mktemp("exec")
    done = render(render_context(g), pack, config, out)
    return _text(done.pdf), done.html.read_text("utf-8")


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_scorecard_statuses_come_from_the_kpi_series(executive: tuple[str, str]) -> None:
    text = _section(executive[0], "KPI scorecard", "Adoption roadmap")
    units = {
        u["id"]: u["name"]
        for u in yaml.safe_load((ROOT / "playbooks/organization.yml").read_text())["units"]
    }
    checked = 0
    for path in sorted((ROOT / "playbooks/kpis").glob("*.yml")):
        series = yaml.safe_load(path.read_text("utf-8"))
        latest = max(series["values"], key=lambda v: str(v["date"]))
        value, target = latest["value"], series["target"]
        good = value >= target if series["direction"] == "up" else value <= target
        row = " ".join(
            [
                series["kpi"],
                units.get(series.get("unit"), "Group"),
                quantity(float(value), series.get("measure", "")),
                str(latest["date"]),
                ("≥ " if series["direction"] == "up" else "≤ ")
                + quantity(float(target), series.get("measure", "")),
                "On track" if good else "Off track",
            ]
        )
        assert row in text, row
        checked += 1
    assert checked >= 9
    # an overlay KPI without a series shows the value as its owner typed it, judged if it can be
    assert "Tag compliance Group 91% ≥ 95% Off track" in text
    assert "SaaS seat utilization Group 91% ≥ 90% On track" in text
    assert "Year-end budget variance Group +7% projected" in text  # prose: no data
    assert re.search(r"\d+ on track, \d+ off track, \d+ without data to judge", text)


def test_overdue_reviews_and_open_decisions(executive: tuple[str, str]) -> None:
    text = executive[0]
    overdue = _section(text, "Overdue reviews", "Maturity")
    charter = _front_matter(ROOT / "playbooks/steering-committee.md")
    # the charter was reviewed on 2026-11-04: not due yet; the adoption phases are overdue
    assert "FinOps Steering Committee" not in overdue
    plan = _front_matter(ROOT / "playbooks/adoption/plan.md")
    due = dt.date.fromisoformat(str(plan["last_reviewed"])) + dt.timedelta(days=365)
    assert f"{plan['title']} Head of FinOps {due}" in overdue
    assert " reviews overdue" in text and "0 reviews overdue" not in text
    decisions = _section(text, "Open decisions", "Overdue reviews")
    for item in charter["open_decisions"]:
        words = " ".join(str(item["decision"]).split()[:6])
        assert words in decisions
        assert f"{item['due']} (late)" in decisions  # every one is past due on LATER
    assert f"{len(charter['open_decisions'])} open decisions for the committee" in text


def test_the_heatmap_prints_with_its_own_style(executive: tuple[str, str]) -> None:
    html = executive[1]
    svg = html[html.index('<svg class="fkb-heatmap"') : html.index("</svg>")]
    assert "<style>" in svg and ".fkb-hm-now" in svg  # document CSS does not reach inline SVG
    # labels of capabilities that are not in the pack stay text in the drawing
    assert '<g class="fkb-offline"><text' in svg and '<span class="fkb-offline"><text' not in svg
    assert "Rate Optimization" in _section(executive[0], "Maturity", "KPI scorecard")


def test_checklists_are_checkboxes_in_packs(executive: tuple[str, str]) -> None:
    html = executive[1]
    plan = _front_matter(ROOT / "playbooks/adoption/plan.md")
    met = str(plan["exit_criteria"][0]["criterion"])
    assert f'<input type="checkbox" disabled checked> {met}' in html
    body = html[html.index("</style>") :]
    assert "[x]" not in body and "[ ]" not in body
    # a list written in a page body converts the same way
    written = markdown.Markdown(extensions=EXTENSIONS).convert("- [x] done\n- [ ] open\n")
    assert written.count('type="checkbox"') == 2 and "checked" in written and "[x]" not in written


def test_checklists_are_checkboxes_on_the_site(site: Path) -> None:
    assert "pymdownx.tasklist" in NEEDED_EXTENSIONS
    page = next(site.rglob("adoption/plan*.html"))
    if page.is_dir():
        page = page / "index.html"
    html = page.read_text("utf-8")
    assert 'class="task-list-item"><label><input type="checkbox" disabled checked>' in html
    assert "<li>[x]" not in html


def test_cover_version(tmp_path: Path) -> None:
    repo = tmp_path / "kb"
    repo.mkdir()
    assert version(repo) == "unversioned"  # not a repository

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    assert version(repo) == "unversioned"  # no commit yet
    (repo / "a.md").write_text("a")
    git("add", "a.md")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "a")
    assert DATED_VERSION.fullmatch(version(repo))
    (repo / "a.md").write_text("changed")  # uncommitted changes are not noise on the cover
    assert "dirty" not in version(repo) and DATED_VERSION.fullmatch(version(repo))
    git("tag", "v2026.11")
    assert version(repo) == "v2026.11"


@pytest.mark.parametrize(
    "option,value,chapters",
    [
        (
            "--role",
            "finops-analyst",
            ["Lead FinOps Analyst", "Capabilities you own or lead", "Key contacts"],
        ),
        (
            "--persona",
            "leadership",
            [
                "What is expected of Leadership",
                "Who does what: your activities",
                "Capabilities you own or lead",
                "Key contacts",
            ],
        ),
        ("--unit", "parcel", ["Quillmark Parcel: how we work", "Key contacts"]),
    ],
)
def test_adhoc_packs_are_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, chapters: list[str]
) -> None:
    assert main(["-f", str(CONFIG), "pack", option, value, "--out", str(tmp_path)]) == 0
    pdf = tmp_path / f"{option[2:]}-{value}.pdf"
    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    assert len(pages) < PAGE_BUDGET, len(pages)
    assert DATED_VERSION.search(pages[0]) or "Version" in pages[0]
    assert "dirty" not in pages[0]
    contents = " ".join(pages[1].split())
    for title in chapters:
        assert title in contents, title
    if option == "--role":  # its own RACI rows and capabilities, in summary
        text = " ".join(" ".join(pages).split())
        assert "What is expected of you" in text
        assert re.search(r"Reporting & Analytics [^|]{0,300}? Owner and lead", text)
    assert f"{pdf.stem}: {len(pages)} pages" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--role", "finops-analist"],
            "unknown role `finops-analist`; did you mean `finops-analyst`?",
        ),
        (["--persona", "leadershp"], "unknown persona `leadershp`; did you mean `leadership`?"),
        (["--unit", "parcle"], "unknown unit `parcle`; did you mean `parcel`?"),
        (["leadership", "--role", "cfo"], "drop the pack ids"),
    ],
)
def test_bad_audience_ids_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["-f", str(CONFIG), "pack", *args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert not list(tmp_path.iterdir())


def test_an_open_decision_owned_by_an_unknown_role_is_reported(base_repo: Path) -> None:
    charter = base_repo / "playbooks/steering-committee.md"
    text = charter.read_text("utf-8")
    charter.write_text(
        text.replace(
            "---\n",
            "---\nopen_decisions:\n  - decision: Buy more\n"
            "    owner: nobody\n    due: 2027-01-20\n",
            1,
        ),
        "utf-8",
    )
    found = check(load_config(base_repo / "site_config.yml")).diagnostics
    hits = [d for d in found if "nobody" in d.message]
    assert hits and hits[0].line == 4 and hits[0].path.endswith("steering-committee.md")
