"""Safety of what goes in: files and folders from outside the repository, special files,
ids used as paths, and machine outputs (annotations, JUnit XML, text) that no file name or
message can forge. The other classes of issue 9 are in test_security_outputs.py (output
folders), test_security_escaping.py (data in HTML) and test_security_pdf.py (PDF fetches)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from kb import one_error_line, tree_files

from generator.cli import main
from generator.core import files
from generator.core import report as fmt
from generator.core.check import check
from generator.core.config import Config
from generator.core.diagnostics import Diagnostic
from generator.core.ids import SLUG_PATTERN, is_slug, is_slug_path

ROOT = Path(__file__).parent.parent


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
    text, problems = files.read_text(base_repo, "content/late.md")
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
    rels, problems = files.find_files(base_repo, ["../elsewhere", "content"])
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
    rels, problems = files.find_files(base_repo, ["content"])
    assert "content/capabilities/beta.md" in rels and not problems
    (base_repo / "content/capabilities/beta.md").unlink()
    text, found = files.read_text(base_repo, "content/capabilities/beta.md")
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
    found = files.unsafe_sources(base_repo, sources, [str(content)])
    assert {k: d.code for k, d in found.items()} == {
        str(content / "leak.md"): "outside-repository",
        str(content / "pipe.md"): "special-file",
    }


# --- Machine outputs cannot be forged ---------------------------------------------------------

NASTY = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\u2028\u2029\ufffe\uffff\udcff\ud800"
FORGE = "x\n::error file=forged.md,line=1::injected\r\n%0A"


def _nasty_diagnostics() -> list[Diagnostic]:
    return [
        Diagnostic(f"content/{FORGE}.md", 3, "broken-link", FORGE, FORGE, "error"),
        Diagnostic(f"content/{NASTY}.md", 1, "yaml-syntax", NASTY, NASTY, "warning"),
        Diagnostic("a,b:c%.md", 2, "broken-link", "m", "", "error"),
    ]


def test_github_annotations_cannot_be_forged() -> None:
    text = fmt.to_github(_nasty_diagnostics())
    lines = text.split("\n")
    assert len(lines) == 3 and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert "\r" not in text and not any(line.startswith("::error file=forged") for line in lines)
    # Properties: `,` and `:` end a property, `%` starts an escape (GitHub's toolkit rules).
    assert lines[2].startswith("::error file=a%2Cb%3Ac%25.md,line=2,col=1,title=broken-link::m")
    assert "%0A%3A%3Aerror file=forged.md%2Cline=1" in lines[0]
    assert "::x%0A::error file=forged.md,line=1::injected%0D%0A%250A (hint: " in lines[0]
    text.encode("utf-8")  # lone surrogates do not reach the output


def test_junit_is_valid_xml_for_any_text() -> None:
    ds = _nasty_diagnostics()
    for strict in (False, True):
        xml = fmt.to_junit(ds, ["content/ok.md", f"content/{NASTY}.md"], 0.5, strict=strict)
        root = ET.fromstring(xml.encode("utf-8"))
        names = [t.get("name") for t in root.iter("testcase")]
        assert "content/ok.md" in names and len(names) == 4
        failure = "".join(f.text or "" for f in root.iter("failure"))
        assert "::error file=forged.md" in failure  # shown as text, on one line with its path
        assert "\\x00" in xml and "\\ufffe" in xml and "\\udcff" in xml


def test_junit_strict_counts_warnings_as_failures(base_repo: Path, tmp_path: Path) -> None:
    cfg = str(base_repo / "site_config.yml")
    report = tmp_path / "junit.xml"
    late = ["--today", "2028-01-01", "--format", "junit", "-o", str(report)]  # overdue warnings
    assert main(["-f", cfg, "check", *late]) == 0
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert main(["-f", cfg, "check", "--strict", *late]) == 1
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and int(suite.get("failures") or 0) > 0
    assert len(list(suite.iter("failure"))) == int(suite.get("failures") or 0)


def test_text_format_keeps_one_line_per_diagnostic() -> None:
    for d in _nasty_diagnostics():
        text = d.format()
        assert len(text.splitlines()) == (2 if d.hint else 1), text
        text.encode("utf-8")
    assert "content/x\\n::error file=forged.md" in _nasty_diagnostics()[0].format()


def test_file_name_with_a_newline_is_one_diagnostic_in_every_format(
    base_repo: Path, capsys
) -> None:
    (base_repo / f"content/{FORGE.replace('%', 'p')}.md").write_text("no front matter\n")
    (base_repo / "content/\udcff.md").write_bytes(b"no front matter\n")
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "check", "--today", "2026-07-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert sum(" error missing-front-matter " in line for line in out) == 2
    assert main(["-f", cfg, "check", "--format", "github", "--today", "2026-07-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith("::error file=content/") for line in out)
    assert main(["-f", cfg, "check", "--format", "junit", "--today", "2026-07-01"]) == 1
    ET.fromstring(capsys.readouterr().out.encode("utf-8", "backslashreplace"))
    assert main(["-f", cfg, "check", "--format", "json", "--today", "2026-07-01"]) == 1
    assert json.loads(capsys.readouterr().out)["errors"] == 2


# --- Ids are slugs ----------------------------------------------------------------------------


def test_one_slug_pattern_shared_with_the_schemas() -> None:
    common = json.loads((ROOT / "generator/core/schemas/common.json").read_text())
    assert common["$defs"]["id"]["pattern"] == SLUG_PATTERN
    assert common["$defs"]["ref"]["pattern"] == SLUG_PATTERN
    for good in ("a", "cost-allocation", "2024", "finops-2-0"):
        assert is_slug(good)
    for bad in ("", "A", "a_b", "-a", "a-", "a--b", "../x", "a/b", ".x", "a\n", "é", 5, None):
        assert not is_slug(bad)
    assert is_slug_path("framework/glossary")
    for bad in ("x/../../..", "/etc/x", "a//b", "a/", "./a", "a/.hidden"):
        assert not is_slug_path(bad)


@pytest.mark.parametrize(
    "kind,ident",
    [
        ("page", "x/../../.."),
        ("page", "../outside"),
        ("page", "/tmp/abs"),
        ("page", "a//b"),
        ("page", "what-is-it.md"),
        ("capability", "../x"),
        ("capability", "Foo"),
        ("capability", "a/b"),
        ("overlay", "../../x"),
        ("adoption-phase", ".hidden"),
        ("capability", "alpha"),  # exists: never overwritten
        ("overlay", "alpha"),
    ],
)
def test_new_refuses_bad_or_existing_ids_and_writes_nothing(
    base_repo: Path, capsys, kind: str, ident: str
) -> None:
    before = tree_files(base_repo.parent)
    assert main(["-f", str(base_repo / "site_config.yml"), "new", kind, ident]) == 2
    one_error_line(capsys.readouterr().err)
    assert tree_files(base_repo.parent) == before


def test_new_page_in_a_sub_folder_and_quoted_ids(base_repo: Path, capsys) -> None:
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "new", "page", "guides/tagging-policy"]) == 0
    assert (base_repo / "content/guides/tagging-policy.md").is_file()
    assert main(["-f", cfg, "new", "capability", "2024"]) == 0
    front = (base_repo / "content/capabilities/2024.md").read_text().split("---")[1]
    assert yaml.safe_load(front)["id"] == "2024"  # a string, as the schema wants
    assert main(["-f", cfg, "new", "page", "guides/tagging-policy"]) == 2


def test_new_never_follows_a_symlink_out(base_repo: Path, tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (base_repo / "content/ext").symlink_to(outside)
    (base_repo / "content/capabilities/dangling.md").symlink_to(tmp_path / "nowhere.md")
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "new", "page", "ext/x"]) == 2
    assert "outside content/" in one_error_line(capsys.readouterr().err)
    assert main(["-f", cfg, "new", "capability", "dangling"]) == 2
    assert "already exists" in one_error_line(capsys.readouterr().err)
    assert list(outside.iterdir()) == [] and not (tmp_path / "nowhere.md").exists()
