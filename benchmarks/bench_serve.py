"""How long `finops-kb serve` takes to show a one-page edit of the bundled knowledge base.

    python benchmarks/bench_serve.py [--edits 5]

Works on a copy of the repository in a temporary folder (content/ is never touched).
Budget (DESIGN.md §7): an edit is visible in <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def _wait(url: str, text: str, limit: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"{text!r} never appeared at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("content", "playbooks", "theme"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "site_config.yml", root)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/capabilities/budgeting.html"
            first = _wait(url, "Budgeting")
            page = root / "content/capabilities/budgeting.md"
            times = []
            for i in range(args.edits):
                marker = f"Edit marker {i}."
                page.write_text(
                    page.read_text().replace(
                        "## Why it matters", f"{marker}\n\n## Why it matters", 1
                    )
                )
                times.append(_wait(url, marker))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"first page served after {first:.1f} s")
    print(
        f"edit visible after: median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s over {len(times)} edits (budget 2 s)"
    )


if __name__ == "__main__":
    main()
