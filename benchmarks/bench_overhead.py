"""The plugin's own cost: our build against plain Material building exactly the pages we output.

    python benchmarks/bench_overhead.py [--n 2000]

`bench_build.py` compares against plain Material on the *source* pages, so the plugin's side
also pays for rendering what it adds (merged overlays, RACI rows, 25+ generated pages). Here
the plain side builds the pages the plugin outputs (every merged content page and every
generated page, same nav, theme, extensions and search), so the ratio is the cost of the
plugin's stages: check, graph, generation and the site link check. The plugin keeps the
generated parts of a page (tables, link lists, credits) out of Python-Markdown and puts their
HTML in afterwards; plain Material gets them inlined in the Markdown as raw HTML, which it
has to parse, so part of the difference is that saving.
Budget (DESIGN.md §7): <= 1.15x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import TODAY, _theme, generate  # noqa: E402

from generator import graph, nav, pages, views  # noqa: E402
from generator.check import check  # noqa: E402
from generator.config import load_config  # noqa: E402


def export(root: Path) -> None:
    """Write the plugin's final Markdown and nav as a plain MkDocs project in `root/same`."""
    config = load_config(root / "site_config.yml")
    config.today = dt.date.fromisoformat(TODAY)
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    site = pages.site_for(g)
    out = root / "same"
    written = {}
    for doc in result.repo.documents:
        if doc.path.startswith(config.content_dir + "/"):
            written[g.docs_path[doc.path]] = (
                f"---\ntitle: {json_str(doc.title)}\n---\n" + pages.render(site, doc)
            )
    generated = views.generate(site, config)
    written.update({path: page.markdown for path, page in generated.items()})
    for path, text in written.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, "utf-8")
    nav_items = nav.build(g, site.org_name, list(generated), False)
    (root / "same_config.yml").write_text(
        "site_name: Synthetic FinOps KB (same pages)\nsite_dir: site-same\n"
        + _theme("", "same")
        + yaml.safe_dump({"nav": nav_items}, sort_keys=False)
    )


def json_str(text: str) -> str:
    return '"' + text.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"'


def timed_build(root: Path, config: str) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config], cwd=root, env=env
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status:
        sys.exit(f"{config} failed ({status})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.n, variant="plugin")
        export(root)
        same_wall, same_cpu = timed_build(root, "same_config.yml")
        plug_wall, plug_cpu = timed_build(root, "site_config.yml")
    print(
        f"N={args.n}: plugin build {plug_wall:.1f} s wall / {plug_cpu:.1f} s CPU; plain Material "
        f"on the same output pages {same_wall:.1f} s / {same_cpu:.1f} s"
    )
    ratio = plug_wall / same_wall
    print(
        f"ratio {ratio:.2f}x wall, {plug_cpu / same_cpu:.2f}x CPU "
        f"(budget 1.15x: {'OK' if ratio <= 1.15 else 'OVER BUDGET'})"
    )


if __name__ == "__main__":
    main()
