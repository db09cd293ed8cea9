#!/usr/bin/env python3
"""Long fuzz campaign of `finops-kb check`: the suite's mutations, many times, on both cores.

usage: python scripts/fuzz.py [--runs 100000] [--seed 1] [--jobs 2] [--bundled-share 0.3]

Each run mutates a scratch copy (the minimal test repository, or with --bundled-share the
bundled knowledge base), runs `check --format json` in-process and generates the pages, and
counts a breach of the contract: an exception, a status outside {0, 1, 2}, a diagnostic
without a line, or a run over 10 s. Prints the count, the time and each failure with the
seed that repeats it: `--seed S --runs 1 --jobs 1` (add `--bundled-share 1` or `0` to pick the
repository a seed from tests/test_fuzz.py ran on).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from fuzzlib import BASE, ROOT, Rand, Scratch, mutate, run_check  # noqa: E402


def worker(args: tuple[int, int, int, float, bool]) -> tuple[int, tuple[float, str], list[str]]:
    first, count, step, bundled_share, render_all = args
    top = Path(tempfile.mkdtemp(prefix="fkb-fuzz-"))
    scratches = {"base": Scratch.of(BASE, top / "base"), "bundled": Scratch.of(ROOT, top / "b")}
    failures: list[str] = []
    slowest = (0.0, "")
    for n in range(count):
        seed = first + n * step
        rand = Rand(seed)
        # Which repository comes from the seed but not from its generator, so a seed drawn by
        # tests/test_fuzz.py makes the same mutation here.
        which = "bundled" if (seed * 2654435761) % 1000 < bundled_share * 1000 else "base"
        scratch = scratches[which]
        try:
            what = mutate(scratch, rand, rounds=rand.integer(1, 3))
            outcome = run_check(scratch.root, render=render_all or seed % 4 == 0)
        finally:
            scratch.restore()
        slowest = max(slowest, (outcome.seconds, f"seed {seed} ({which}): {'; '.join(what)}"))
        if (n + 1) % 1000 == 0:  # progress on stderr: a long campaign cut short still counts
            print(
                f"fuzz: {n + 1} runs from seed {first} (step {step}), {len(failures)} failures, "
                f"slowest {slowest[0]:.2f} s",
                file=sys.stderr,
                flush=True,
            )
        if outcome.problems:
            failures.append(
                f"seed {seed} ({which}): {'; '.join(what)}\n    "
                + "\n    ".join(outcome.problems[:2])
            )
    return count, slowest, failures


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bundled-share", type=float, default=0.3)
    ap.add_argument("--render-all", action="store_true", help="generate pages after every run")
    args = ap.parse_args()
    start = time.perf_counter()
    jobs = max(args.jobs, 1)
    chunks = [
        (args.seed + j, len(range(j, args.runs, jobs)), jobs, args.bundled_share, args.render_all)
        for j in range(jobs)
    ]
    if jobs == 1:
        results = [worker(chunks[0])]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(worker, chunks)
    runs = sum(r[0] for r in results)
    failures = [f for r in results for f in r[2]]
    seconds = time.perf_counter() - start
    slow = max(r[1] for r in results)
    print(
        f"fuzz: {runs} runs from seed {args.seed} in {seconds:.0f} s on {jobs} processes; "
        f"{len(failures)} failures\nslowest run {slow[0]:.2f} s, {slow[1][:300]}"
    )
    for f in failures[:50]:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
