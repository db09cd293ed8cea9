"""The command-line contract: exit 0/1/2 (130 on Ctrl-C), one clear line for usage, configuration
and I/O errors, never a traceback; machine outputs that no file name or message can forge; ids
that are slugs; configuration errors at their config line; `build` stops when `check` fails."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import diagnostics as fmt
from generator.check import check
from generator.cli import main
from generator.config import load_config
from generator.diagnostics import Diagnostic
from generator.ids import SLUG_PATTERN, is_slug, is_slug_path

ROOT = Path(__file__).parent.parent
PACK_CASES = sorted((Path(__file__).parent / "cases" / "packs").glob("*.yml"))


@pytest.fixture(autouse=True)
def mkdocs_logging_restored() -> Iterator[None]:
    """`finops-kb build` routes MkDocs' logger to stderr and stops its propagation; put it back
    so later tests (and their caplog) see MkDocs' records as before."""
    logger = logging.getLogger("mkdocs")
    saved = (logger.propagate, logger.level, list(logger.handlers))
    yield
    logger.propagate, logger.level, logger.handlers[:] = saved[0], saved[1], saved[2]


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("finops-kb: error: "), err
    assert "Traceback" not in err
    return lines[0]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- I/O and configuration errors: exit 2, one line -------------------------------------------


@pytest.mark.parametrize(
    "args,expected",
    [
        (["check", "-o", "{tmp}"], "is a folder"),
        (["check", "-o", "{tmp}/missing/report.txt"], "does not exist"),
        (["check", "-o", "/dev/full"], "cannot write"),
        (["schema", "--out", "{cfg}"], "is a file"),
    ],
)
def test_bad_output_paths_are_one_line_and_exit_2(
    base_repo: Path, tmp_path: Path, capsys, args: list[str], expected: str
) -> None:
    cfg = base_repo / "site_config.yml"
    before = cfg.read_bytes()
    argv = [a.format(tmp=tmp_path, cfg=cfg) for a in args]
    assert main(["-f", str(cfg), *argv]) == 2
    assert expected in _one_error_line(capsys.readouterr().err)
    assert cfg.read_bytes() == before


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"site_name: Test\nsite_url: \xff\xfe\n", "site_config.yml:2: not valid UTF-8"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"site_name: [unclosed\n", "site_config.yml:2: invalid YAML"),
        (b"site_name: x\nplugins: 5\n", "site_config.yml:2: `plugins` must be a list"),
        (b"plugins:\n  - finops-kb: 5\n", "site_config.yml:2: the finops-kb options must be"),
        (b"when: 2026-02-30\n", "invalid YAML value"),
        (b"when: !!timestamp nope\n", "invalid YAML value"),
        (b"when: !!bool maybe\n", "invalid YAML value"),
        (b"when: !!int x\n", "invalid YAML value"),
        (
            b"plugins:\n  - search\n  - finops-kb:\n      review_interval_days: x\n",
            "site_config.yml:4: finops-kb option `review_interval_days` must be a whole number",
        ),
        (
            b"plugins:\n  - finops-kb:\n      severity:\n        nope: error\n",
            "site_config.yml:4: unknown diagnostic code `nope`",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "build", "new page x"])
def test_bad_config_files_are_one_line_and_exit_2(
    base_repo: Path, capsys, content: bytes, expected: str, command: str
) -> None:
    cfg = base_repo / "site_config.yml"
    cfg.write_bytes(content)
    assert main(["-f", str(cfg), *command.split()]) == 2
    assert expected in _one_error_line(capsys.readouterr().err)
    assert not (base_repo / "site").exists() and not (base_repo / "content/x.md").exists()


def test_alias_bomb_in_config_is_refused_before_mkdocs_reads_it(base_repo: Path, capsys) -> None:
    """MkDocs logs a repr of every setting: an alias bomb would hang `build` inside MkDocs."""
    cfg = base_repo / "site_config.yml"
    levels = "".join(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    bomb = "extra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + levels
    cfg.write_text(cfg.read_text().replace("plugins:", bomb + "plugins:"))
    for command in ("check", "build"):
        start = time.perf_counter()
        assert main(["-f", str(cfg), command]) == 2
        assert "site_config.yml:8: YAML aliases expand" in _one_error_line(capsys.readouterr().err)
        assert time.perf_counter() - start < 5


def test_config_that_is_not_a_regular_file_is_refused(base_repo: Path, capsys) -> None:
    fifo = base_repo / "fifo.yml"
    os.mkfifo(fifo)  # reading it would block forever
    assert main(["-f", str(fifo), "check"]) == 2
    assert "not a regular file" in _one_error_line(capsys.readouterr().err)
    assert main(["-f", str(base_repo), "check"]) == 2
    _one_error_line(capsys.readouterr().err)
    assert main(["-f", str(base_repo / "nope.yml"), "check"]) == 2
    assert "not found" in _one_error_line(capsys.readouterr().err)


def test_plugin_option_from_env_is_resolved_and_checked_at_its_line(
    base_repo: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = base_repo / "site_config.yml"
    text = cfg.read_text().replace(
        "review_interval_days: 365", "review_interval_days: !ENV [FINOPS_KB_DAYS, 365]"
    )
    cfg.write_text(text)
    monkeypatch.setenv("FINOPS_KB_DAYS", "30")
    assert load_config(cfg).review_interval_days == 30
    monkeypatch.setenv("FINOPS_KB_DAYS", "soon")
    assert main(["-f", str(cfg), "check"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "site_config.yml:10: finops-kb option `review_interval_days`" in line
    monkeypatch.delenv("FINOPS_KB_DAYS")
    assert load_config(cfg).review_interval_days == 365


# --- Closed pipe and Ctrl-C -------------------------------------------------------------------


def _cli(root: Path, *args: str, **kw: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "-f", str(root / "site_config.yml"), *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("form", ["text", "junit"])
def test_closed_pipe_exits_quietly(base_repo: Path, form: str) -> None:
    """`finops-kb check | head -1` with the reader gone before anything is written."""
    with _cli(base_repo, "check", "--format", form, "--today", "2026-07-01") as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # every write now fails with EPIPE
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) in (0, 1)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_pipe_into_head(base_repo: Path) -> None:
    for i in range(300):  # enough output to fill the pipe before `head` is done
        (base_repo / f"content/empty-{i}.md").write_text("no front matter\n")
    cmd = f"{sys.executable} -m generator -f site_config.yml check | head -1"
    done = subprocess.run(
        ["sh", "-c", cmd],
        cwd=base_repo,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.count("\n") == 1 and "missing-front-matter" in done.stdout
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_closed_stdout_is_no_traceback(base_repo: Path) -> None:
    cmd = f"{sys.executable} -m generator -f site_config.yml check >&-"
    done = subprocess.run(
        ["sh", "-c", cmd],
        cwd=base_repo,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr


def test_ctrl_c_in_process_is_exit_130_in_one_line(
    base_repo: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.check

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.check, "check", interrupted)
    assert main(["-f", str(base_repo / "site_config.yml"), "check"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "finops-kb: interrupted"


def test_ctrl_c_sigint_is_exit_130_without_traceback(base_repo: Path) -> None:
    """A real SIGINT to a running check: the interpreter must not print a traceback either."""
    script = (
        "import sys, time\n"
        "import generator.check as c\n"
        "def slow(config):\n"
        "    print('started', flush=True)\n"
        "    time.sleep(60)\n"
        "c.check = slow\n"
        "from generator.cli import main\n"
        f"sys.exit(main(['-f', {str(base_repo / 'site_config.yml')!r}, 'check']))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=base_repo,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"started"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode().strip() == "finops-kb: interrupted"


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
    common = json.loads((ROOT / "generator/schemas/common.json").read_text())
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
    before = _files(base_repo.parent)
    assert main(["-f", str(base_repo / "site_config.yml"), "new", kind, ident]) == 2
    _one_error_line(capsys.readouterr().err)
    assert _files(base_repo.parent) == before


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
    assert "outside content/" in _one_error_line(capsys.readouterr().err)
    assert main(["-f", cfg, "new", "capability", "dangling"]) == 2
    assert "already exists" in _one_error_line(capsys.readouterr().err)
    assert list(outside.iterdir()) == [] and not (tmp_path / "nowhere.md").exists()


# --- Pack configuration: every problem at its config line -------------------------------------


def _apply(root: Path, case: dict) -> None:
    for rel, pairs in (case.get("replace") or {}).items():
        text = (root / rel).read_text("utf-8")
        for old, new in pairs:
            assert old in text, f"case replaces text missing from {rel}: {old!r}"
            text = text.replace(old, new, 1)
        (root / rel).write_text(text, "utf-8")


@pytest.mark.parametrize("case_file", PACK_CASES, ids=[c.stem for c in PACK_CASES])
def test_pack_case(case_file: Path, base_repo: Path) -> None:
    case = yaml.safe_load(case_file.read_text("utf-8"))
    _apply(base_repo, case)
    config = load_config(base_repo / "site_config.yml")
    config.today = dt.date(2026, 7, 1)
    result = check(config)
    got = sorted(f"{d.path}:{d.line} {d.code}" for d in result.diagnostics)
    assert got == sorted(case["expect"]), "\n".join(d.format() for d in result.diagnostics)
    assert all(d.line >= 1 for d in result.diagnostics)


def test_pack_lines_survive_the_build(base_repo: Path, capsys) -> None:
    """`build` reads the options through MkDocs; the pack error keeps its config line there."""
    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("- section: domains", "- page: nowhere.md"))
    assert main(["-f", str(cfg), "build", "--no-packs"]) == 1
    err = capsys.readouterr().err
    assert "site_config.yml:26: pack-config" in err and ":0:" not in err


@pytest.mark.allow_warnings
def test_plugin_option_errors_name_file_and_line_in_plain_mkdocs(
    base_repo: Path, caplog: pytest.LogCaptureFixture, capsys
) -> None:
    from mkdocs.config import load_config as mkdocs_config
    from mkdocs.exceptions import Abort, ConfigurationError

    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("review_interval_days: 365", "review_interval_days: x"))
    with pytest.raises((ConfigurationError, Abort)) as info:
        mkdocs_config(str(cfg))
    shown = str(info.value) + caplog.text + capsys.readouterr().err  # wherever MkDocs logs
    assert "site_config.yml:10: finops-kb option `review_interval_days`" in shown


# --- build stops when check has errors --------------------------------------------------------


@pytest.mark.allow_warnings
def test_build_stops_on_check_errors_and_keeps_the_previous_site(base_repo: Path, capsys) -> None:
    cfg = base_repo / "site_config.yml"
    assert main(["-f", str(cfg), "build", "--no-packs"]) == 0
    site = base_repo / "site"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()
    alpha = base_repo / "content/capabilities/alpha.md"
    alpha.write_text(alpha.read_text().replace("kind: capability", "kind: capability\nsearch: 5"))
    time.sleep(0.01)
    assert main(["-f", str(cfg), "build", "--no-packs"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("content/capabilities/alpha.md:") == 1  # diagnostics printed once
    assert "found by finops-kb check; fix them before building" in err
    assert "Building documentation" not in err  # stopped before MkDocs rendered anything
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in base_repo.iterdir() if p.name.startswith(".site")]


@pytest.mark.allow_warnings
def test_serve_keeps_rendering_with_errors(base_repo: Path) -> None:
    """In the live preview an error must not stop the rebuild: editors fix it while watching."""
    from mkdocs.config import load_config as mkdocs_config

    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("- section: domains", "- page: nowhere.md"))
    for command, stops in (("serve", False), ("build", True)):
        config = mkdocs_config(str(cfg))
        config.plugins.on_startup(command=command, dirty=False)
        if stops:
            from mkdocs.exceptions import PluginError

            with pytest.raises(PluginError, match="1 error found by finops-kb check"):
                config.plugins.on_config(config)
        else:
            config.plugins.on_config(config)


@pytest.mark.allow_warnings  # the preview logs what check found
@pytest.mark.parametrize("key", ["hide: 5", "template: 5", "tags: 5", "title: [a, b]"])
def test_serve_previews_a_page_whose_theme_keys_are_wrong(base_repo: Path, key: str) -> None:
    """MkDocs and Material read these keys themselves and crash on a wrong shape; check reports
    it, and the preview renders the page without its front matter instead of crashing."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_config

    page = base_repo / "content/capabilities/beta.md"
    page.write_text(page.read_text().replace("title: Beta\n", f"title: Beta\n{key}\n", 1))
    config = mkdocs_config(str(base_repo / "site_config.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build.build(config, serve_url="http://127.0.0.1:8000/")
    html = (base_repo / "site/capabilities/beta.html").read_text("utf-8")
    assert "<title>beta" in html.lower() and 'id="definition"' in html


def test_packs_with_path_like_ids_are_never_rendered(base_repo: Path, capsys) -> None:
    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text().replace("- id: engineering", "- id: ../../content/x"))
    assert main(["-f", str(cfg), "pack", "--out", str(base_repo / "out")]) == 1
    assert not list(base_repo.rglob("x.pdf")) and not list(base_repo.parent.rglob("x.pdf"))
    shutil.rmtree(base_repo / "out", ignore_errors=True)
