"""The command-line contract: exit 0/1/2 (130 on Ctrl-C), one clear line for usage, configuration
and I/O errors, never a traceback; machine outputs that no file name or message can forge; ids
that are slugs; configuration errors at their config line; `build` stops when `check` fails."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from kb import apply_case, one_error_line

from generator.cli import main
from generator.core.check import check
from generator.core.config import load_config

ROOT = Path(__file__).parent.parent
PACK_CASES = sorted((Path(__file__).parent / "cases" / "packs").glob("*.yml"))


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
    assert expected in one_error_line(capsys.readouterr().err)
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
    assert expected in one_error_line(capsys.readouterr().err)
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
        assert "site_config.yml:8: YAML aliases expand" in one_error_line(capsys.readouterr().err)
        assert time.perf_counter() - start < 5


def test_config_that_is_not_a_regular_file_is_refused(base_repo: Path, capsys) -> None:
    fifo = base_repo / "fifo.yml"
    os.mkfifo(fifo)  # reading it would block forever
    assert main(["-f", str(fifo), "check"]) == 2
    assert "not a regular file" in one_error_line(capsys.readouterr().err)
    assert main(["-f", str(base_repo), "check"]) == 2
    one_error_line(capsys.readouterr().err)
    assert main(["-f", str(base_repo / "nope.yml"), "check"]) == 2
    assert "not found" in one_error_line(capsys.readouterr().err)


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
    line = one_error_line(capsys.readouterr().err)
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


def _check_in_shell(root: Path, redirect: str) -> subprocess.CompletedProcess[str]:
    """`finops-kb check` run by a shell, its output sent where `redirect` says."""
    return subprocess.run(
        ["sh", "-c", f"{sys.executable} -m generator -f site_config.yml check {redirect}"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_pipe_into_head(base_repo: Path) -> None:
    for i in range(300):  # enough output to fill the pipe before `head` is done
        (base_repo / f"content/empty-{i}.md").write_text("no front matter\n")
    done = _check_in_shell(base_repo, "| head -1")
    assert done.stdout.count("\n") == 1 and "missing-front-matter" in done.stdout
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_closed_stdout_is_no_traceback(base_repo: Path) -> None:
    done = _check_in_shell(base_repo, ">&-")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr


def test_ctrl_c_in_process_is_exit_130_in_one_line(
    base_repo: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.core.check

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.core.check, "check", interrupted)
    assert main(["-f", str(base_repo / "site_config.yml"), "check"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "finops-kb: interrupted"


def test_ctrl_c_sigint_is_exit_130_without_traceback(base_repo: Path) -> None:
    """A real SIGINT to a running check: the interpreter must not print a traceback either."""
    script = (
        "import sys, time\n"
        "import generator.core.check as c\n"
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


# --- Pack configuration: every problem at its config line -------------------------------------


@pytest.mark.parametrize("case_file", PACK_CASES, ids=[c.stem for c in PACK_CASES])
def test_pack_case(case_file: Path, base_repo: Path) -> None:
    case = yaml.safe_load(case_file.read_text("utf-8"))
    apply_case(base_repo, case)
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
    assert "site_config.yml:26:1: error pack-config" in err and ":0:" not in err


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
