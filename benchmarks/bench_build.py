"""Time a full site build with the finops-kb plugin against plain Material on the same pages.

    python benchmarks/bench_build.py [--n 2000] [--repeat 1] [--workdir DIR] [--reuse]

Three builds of one synthetic knowledge base (benchmarks/synthetic.py), each with Material,
`navigation.prune`, `font: false`, the same Markdown extensions, navigation and `search`:

- the plugin build: `content/` and `playbooks/` with `finops-kb`, which checks the repository,
  merges the overlays, generates the organization pages and link-checks the site;
- plain Material on the same pages: the pages the plugin build outputs, written out as
  Markdown files (merged capability pages, generated pages, their generated parts inlined as
  raw HTML), built without the plugin. The budget is set against this one;
- plain Material on the source pages only: a copy of `content/`, without the overlays, RACI
  rows, related lists and generated pages. This shows what the extra content costs.

Each build is `python -m mkdocs build` in its own subprocess; wall time, CPU time and peak RSS
come from `os.wait4` of that process (child processes included). With `--repeat` > 1 the order
alternates and the best wall time of each is kept. Afterwards the plugin's own stages are timed
in-process, to show where its time goes.

Budget (DESIGN.md §7): plugin build <= 1.15 x plain Material on the same pages, in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import synthetic
import yaml
from synthetic import TODAY, _theme

from generator.core import graph
from generator.core.check import check
from generator.core.config import load_config
from generator.render import framework_pages as pages
from generator.render import generated_pages as views
from generator.render import nav
from generator.render.context import render_context

BUDGET_RATIO = 1.15
SAME = "plain Material, same pages"
SOURCE = "plain Material, source pages"


@dataclass
class Run:
    label: str
    wall: float
    cpu: float
    rss_mib: float
    rc: int
    warnings: int
    errors: int
    html: int
    mib: float
    log: Path


def _tree(site: Path) -> tuple[int, float]:
    html = size = 0
    for folder, _dirs, names in os.walk(site):
        for name in names:
            html += name.endswith(".html")
            size += os.path.getsize(os.path.join(folder, name))
    return html, size / 2**20


def run_build(label: str, config: Path, site: Path, log: Path) -> Run:
    """`mkdocs build` of `config` into `site` in a subprocess; wall, CPU and peak RSS."""
    shutil.rmtree(site, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=config.parent
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text("utf-8", "replace")
    html, mib = _tree(site) if site.is_dir() else (0, 0.0)
    return Run(
        label,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        proc.returncode,
        len(re.findall(r"^WARNING", text, re.M)),
        len(re.findall(r"^ERROR", text, re.M)),
        html,
        mib,
        log,
    )


def record(run: Run, key: dict[str, object]) -> None:
    """Keep a build's figures beside its log, for `--reuse-proofer` in bench_linkcheck.py."""
    data = {**asdict(run), "log": str(run.log), "key": key}
    run.log.with_suffix(".json").write_text(json.dumps(data, indent=1), "utf-8")


def recorded(log: Path, key: dict[str, object]) -> Run | None:
    """The figures `record` kept for `log`, if they were taken with the same `key`."""
    path = log.with_suffix(".json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    if data.pop("key", None) != key:
        return None
    data["log"] = Path(data["log"])
    return Run(**data)


def print_runs(runs: list[Run]) -> None:
    print(
        f"  {'build':32} {'wall s':>7} {'cpu s':>7} {'peak RSS':>9} {'html':>6} {'site MiB':>8} "
        f"{'warn':>5} {'err':>4} {'exit':>4}"
    )
    for r in runs:
        print(
            f"  {r.label:32} {r.wall:7.1f} {r.cpu:7.1f} {r.rss_mib:6.0f} MiB {r.html:6} "
            f"{r.mib:8.1f} {r.warnings:5} {r.errors:4} {r.rc:4}"
        )


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])


def plugin_stages(kb: synthetic.KB, site: Path | None) -> None:
    """The plugin's own work, stage by stage, in this process (what the plain build lacks)."""
    from generator.core import graph
    from generator.core.check import check
    from generator.core.config import load_config
    from generator.plugin.site_links import check_site
    from generator.render import framework_pages as pages
    from generator.render import generated_pages as views
    from generator.render import nav

    config = load_config(kb.site_config)
    config.today = dt.date.fromisoformat(synthetic.TODAY)
    rows: list[tuple[str, float]] = []

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = fn()
        rows.append((name, time.perf_counter() - start))
        return result

    result = timed("on_config: check (load + rules)", lambda: check(config))
    g = timed(
        "on_config: graph.build",
        lambda: graph.build(result.repo, config.content_dir, config.playbooks_dir),
    )
    site_data = render_context(g, False)
    generated = timed("on_files: views.generate", lambda: views.generate(site_data, config))
    timed("on_files: views.redirects", lambda: views.redirects(site_data))
    timed("on_files: nav.build", lambda: nav.build(g, site_data.org_name, list(generated), False))
    docs = [d for d in result.repo.documents if d.path.startswith(config.content_dir + "/")]
    rendered = timed(
        "on_page_markdown: pages.render_parts (all)",
        lambda: [pages.render_parts(site_data, d)[0] for d in docs],
    )
    if site is not None and site.is_dir():
        timed("on_post_build: site_links.check_site", lambda: check_site(site, g, config, False))
    total = sum(t for _, t in rows)
    print("\nplugin stages in-process (one run each; the build also renders the extra Markdown):")
    for name, t in rows:
        print(f"  {name:42} {t:7.2f} s {t / total:6.1%}")
    print(f"  {'total':42} {total:7.2f} s")
    source = sum(len(d.body) for d in docs)
    merged = sum(len(m) for m in rendered)
    extra = sum(len(p.markdown) for p in generated.values())
    print(
        f"  Markdown handed to MkDocs: content pages {merged / 2**20:.1f} MiB (source bodies "
        f"{source / 2**20:.1f} MiB), {len(generated)} generated pages {extra / 2**20:.1f} MiB"
    )
    biggest = sorted(generated.items(), key=lambda kv: -len(kv[1].markdown))[:5]
    print(
        "  largest generated pages: "
        + ", ".join(f"{path} {len(p.markdown) / 1024:.0f} KiB" for path, p in biggest)
    )


def export(root: Path) -> None:
    """Write the pages the plugin outputs (generated parts inlined as raw HTML) and its nav as a
    plain MkDocs project in `root/same`, configured by `root/same_config.yml`."""
    config = load_config(root / "site_config.yml")
    config.today = dt.date.fromisoformat(TODAY)
    result = check(config)
    g = graph.build(result.repo, config.content_dir, config.playbooks_dir)
    site = render_context(g)
    out = root / "same"
    written = {}
    for doc in result.repo.documents:
        if doc.path.startswith(config.content_dir + "/"):
            written[g.docs_path[doc.path]] = (
                f"---\ntitle: {json_str(doc.title)}\n---\n" + pages.render(site, doc)
            )
    generated = views.generate(site, config)
    written.update(
        {p: v.parts.fill(v.markdown) if v.parts else v.markdown for p, v in generated.items()}
    )
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="default: a temporary folder")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="reuse an existing WORKDIR/kb-N instead of generating it again",
    )
    ap.add_argument("--no-stages", action="store_true", help="skip the in-process stage timing")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="finops-bench-build-"))
    out = work / f"kb-{args.n}"
    if args.reuse and (out / "site_config.yml").is_file():
        kb = synthetic.KB(out, args.n)
    else:
        kb = synthetic.generate(out, args.n, args.seed)
    print(
        f"build benchmark: N={args.n} capability pages, workdir {out}, "
        f"load average {os.getloadavg()[0]:.2f} at start, {os.cpu_count()} CPUs"
    )
    export(out)
    builds = [
        ("finops-kb plugin", kb.site_config, out / "site"),
        (SAME, out / "same_config.yml", out / "site-same"),
        (SOURCE, kb.plain_config, out / "site-plain"),
    ]
    best: dict[str, Run] = {}
    runs = []
    for r in range(args.repeat):
        for label, config, site in builds if r % 2 == 0 else builds[::-1]:
            log = work / f"build-{args.n}-{label.split()[0]}-{len(runs) % len(builds)}.log"
            run = run_build(label, config, site, log)
            runs.append(run)
            if run.rc != 0:
                print(f"{label} build failed (exit {run.rc}); end of {run.log}:\n{tail(run.log)}")
                return 2
            if label not in best or run.wall < best[label].wall:
                best[label] = run
    print_runs(runs)
    plug, same, source = best["finops-kb plugin"], best[SAME], best[SOURCE]
    ratio = plug.wall / same.wall
    print(
        f"\nplugin / plain Material on the same pages: wall {ratio:.2f}x, "
        f"CPU {plug.cpu / same.cpu:.2f}x, peak RSS {plug.rss_mib / same.rss_mib:.2f}x"
    )
    print(
        f"plugin / plain Material on the source pages only: wall {plug.wall / source.wall:.2f}x,"
        f" CPU {plug.cpu / source.cpu:.2f}x (the plugin build also renders the overlays, RACI "
        f"rows, related lists and {plug.html - source.html} more HTML files)"
    )
    verdict = "OK" if ratio <= BUDGET_RATIO else "OVER BUDGET"
    print(f"budget: same pages ratio <= {BUDGET_RATIO}: {ratio:.2f} -> {verdict}")
    if plug.warnings or plug.errors:
        print(
            f"note: the plugin build logged {plug.warnings} warnings and {plug.errors} errors "
            f"(see {plug.log})"
        )
    if not args.no_stages:
        plugin_stages(kb, out / "site")
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
