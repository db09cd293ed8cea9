"""Time `finops-kb check` (in-process) on synthetic knowledge bases of growing size.

    python benchmarks/bench_check.py [--sizes 250 500 1000 2000] [--repeat 3] [--workdir DIR]
                                     [--profile] [--broken K]

For each N: generate the knowledge base, run `generator.core.check.check` `--repeat` times and keep
the best; print seconds, pages/s and microseconds per page (flat when check is linear in N).
At the largest N also print the time of each stage (load and its parts, every rule), the
wall time of the `finops-kb check` command (imports included), and with `--profile` the top
of a cProfile of one check. With `--broken K`, the largest N is checked again with K broken
links and anchors planted (a third each: missing page, missing anchor, missing same-page
anchor), and the script prints what they add: each must cost about the same, whatever N.

Budget (DESIGN.md §7): N = 2,000 in <= 2 s (>= 1,000 pages/s), linear in N; 1,000 broken
links add < 1 s at N = 2,000.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import synthetic

from generator.core import load as load_stage
from generator.core import yaml_data
from generator.core.check import RULES, check
from generator.core.codes import DEFAULTS
from generator.core.config import Config, load_config
from generator.core.diagnostics import apply_severities

BUDGET_SECONDS, BUDGET_N = 2.0, 2000
BROKEN_BUDGET_SECONDS = 1.0  # what 1,000 broken links may add at N = 2,000


def config_for(kb: synthetic.KB) -> Config:
    config = load_config(kb.site_config)
    config.today = dt.date.fromisoformat(synthetic.TODAY)
    return config


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(best seconds, first seconds, last result) of `repeat` calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), times[0], result


def stages(config: Config, repeat: int) -> list[tuple[str, float]]:
    """Best time of each part of `check`, run one after the other as `check` does."""
    root, dirs = config.root, config.dirs
    out: list[tuple[str, float]] = []
    t, _, files = best_of(repeat, lambda: files.discover(root, dirs))
    out.append(("load: discover files", t))
    md = [f for f in files if f.endswith(".md")]

    def read_split() -> list[tuple[str, str, str, int]]:
        parts = []
        for rel in md:
            text, _ = files.read_text(root, rel)
            front, body, body_line, _ = load_stage.split_front_matter(text or "", rel)
            parts.append((rel, front or "", body, body_line))
        return parts

    t, _, parts = best_of(repeat, read_split)
    out.append(("load: read + split front matter", t))
    t, _, _ = best_of(repeat, lambda: [yaml_data.parse_yaml(f, r, 2) for r, f, _, _ in parts])
    out.append(("load: front matter YAML (+ key lines)", t))
    t, _, _ = best_of(repeat, lambda: [load_stage.parse_body(b, n) for _, _, b, n in parts])
    out.append(("load: body (headings, links, words)", t))
    t, _, loaded = best_of(repeat, lambda: load_stage.load(root, dirs))
    out.append(("load (whole stage)", t))
    repo, problems = loaded
    for name, rule in RULES.items():
        t, _, found = best_of(repeat, lambda rule=rule: rule(repo, config))
        out.append((f"rule: {name}", t))
        problems = problems + found
    if config.packs:
        from generator.core import graph
        from generator.core import pack_specs as packs

        t, _, _ = best_of(
            repeat,
            lambda: packs.resolve(
                config, graph.build(repo, config.content_dir, config.playbooks_dir)
            ),
        )
        out.append(("packs (graph + resolve)", t))
    t, _, _ = best_of(repeat, lambda: apply_severities(problems, DEFAULTS, config.severity))
    out.append(("apply severities + sort", t))
    return out


def cli_seconds(kb: synthetic.KB) -> tuple[float, int]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "-f",
            str(kb.site_config),
            "check",
            "--today",
            synthetic.TODAY,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    return time.perf_counter() - start, proc.returncode


def broken_links(work: Path, n: int, args: argparse.Namespace, clean: float) -> bool:
    """Check the largest N again with `--broken` links planted; True if over budget."""
    kb = synthetic.generate(work / f"kb-{n}-broken", n, args.seed, break_links=args.broken)
    config = config_for(kb)
    best, _first, result = best_of(args.repeat, lambda: check(config))
    found = sum(d.code in ("broken-link", "broken-anchor") for d in result.diagnostics)
    added = best - clean
    per_link = added / args.broken * 1e3
    print(
        f"\nN={n} with {args.broken} broken links: {best:.3f} s vs {clean:.3f} s without "
        f"(+{added:.3f} s, {per_link:.2f} ms per broken link); {found} reported"
    )
    if n != BUDGET_N or args.broken != 1000:
        return False
    verdict = "OK" if added < BROKEN_BUDGET_SECONDS else "OVER BUDGET"
    print(f"budget: 1,000 broken links add < {BROKEN_BUDGET_SECONDS:.1f} s: {verdict}")
    return added >= BROKEN_BUDGET_SECONDS or found != args.broken


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="where to generate (default: a temporary folder)")
    ap.add_argument("--profile", action="store_true", help="cProfile one check at the largest N")
    ap.add_argument(
        "--broken",
        type=int,
        default=0,
        metavar="K",
        help="also check the largest N with K broken links",
    )
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="finops-bench-check-"))
    print(f"check benchmark: best of {args.repeat}, workdir {work}")
    print(
        f"{'N':>6} {'files':>6} {'first s':>8} {'best s':>8} {'pages/s':>9} {'us/page':>8} "
        f"{'vs N0':>6} {'errors':>6} {'warn':>5}"
    )
    base = None
    kb = config = None
    failed = False
    for n in args.sizes:
        kb = synthetic.generate(work / f"kb-{n}", n, args.seed)
        config = config_for(kb)
        best, first, result = best_of(args.repeat, lambda config=config: check(config))
        per_page = best / n * 1e6
        base = base or per_page
        print(
            f"{n:>6} {len(result.repo.files):>6} {first:>8.3f} {best:>8.3f} {n / best:>9.0f} "
            f"{per_page:>8.0f} {per_page / base:>6.2f} {result.errors:>6} {result.warnings:>5}"
        )
        failed |= result.errors > 0
        if result.errors:
            for d in result.diagnostics[:5]:
                print("   ", d.format())
    assert kb is not None and config is not None
    n = args.sizes[-1]
    print(
        f"\n(pages/s counts capability pages; each N also has {len(synthetic.PERSONAS)} personas,"
        f" {len(synthetic.DOMAINS)} domains, 3 phases, the overlays and the other playbooks)"
    )
    print(
        f"\nstages at N={n} (best of {args.repeat}; load's parts are timed separately, "
        "one after the other on one core, whatever `load` itself does):"
    )
    rows = stages(config, args.repeat)
    total = sum(t for name, t in rows if not name.startswith("load:"))
    for name, t in rows:
        share = "" if name.startswith("load:") else f"{t / total:6.1%}"
        print(f"  {name:42} {t:7.3f} s {share}")
    print(f"  {'sum of stages':42} {total:7.3f} s")
    cli, rc = cli_seconds(kb)
    print(
        f"\n`finops-kb check` command at N={n} (fresh process, imports included): "
        f"{cli:.2f} s, exit {rc}"
    )
    if n == BUDGET_N:
        best = min(best_of(1, lambda: check(config))[0] for _ in range(args.repeat))
        verdict = "OK" if best <= BUDGET_SECONDS else "OVER BUDGET"
        failed |= best > BUDGET_SECONDS
        print(f"budget: check at N={BUDGET_N} <= {BUDGET_SECONDS:.1f} s: {best:.2f} s -> {verdict}")
    if args.broken:
        failed |= broken_links(work, n, args, best_of(args.repeat, lambda: check(config))[0])
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        check(config)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
        print(f"\ncProfile of one check at N={n} (top 30 by cumulative time):")
        print(buf.getvalue())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
