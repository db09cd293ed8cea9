"""The core without MkDocs: imports, output formats, exit codes, schemas."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.cli import main


def _break(root: Path) -> None:
    """Several defects at once, in different files and rules."""
    cap = root / "content/capabilities/alpha.md"
    cap.write_text(
        cap.read_text()
        .replace("related: [beta]", "related: [gamma]")
        .replace("## Measures of success", "## Measure of success")
    )
    raci = root / "playbooks/raci.yml"
    raci.write_text(raci.read_text().replace("engineer: R", "engineer: A"))
    (root / "content/broken.md").write_bytes(b"---\nkind: page\ntitle: Caf\xe9\n---\n")


def test_check_reports_every_problem_in_one_run(base_repo: Path, capsys) -> None:
    _break(base_repo)
    code = main(["-f", str(base_repo / "site_config.yml"), "check", "--today", "2026-07-01"])
    out = capsys.readouterr().out
    assert code == 1
    for expected in (
        "content/capabilities/alpha.md:11:1: error unknown-reference",
        "content/capabilities/alpha.md:53:1: error misspelled-section",
        "playbooks/raci.yml:7:1: error raci-accountable",
        "content/broken.md:3:1: error not-utf8",
    ):
        assert expected in out
    assert out.strip().splitlines()[-1].startswith("5 errors, 0 warnings in 11 files (")


def test_json_format_is_stable(base_repo: Path, capsys) -> None:
    _break(base_repo)
    main(
        [
            "-f",
            str(base_repo / "site_config.yml"),
            "check",
            "--format",
            "json",
            "--today",
            "2026-07-01",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"version", "files", "seconds", "errors", "warnings", "diagnostics"}
    assert doc["version"] == 1 and doc["errors"] == 5 and doc["files"] == 11
    first = doc["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "code", "severity", "message", "hint"}


def test_github_and_junit_formats(base_repo: Path, capsys, tmp_path: Path) -> None:
    _break(base_repo)
    cfg = str(base_repo / "site_config.yml")
    main(["-f", cfg, "check", "--format", "github", "--today", "2026-07-01"])
    lines = capsys.readouterr().out.splitlines()
    assert "::error file=playbooks/raci.yml,line=7,col=1,title=raci-accountable::" in "\n".join(
        lines
    )
    report = tmp_path / "junit.xml"
    code = main(
        ["-f", cfg, "check", "--format", "junit", "-o", str(report), "--today", "2026-07-01"]
    )
    assert code == 1
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "3" and suite.get("tests") == "11"


def test_strict_fails_on_warnings(base_repo: Path) -> None:
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "check", "--today", "2028-01-01"]) == 0
    assert main(["-f", cfg, "check", "--strict", "--today", "2028-01-01"]) == 1


def test_usage_and_config_errors_exit_2(base_repo: Path, capsys) -> None:
    assert main(["-f", str(base_repo / "missing.yml"), "check"]) == 2
    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("review_interval_days: 365", "review_intervl: 365"))
    assert main(["-f", str(cfg), "check"]) == 2
    assert "unknown finops-kb option `review_intervl`" in capsys.readouterr().err


def test_schema_command_writes_every_schema(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    for kind in (
        "capability",
        "domain",
        "persona",
        "page",
        "overlay",
        "charter",
        "adoption-phase",
        "organization",
        "raci",
        "common",
    ):
        assert f"{kind}.json" in names
    for name in names:
        json.loads((tmp_path / name).read_text())
    assert main(["schema", "overlay"]) == 0
    assert '"capability"' in capsys.readouterr().out


def test_new_scaffolds_a_valid_overlay_and_refuses_to_overwrite(base_repo: Path, capsys) -> None:
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "new", "overlay", "beta"]) == 0
    text = (base_repo / "playbooks/capabilities/beta.md").read_text()
    assert "capability: beta" in text and "## How we do it here" in text
    text = text.replace("owner: head-of-finops", "owner: lead")
    (base_repo / "playbooks/capabilities/beta.md").write_text(text)
    capsys.readouterr()
    assert main(["-f", cfg, "check", "--today", "2026-12-01"]) == 0, capsys.readouterr().out
    assert main(["-f", cfg, "new", "overlay", "beta"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_virtual_paths_match_generated_pages(base_repo: Path) -> None:
    from generator.core import graph, layout
    from generator.core.check import check
    from generator.core.config import load_config
    from generator.render import generated_pages as views
    from generator.render.context import render_context

    config = load_config(base_repo / "site_config.yml")
    g = graph.build(check(config).repo, "content", "playbooks")
    generated = set(views.generate(render_context(g), config))
    merged = {p for d, p in g.docs_path.items() if d.startswith("playbooks/capabilities/")}
    assert layout.virtual_paths(g.repo, "content", "playbooks") == generated | merged


def test_the_charter_footer_and_the_review_status_name_the_same_owner(base_repo: Path) -> None:
    from generator.core import graph
    from generator.core.check import check
    from generator.core.config import load_config
    from generator.render import generated_pages
    from generator.render.context import render_context

    charter = base_repo / "playbooks/steering-committee.md"
    text = charter.read_text()
    charter.write_text(text.replace("chair: lead", "chair: lead\nlast_reviewed: 2026-06-01", 1))
    config = load_config(base_repo / "site_config.yml")
    g = graph.build(check(config).repo, "content", "playbooks")
    pages = generated_pages.generate(render_context(g), config)
    footer = "".join(pages["organization/steering-committee.md"].parts.html)
    status = "".join(pages["about/review-status.md"].parts.html)
    assert "Last reviewed 2026-06-01 by" in footer and "FinOps Lead</a>" in footer
    assert "steering" in status.lower() and "FinOps Lead</a>" in status


def test_the_roster_shows_the_units_as_a_tree_and_a_role_page_its_unit(base_repo: Path) -> None:
    from generator.core import graph
    from generator.core.check import check
    from generator.core.config import load_config
    from generator.render import generated_pages
    from generator.render.context import render_context

    org = base_repo / "playbooks/organization.yml"
    units = (
        "units:\n  - id: emea\n    name: EMEA <Region>\n    parent: freight\n"
        "  - id: freight\n    name: Freight\n    lead: lead\n    scopes: [public-cloud, saas]\n"
        "roles:\n"
    )
    text = org.read_text().replace("roles:\n", units, 1)
    org.write_text(text.replace("contact: finops@example.org\n", "contact: x\n    unit: emea\n", 1))
    config = load_config(base_repo / "site_config.yml")
    result = check(config)
    assert result.errors == 0, [d.format() for d in result.diagnostics]
    g = graph.build(result.repo, "content", "playbooks")
    pages = generated_pages.generate(render_context(g), config)
    roster = "".join(pages["organization/index.md"].parts.html)
    assert "## Business units" in pages["organization/index.md"].markdown
    # Parent before child, the child indented, names escaped, lead and members linked.
    assert roster.index("<td>Freight</td>") < roster.index("EMEA &lt;Region&gt;")
    assert "<td>\u2003EMEA &lt;Region&gt;</td>" in roster
    assert "public-cloud, saas" in roster and roster.count("roles/lead.html") >= 2
    role = "".join(pages["organization/roles/lead.md"].parts.html)
    assert "<strong>Unit:</strong> EMEA &lt;Region&gt;" in role


def test_each_missing_key_is_reported_once(base_repo: Path, capsys) -> None:
    (base_repo / "content/capabilities/gamma.md").write_text(
        "---\nkind: capability\n---\n## Definition\n\nGamma.\n"
    )
    main(["-f", str(base_repo / "site_config.yml"), "check"])
    lines = [x for x in capsys.readouterr().out.splitlines() if " missing-key " in x]
    assert len(lines) == len(set(lines)) >= 5
