"""Render a ~100-page onboarding pack from the synthetic knowledge base; print seconds and memory.

    python benchmarks/bench_pack.py [--n 60]

Budget (DESIGN.md §7): a 100-page pack in <= 20 s with <= 1 GiB peak memory on 2 cores.
The pack is rendered in a child process so its peak RSS is measured alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import TODAY, generate  # noqa: E402

CHILD = textwrap.dedent("""
    import datetime as dt, json, sys, time
    from pathlib import Path
    from generator.core import graph
    from generator.core.check import check
    from generator.core.config import load_config
    from generator.packs.pdf import render
    from generator.core.pack_specs import resolve
    from generator.render.context import render_context

    root = Path(sys.argv[1])
    config = load_config(root / "site_config.yml")
    config.today = dt.date.fromisoformat(sys.argv[2])
    start = time.perf_counter()
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    packs, problems = resolve(config, g)
    assert not problems, problems
    prepared = time.perf_counter() - start
    done = render(render_context(g), packs[0], config, root / "out")
    print(json.dumps({"pages": done.pages, "render_s": done.seconds, "prepare_s": prepared}))
""")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--n",
        type=int,
        default=120,
        help="capabilities in the synthetic knowledge base (default 120)",
    )
    parser.add_argument(
        "--chapters",
        type=int,
        default=95,
        help="capability chapters in the pack (default 95, about 100 PDF pages)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.n, variant="plugin")
        cfg = root / "site_config.yml"
        ids = sorted(p.stem for p in (root / "content/capabilities").glob("*.md"))[: args.chapters]
        cfg.write_text(
            cfg.read_text().rstrip() + "\n      packs:\n        - id: bench\n"
            "          title: Benchmark pack\n"
            "          audience: {personas: [engineering]}\n"
            "          include:\n            - raci\n"
            f"            - capabilities: {json.dumps(ids)}\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(root), TODAY], capture_output=True, text=True
        )
        if proc.returncode:
            sys.exit(proc.stderr)
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"pack: {figures['pages']} PDF pages from {args.chapters} capability chapters + RACI")
    print(
        f"render: {figures['render_s']:.1f} s (budget 20 s for 100 pages); "
        f"load+check+graph: {figures['prepare_s']:.2f} s"
    )
    print(f"peak RSS of the rendering process: {peak:.0f} MiB (budget 1024 MiB)")
    print(f"throughput: {figures['pages'] / figures['render_s']:.1f} PDF pages/s")


if __name__ == "__main__":
    main()
