"""Business units and history at scale: time stays linear in units × capabilities × assessments.

    python benchmarks/bench_units.py [--sizes 25x50x8 50x100x8] [--workdir DIR] [--build]

For each size U×C×A: generate a synthetic knowledge base of C capability pages (synthetic.py),
add U business units (a tree: every fifth unit sits under another), each with its own RACI
layer (a changed, an added and a removed row), unit overlays for a tenth of the capabilities,
A dated assessments rating every capability, and one KPI series of A values. Then time, in
process: `check` (load, schema gate, every rule including the unit layers and assessments),
the graph with every unit's effective playbook, and rendering every generated page and every
capability page (unit pages, comparison matrix, heatmaps per unit, trend charts). With
`--build`, also the full `finops-kb build --no-packs`.

Prints seconds per stage and microseconds per unit × capability × assessment: flat when the
work is linear in that product. Budget (issue 12): linear; the bundled example builds in
under 40 s with its packs (`bench_build.py` / `finops-kb build`).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synthetic

from generator.core import graph as graph_stage
from generator.core.check import check
from generator.core.config import load_config
from generator.render import framework_pages, generated_pages
from generator.render.context import render_context

LEVELS = ("crawl", "walk", "run")


def add_units(root: Path, units: int, assessments: int, seed: int = 7) -> None:
    """Units, their layers, assessments and KPI series on top of a synthetic tree."""
    rng = random.Random(seed)
    org = root / "playbooks/organization.yml"
    text = org.read_text("utf-8")
    lines = ["units:"]
    for u in range(units):
        lines += [f"  - id: unit-{u:03d}", f"    name: Unit {u:03d}"]
        if u % 5 == 4:
            lines.append(f"    parent: unit-{u - 1:03d}")
    org.write_text(text.replace("roles:\n", "\n".join(lines) + "\nroles:\n", 1), "utf-8")
    caps = sorted(p.stem for p in (root / "content/capabilities").glob("*.md"))
    acts = _activities(root)
    roles = _roles(root)
    for u in range(units):
        _unit_files(root / f"playbooks/units/unit-{u:03d}", caps, acts, roles, rng, u)
        for a in range(assessments):
            _assessment(root, f"unit-{u:03d}", caps, a, rng)
        _series(root, f"unit-{u:03d}", caps[u % len(caps)], assessments, rng)


def _activities(root: Path) -> list[tuple[str, str]]:
    out, current = [], ""
    for line in (root / "playbooks/raci.yml").read_text("utf-8").splitlines():
        if line.startswith("  - id: "):
            current = line[8:]
        elif line.startswith("    capability: "):
            out.append((current, line[16:]))
    return out


def _roles(root: Path) -> list[str]:
    text = (root / "playbooks/organization.yml").read_text("utf-8").split("roles:\n", 1)[1]
    return [line[8:] for line in text.splitlines() if line.startswith("  - id: ")]


def _unit_files(
    folder: Path,
    caps: list[str],
    acts: list[tuple[str, str]],
    roles: list[str],
    rng: random.Random,
    u: int,
) -> None:
    (folder / "capabilities").mkdir(parents=True)
    # Even rows are changed, odd ones removed: a unit never changes a row its parent removed.
    changed, removed = acts[2 * u % len(acts)], acts[(2 * u + 1) % len(acts)]
    people = rng.sample(roles, 3)
    (folder / "raci.yml").write_text(
        "activities:\n"
        f"  - id: {changed[0]}\n    assignments: {{{people[0]}: A, {people[1]}: R}}\n"
        f"  - id: unit-only-{u:03d}\n    title: Unit activity {u}\n"
        f"    capability: {caps[u % len(caps)]}\n"
        f"    assignments: {{{people[1]}: A, {people[2]}: R}}\n"
        f"remove: [{removed[0]}]\n",
        "utf-8",
    )
    measured = caps[u % len(caps)]  # the unit's KPI series measures this one
    for cap in {*caps[u % 10 :: 10], measured}:
        level = rng.randrange(2)
        kpis = "kpis: [{name: Synthetic KPI, target: 90}]\n" if cap == measured else ""
        (folder / "capabilities" / f"{cap}.md").write_text(
            f"---\nkind: unit-overlay\ncapability: {cap}\n"
            f"maturity: {{current: {LEVELS[level]}, target: {LEVELS[level + 1]}}}\n{kpis}---\n"
            f"Unit {u} runs {cap} its own way.\n",
            "utf-8",
        )


def _assessment(root: Path, unit: str, caps: list[str], a: int, rng: random.Random) -> None:
    folder = root / "playbooks/assessments"
    folder.mkdir(exist_ok=True)
    lines = [
        f"date: {2020 + a // 4}-{3 * (a % 4) + 3:02d}-28",
        f"unit: {unit}",
        "assessor: " + _roles(root)[0],
        "results:",
    ]
    for cap in caps:
        lines += [f"  - capability: {cap}", f"    level: {rng.choice(LEVELS)}"]
    (folder / f"{unit}-{a:02d}.yml").write_text("\n".join(lines) + "\n", "utf-8")


def _series(root: Path, unit: str, cap: str, points: int, rng: random.Random) -> None:
    folder = root / "playbooks/kpis"
    folder.mkdir(exist_ok=True)
    values = "\n".join(
        f"  - {{date: {2020 + p // 4}-{3 * (p % 4) + 3:02d}-28, value: {rng.randrange(50, 100)}}}"
        for p in range(points)
    )
    (folder / f"{unit}.yml").write_text(
        f"capability: {cap}\nkpi: Synthetic KPI\nunit: {unit}\ndirection: up\nvalues:\n{values}\n",
        "utf-8",
    )


def timed(label: str, fn, results: dict[str, float]):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def measure(root: Path, build: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    config = load_config(root / "site_config.yml")
    result = timed("check", lambda: check(config), out)
    serious = [d for d in result.diagnostics if d.severity == "error"]
    assert not serious, "\n".join(d.format() for d in serious[:5])
    g = timed(
        "graph + playbooks", lambda: graph_stage.build(result.repo, "content", "playbooks"), out
    )
    ctx = render_context(g)
    pages = timed("generated pages", lambda: generated_pages.generate(ctx, config), out)
    caps = list(g.capabilities.values())
    timed("capability pages", lambda: [framework_pages.render_parts(ctx, d) for d in caps], out)
    out["pages"] = len(pages) + len(caps)
    if build:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [
            sys.executable,
            "-m",
            "generator",
            "-f",
            str(root / "site_config.yml"),
            "build",
            "--no-packs",
        ]
        timed(
            "finops-kb build",
            lambda: subprocess.run(cmd, env=env, capture_output=True, check=True),
            out,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["25x50x8", "50x100x8"])
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--build", action="store_true", help="also time a full site build")
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-units-"))
    print(f"{'U×C×A':>10} {'product':>8} {'stage':>18} {'seconds':>8} {'µs/product':>11}")
    for size in args.sizes:
        units, caps, assessments = (int(x) for x in size.split("x"))
        root = work / f"kb-{size}"
        synthetic.generate(root, caps, variant="plugin")
        add_units(root, units, assessments)
        product = units * caps * assessments
        for stage, seconds in measure(root, args.build).items():
            if stage == "pages":
                continue
            per = 1e6 * seconds / product
            print(f"{size:>10} {product:>8} {stage:>18} {seconds:8.2f} {per:11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
