"""The live preview (`finops-kb serve`) shows check's problems on the pages they concern and on a
problems page, reloads on theme edits and forgets deleted pages; a production build has none
of it. One serve process (on a copy of the minimal knowledge base) is shared by the module;
each test puts back what it changed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kb import copy_base

from generator.plugin.commands import build

CHROMIUM = os.environ.get("FINOPS_KB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

BANNER = 'class="fkb-preview'
PROBLEMS = "about/problems.html"
TIMEOUT = 40.0


class Served:
    def __init__(self, repo: Path, url: str) -> None:
        self.repo, self.url = repo, url

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except OSError:
            return 0, ""

    def text(self, path: str) -> str:
        return self.get(path)[1]

    def edit(self, rel: str, old: str, new: str) -> int:
        """Replace `old` by `new` in a file of the served repository; the 1-based line of it."""
        path = self.repo / rel
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), "utf-8")
        return text[: text.index(old)].count("\n") + 1


def _wait(what: str, ok: Callable[[], bool], seconds: float = TIMEOUT) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if ok():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    top = tmp_path_factory.mktemp("preview")
    repo = copy_base(top / "kb")
    port = _free_port()
    log = top / "serve.log"  # a file, not a pipe: every rebuild logs its problems
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    server = Served(repo, f"http://127.0.0.1:{port}/")
    try:
        _wait("the first build", lambda: server.get("capabilities/alpha.html")[0] == 200, 90)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "Traceback" not in log.read_text(), log.read_text()
    assert not (repo / "site").exists()  # serve never writes the real site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (scripts/test does)"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield b
        b.close()


@pytest.mark.browser
def test_the_banner_appears_with_file_and_line_and_goes_when_fixed(
    served: Served, browser: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: r.url.startswith(served.url) or outside.append(r.url))
    try:
        page.goto(served.url + "capabilities/alpha.html")
        banner = page.locator(".fkb-preview")
        assert banner.count() == 0
        line = served.edit("content/capabilities/alpha.md", "related: [beta]", "related: [betta]")
        # No navigation: the page reloads itself when the rebuild is done (livereload).
        banner.wait_for(timeout=TIMEOUT * 1000)
        text = banner.inner_text()
        assert f"content/capabilities/alpha.md:{line}" in text
        assert "unknown-reference" in text and "did you mean beta?" in text
        edit = banner.get_by_role("link", name="Edit content/capabilities/alpha.md")
        assert edit.get_attribute("href") == (
            "https://git.example.org/kb/edit/main/content/capabilities/alpha.md"
        )
        banner.get_by_role("link", name="All problems").click()
        page.wait_for_url("**/" + PROBLEMS)
        group = page.locator("h2", has_text="content/capabilities/alpha.md")
        assert group.count() == 1
        page.go_back()
        served.edit("content/capabilities/alpha.md", "related: [betta]", "related: [beta]")
        banner.wait_for(state="detached", timeout=TIMEOUT * 1000)
        assert page.locator("h1", has_text="Alpha").count() == 1
    finally:
        context.close()
    assert outside == []


def test_problems_of_merged_files_show_on_the_pages_built_from_them(served: Served) -> None:
    overlay = served.edit("playbooks/capabilities/alpha.md", "owner: lead", "owner: leed")
    raci = served.edit("playbooks/raci.yml", "engineer: R", "enginer: R")
    # A page whose front matter check refuses is previewed without it, with its banner.
    beta = served.edit("content/capabilities/beta.md", "phases: [inform]", "phases: inform")
    expected = {
        "capabilities/alpha.html": f"playbooks/capabilities/alpha.md:{overlay}",
        "organization/raci.html": f"playbooks/raci.yml:{raci}",
        "organization/roles/lead.html": f"playbooks/raci.yml:{raci}",
        "organization/index.html": "playbooks/organization.yml:",  # engineer: no RACI row now
        "capabilities/beta.html": f"content/capabilities/beta.md:{beta}",
    }
    for page, where in expected.items():
        _wait(f"{where} on {page}", lambda p=page, w=where: w in served.text(p))
    status, problems = served.get(PROBLEMS)
    assert status == 200
    for path in (
        "playbooks/capabilities/alpha.md",
        "playbooks/raci.yml",
        "content/capabilities/beta.md",
    ):
        assert f">{path}" in problems  # a heading per file
    assert BANNER not in served.text("domains/understand.html")  # no problem of its own

    served.edit("playbooks/capabilities/alpha.md", "owner: leed", "owner: lead")
    served.edit("playbooks/raci.yml", "enginer: R", "engineer: R")
    served.edit("content/capabilities/beta.md", "phases: inform", "phases: [inform]")
    for page in expected:
        _wait(f"no banner on {page}", lambda p=page: BANNER not in served.text(p))
    assert "finds no problem" in served.text(PROBLEMS)


def test_theme_edits_reload_the_preview(served: Served) -> None:
    css = served.repo / "theme/assets/finops-kb.css"
    before = css.read_text("utf-8")
    main = served.repo / "theme/main.html"
    try:
        css.write_text(before + "\n.fkb-reloaded { color: red; }\n", "utf-8")
        _wait("the CSS edit", lambda: "fkb-reloaded" in served.text("assets/finops-kb.css"))
        # A template edit reaches pages whose own sources did not change.
        main.write_text(
            '{% extends "base.html" %}\n{% block announce %}Theme edited{% endblock %}\n', "utf-8"
        )
        _wait("the template edit", lambda: "Theme edited" in served.text("domains/understand.html"))
    finally:
        css.write_text(before, "utf-8")
        main.unlink(missing_ok=True)
    _wait("the template gone", lambda: "Theme edited" not in served.text("domains/understand.html"))


def test_deleted_and_renamed_pages_disappear(served: Served) -> None:
    page = served.repo / "content/notes.md"
    page.write_text(
        "---\nkind: page\ntitle: Notes\nsummary: Notes.\n---\n## Notes\n\nSome notes.\n", "utf-8"
    )
    _wait("the new page", lambda: served.get("notes.html")[0] == 200)
    page.rename(served.repo / "content/renamed.md")
    _wait("the renamed page", lambda: served.get("renamed.html")[0] == 200)
    _wait("the old name gone", lambda: served.get("notes.html")[0] == 404)
    (served.repo / "content/renamed.md").unlink()
    _wait("the deleted page gone", lambda: served.get("renamed.html")[0] == 404)
    assert served.get("capabilities/alpha.html")[0] == 200  # nothing else went


@pytest.mark.allow_warnings  # the build reports the overdue review it is given
def test_a_production_build_has_no_trace_of_the_preview(base_repo: Path, tmp_path: Path) -> None:
    served_only = Served(base_repo, "")
    served_only.edit("content/capabilities/alpha.md", "last_reviewed: 2026", "last_reviewed: 2020")
    out = tmp_path / "site"
    assert build(base_repo / "site_config.yml", site_dir=str(out), packs=False) == 0
    pages = list(out.rglob("*.html"))
    assert pages and not (out / PROBLEMS).exists()
    for html in pages:
        text = html.read_text("utf-8")
        assert "fkb-preview" not in text and "fkb-problem" not in text, html
        assert "problems.html" not in text, html


def test_without_a_repository_url_the_banner_names_the_local_file(tmp_path: Path) -> None:
    from generator.core.diagnostics import Diagnostic
    from generator.plugin.preview import shown
    from generator.render.context import RenderContext
    from generator.render.html_parts import render

    ctx = RenderContext(graph=None)  # type: ignore[arg-type]
    d = Diagnostic("content/x.md", 3, "unknown-reference", "`<b>` is <i>unknown</i>", "use `a`")
    p = shown(d, ctx, tmp_path, "capabilities/x.md")
    assert p.edit is None and p.local == f"{tmp_path}/content/x.md:3"
    html = render(ctx, "preview-banner.html", summary="1 error", severity="error", problems=[p])
    assert f"Edit <code>{tmp_path}/content/x.md:3</code>" in html
    assert "<code>&lt;b&gt;</code> is &lt;i&gt;unknown&lt;/i&gt;" in html  # data stays text
    assert 'href="../about/check-codes.html#unknown-reference"' in html
