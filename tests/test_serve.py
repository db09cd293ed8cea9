"""`finops-kb serve`: the live preview rebuilds when content or playbooks change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 30) -> float:
    start = time.time()
    while time.time() - start < seconds:
        if text in _get(url):
            return time.time() - start
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear at {url} within {seconds} s")


def test_edits_to_content_and_playbooks_are_served(base_repo: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=base_repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/capabilities/alpha.html"
        _wait_for(url, "We run the collection every night", 60)
        cap = base_repo / "content/capabilities/alpha.md"
        cap.write_text(
            cap.read_text().replace("Without it nothing else works.", "Edited while serving.")
        )
        _wait_for(url, "Edited while serving.")
        overlay = base_repo / "playbooks/capabilities/alpha.md"
        overlay.write_text(overlay.read_text().replace("every night", "every hour"))
        _wait_for(url, "We run the collection every hour")
        # A rebuild renders only changed pages, but a new title reaches every page's navigation.
        beta = base_repo / "content/capabilities/beta.md"
        beta.write_text(beta.read_text().replace("title: Beta", "title: Beta Renamed", 1))
        _wait_for(url, "Beta Renamed")
        assert not (base_repo / "site").exists()  # serve never writes the real site
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err
    assert "WARNING" not in err, err


def test_a_rebuild_renders_only_what_changed() -> None:
    from generator.plugin.incremental import Renders

    renders = Renders()
    assert renders.changed("nav-1", {"a.md": "1", "b.md": "1"}) == {"a.md", "b.md"}
    renders.done()
    assert renders.changed("nav-1", {"a.md": "2", "b.md": "1"}) == {"a.md"}
    # a failed build is not remembered: the next one renders a.md again
    assert renders.changed("nav-1", {"a.md": "2", "b.md": "1"}) == {"a.md"}
    renders.done()
    assert renders.changed("nav-1", {"a.md": "2", "b.md": "1", "c.md": "1"}) == {"c.md"}
    assert renders.changed("nav-2", {"a.md": "2", "b.md": "1"}) == {"a.md", "b.md"}
