"""Time the site link check against mkdocs-htmlproofer-plugin, and compare what each finds.

    python benchmarks/bench_linkcheck.py [--n 2000] [--break-links 10] [--repeat 3]
                                         [--workdir DIR] [--reuse]

1. Speed of ours: build the plugin site of N synthetic capability pages (or reuse
   WORKDIR/kb-N/site from bench_build.py with `--reuse`) and time
   `generator.plugin.html_links.broken_links(site_dir)`, best of `--repeat`. The clean site
   should have no findings: any finding is a broken link made by the plugin, its views or the theme.
2. Speed of mkdocs-htmlproofer-plugin (`pip install mkdocs-htmlproofer-plugin`): it checks links
   while MkDocs builds, so its cost is (plain build with htmlproofer) - (plain build without),
   each in a subprocess, on a copy of the N pages in which `--break-links` links are broken on
   purpose (missing pages, missing anchors, missing same-page anchors; external URLs off).
   `--proofer-mode content` (default) is htmlproofer's default: the links of each page's
   Markdown body; `rendered` sets `validate_rendered_template: true` (every link of the page,
   navigation included, which is what ours checks) and is far slower; `both` runs both.
3. Findings: htmlproofer's reports (from its log) against `broken_links` on that same built
   site, as (page, href) pairs, and both against the links broken on purpose. MkDocs' own link
   validation of the Markdown sources (from the same log) is shown for reference.

Budget (DESIGN.md §7): ours <= 5 s at N = 2,000 and >= 10x faster than htmlproofer, with the
same findings.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import tempfile
import time
from pathlib import Path

import synthetic
from bench_build import Run, print_runs, record, recorded, run_build, tail

from generator.plugin.html_links import broken_links

BUDGET_SECONDS, BUDGET_SPEEDUP = 5.0, 10.0
_PROOFER = re.compile(r"htmlproofer: invalid url - (\S+) \[(-?\d+)\] \[(.+?)\]")
_MKDOCS = re.compile(
    r"Doc file '([^']+)' contains a link '([^']+)', "
    r"but (the target '[^']*' is not)?"
)


def html_of(md: str) -> str:
    """Built page of a source page (`use_directory_urls: false`)."""
    return md[:-3] + ".html"


def built_href(href: str, missing: bool = False) -> str:
    """What MkDocs writes for a Markdown link: `x.md#a` -> `x.html#a`; a missing page is kept."""
    if missing:
        return href
    path, _, anchor = href.partition("#")
    return (html_of(path) if path else "") + (f"#{anchor}" if anchor else "")


def timed_ours(site: Path, repeat: int) -> tuple[float, float, list[tuple[str, str, str]]]:
    times, found = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        found = broken_links(site)
        times.append(time.perf_counter() - start)
    return min(times), times[0], found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--break-links", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="default: a temporary folder")
    ap.add_argument(
        "--proofer-mode",
        choices=["content", "rendered", "both"],
        default="content",
        help="htmlproofer's validate_rendered_template off (its default), on (checks "
        "the whole page, as ours does; much slower), or both",
    )
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="reuse WORKDIR/kb-N/site (e.g. from bench_build.py) if it exists",
    )
    ap.add_argument(
        "--reuse-proofer",
        action="store_true",
        help="reuse the plain and htmlproofer builds recorded in WORKDIR by an "
        "earlier run with the same N, seed and broken links (they do not depend on "
        "our code; only ours is timed again)",
    )
    args = ap.parse_args(argv)
    try:
        import htmlproofer  # noqa: F401
    except ImportError:
        print("needs mkdocs-htmlproofer-plugin: pip install mkdocs-htmlproofer-plugin")
        return 2
    work = args.workdir or Path(tempfile.mkdtemp(prefix="finops-bench-links-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"link check benchmark: N={args.n}, workdir {work}, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )

    # 1. Ours on the clean plugin site.
    clean = work / f"kb-{args.n}"
    site = clean / "site"
    if not (args.reuse and (site / "index.html").is_file()):
        kb = synthetic.generate(clean, args.n, args.seed)
        run = run_build(
            "finops-kb plugin (clean)", kb.site_config, site, work / f"links-{args.n}-plugin.log"
        )
        print_runs([run])
        if run.rc:
            print(tail(run.log))
            return 2
    files = sum(len(names) for _, _, names in os.walk(site))
    best, first, found = timed_ours(site, args.repeat)
    pages = len(list(site.rglob("*.html")))
    print(
        f"\nours, broken_links() on the plugin site ({pages} HTML pages, {files} files): "
        f"best {best:.2f} s, first {first:.2f} s, {len(found)} findings"
    )
    for page, href, what in found[:10]:
        print(f"    {what:6} {page} -> {href}")

    # 2. htmlproofer: plain build with it minus plain build without, on the broken copy.
    #    These builds do not involve our code: `--reuse-proofer` takes their recorded figures.
    broken_dir = work / f"kb-{args.n}-broken"
    modes = ["content", "rendered"] if args.proofer_mode == "both" else [args.proofer_mode]
    version = importlib.metadata.version("mkdocs-htmlproofer-plugin")
    key = {"n": args.n, "seed": args.seed, "break_links": args.break_links, "htmlproofer": version}
    logs = {"plain": work / f"links-{args.n}-plain.log"}
    logs |= {mode: work / f"links-{args.n}-proofer-{mode}.log" for mode in modes}
    reused: dict[str, Run | None] = {name: recorded(log, key) for name, log in logs.items()}
    if args.reuse_proofer and all(reused.values()) and (broken_dir / "site-plain").is_dir():
        print("\n(reusing the recorded plain and htmlproofer builds)")
        runs = [r for r in reused.values() if r is not None]
        without, proofer_runs = runs[0], dict(zip(modes, runs[1:], strict=True))
    else:
        kb = synthetic.generate(broken_dir, args.n, args.seed, "plain", args.break_links)
        without = run_build(
            "plain Material", kb.plain_config, broken_dir / "site-plain", logs["plain"]
        )
        record(without, key)
        runs = [without]
        proofer_runs = {}
        for mode in modes:
            cfg = broken_dir / f"htmlproofer-{mode}.yml"
            cfg.write_text(
                synthetic.plain_config(
                    kb.capabilities,
                    "  - htmlproofer:\n      validate_external_urls: false\n"
                    f"      validate_rendered_template: {str(mode == 'rendered').lower()}\n",
                    f"site-proofer-{mode}",
                ),
                "utf-8",
            )
            run = run_build(
                f"plain + htmlproofer ({mode})",
                cfg,
                broken_dir / f"site-proofer-{mode}",
                logs[mode],
            )
            record(run, key)
            runs.append(run)
            proofer_runs[mode] = run
    print(
        f"\nplain builds of the copy with {args.break_links} broken links "
        "(htmlproofer `content` checks each page's Markdown body, `rendered` the whole page):"
    )
    print_runs(runs)
    for run in runs:
        if run.rc:
            print(tail(run.log))
            return 2
    for mode, run in proofer_runs.items():
        print(
            f"htmlproofer ({mode}) adds {run.wall - without.wall:.1f} s wall "
            f"({run.cpu - without.cpu:.1f} s CPU) to the build"
        )
    plain_site = broken_dir / "site-plain"
    ours_plain, _, ours_found = timed_ours(plain_site, args.repeat)
    print(f"ours on the same plain site: best {ours_plain:.2f} s")
    cheapest = min(run.wall - without.wall for run in proofer_runs.values())
    speedup = cheapest / best if best > 0 else float("inf")
    print(
        f"\nspeed: ours {best:.2f} s on the plugin site vs htmlproofer {cheapest:.1f} s "
        f"(its cheaper mode) -> {speedup:.0f}x faster"
    )
    ok_time = best <= BUDGET_SECONDS
    print(
        f"budget: ours <= {BUDGET_SECONDS:.0f} s: {best:.2f} s -> {'OK' if ok_time else 'OVER'}"
        f"; >= {BUDGET_SPEEDUP:.0f}x faster: {speedup:.0f}x -> "
        f"{'OK' if speedup >= BUDGET_SPEEDUP else 'UNDER'}"
    )

    # 3. Findings.
    ours = {(page, href) for page, href, _what in ours_found}
    injected = {
        (html_of(b["page"]), built_href(b["href"], b["kind"] == "link"))
        for b in json.loads((broken_dir / "broken.json").read_text())
    }
    found = {"ours (broken_links)": ours}
    for mode, run in proofer_runs.items():
        log = run.log.read_text("utf-8", "replace")
        found[f"htmlproofer ({mode})"] = {
            (html_of(src), url) for url, _status, src in _PROOFER.findall(log)
        }
    log = without.log.read_text("utf-8", "replace")
    found["MkDocs' own validation (ref.)"] = {
        (html_of(src), built_href(href, bool(missing)))
        for src, href, missing in _MKDOCS.findall(log)
    }
    print(f"\nfindings on the plain site with {len(injected)} links broken on purpose:")
    for label, pairs in found.items():
        print(
            f"  {label:32} {len(pairs):5} found, {len(pairs & injected):3} of the injected, "
            f"{len(pairs - injected):4} others"
        )
    same = True
    for label, pairs in found.items():
        if not label.startswith("htmlproofer"):
            continue
        only_ours, only_theirs = ours - pairs, pairs - ours
        same &= not only_ours and not only_theirs
        print(f"  ours vs {label}: {len(only_ours)} only ours, {len(only_theirs)} only theirs")
        for tag, diff in (("only ours", only_ours), ("only theirs", only_theirs)):
            for page, href in sorted(diff)[:8]:
                print(f"      {tag}: {page} -> {href}")
    for label, pairs in found.items():
        for page, href in sorted(injected - pairs):
            print(f"    injected, missed by {label}: {page} -> {href}")
    print(f"same findings as htmlproofer: {'yes' if same else 'NO'}")
    return 0 if same and ok_time and speedup >= BUDGET_SPEEDUP else 1


if __name__ == "__main__":
    raise SystemExit(main())
