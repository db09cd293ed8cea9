"""Worst cases of `check`, one line each: seconds for inputs built to make a stage slow.

    python benchmarks/bench_worst.py [--files 5000] [--workdir DIR]

Each case copies the small test knowledge base (tests/cases/base), adds one hostile input and
times `generator.core.check.check` in-process. Every case must end in well under its budget with the
diagnostics it names (a limit that is reported) or none (work that is simply linear):

- 20,000 identical headings on one page (Python-Markdown's `unique()` is quadratic in them);
- an alias bomb ("billion laughs", 10^9 values) and a merge-key bomb in front matter;
- YAML nested 100,000 levels deep (crashes libyaml's composer when it is not refused first);
- a 10 MB page (over the size limit), a page and a RACI matrix just under the 2 MiB limit;
- a paragraph of 20,000 lines with a broken link on each, and 20,000 invalid RACI entries;
- a knowledge base of about `--files` files (the synthetic one of benchmarks/synthetic.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import synthetic

from generator.core.check import check
from generator.core.config import Config, load_config
from generator.core.files import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "cases" / "base"
TODAY = dt.date(2026, 7, 1)
PAGE = "---\nkind: page\ntitle: Worst case\n---\n"


def _page(root: Path, name: str, text: str) -> None:
    (root / "content" / name).write_text(text, "utf-8")


def headings(root: Path) -> None:
    _page(root, "headings.md", PAGE + "## Same\n\nText.\n\n" * 20_000)


def alias_bomb(root: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    _page(root, "bomb.md", "---\nkind: page\ntitle: Bomb\n" + "\n".join(lines) + "\n---\n")


def merge_bomb(root: Path) -> None:
    lines = ["m0: &m0 {k: v}"]
    lines += [
        f"m{i}: &m{i} {{<<: [*m{i - 1}], a: [*m{i - 1}, *m{i - 1}, *m{i - 1}]}}"
        for i in range(1, 40)
    ]
    _page(root, "merge.md", "---\nkind: page\ntitle: Merge\n" + "\n".join(lines) + "\n---\n")


def deep(root: Path) -> None:
    _page(root, "deep.md", "---\nkind: page\ntitle: " + "[" * 100_000 + "\n---\n")


def huge(root: Path) -> None:
    _page(root, "huge.md", PAGE + ("Some words of text, and more. " * 35 + "\n") * 10_000)


def under_limit(root: Path) -> None:
    paragraph = "Some words with a [link](capabilities/alpha.md#definition) in them.\n\n"
    count = (MAX_FILE_BYTES - 200) // len(paragraph)
    _page(root, "big.md", PAGE + "## Part\n\n" + paragraph * count)


def link_paragraph(root: Path) -> None:
    """One paragraph of 20,000 lines, each with a broken link (line numbers were quadratic)."""
    _page(root, "links.md", PAGE + "".join(f"see [x](gone-{i}.md)\n" for i in range(20_000)))


def broken_keys(root: Path) -> None:
    """raci.yml with an activity line repeated 20,000 times: 20,000 invalid entries."""
    path = root / "playbooks/raci.yml"
    lines = path.read_text("utf-8").split("\n")
    lines[1:1] = [lines[1]] * 20_000
    path.write_text("\n".join(lines), "utf-8")


def big_raci(root: Path) -> None:
    """A RACI matrix just under the size limit."""
    entry = (
        "  - id: act-{i}\n    title: Activity {i}\n    capability: alpha\n"
        "    assignments:\n      lead: A\n      engineer: R\n"
    )
    count = (MAX_FILE_BYTES - 100) // len(entry.format(i=99999))
    text = "activities:\n" + "".join(entry.format(i=i) for i in range(count))
    (root / "playbooks/raci.yml").write_text(text, "utf-8")


CASES: dict[str, tuple[Callable[[Path], None], float, list[str]]] = {
    "20,000 identical headings": (headings, 2.0, []),
    "alias bomb (10^9 values)": (alias_bomb, 1.0, ["yaml-alias"]),
    "merge-key bomb": (merge_bomb, 1.0, ["yaml-alias"]),
    "YAML nested 100,000 deep": (deep, 1.0, ["yaml-syntax"]),
    "10 MB page": (huge, 1.0, ["file-too-large"]),
    "page just under 2 MiB": (under_limit, 3.0, []),
    "raci.yml just under 2 MiB": (big_raci, 5.0, []),
    "20,000 links in a paragraph": (link_paragraph, 3.0, ["broken-link"]),
    "20,000 invalid RACI entries": (broken_keys, 2.0, ["missing-key", "too-many-problems"]),
}


def _time(root: Path, config: Config) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = check(config)
    seconds = time.perf_counter() - start
    return seconds, sorted({d.code for d in result.diagnostics})


def run_case(work: Path, name: str) -> tuple[float, float, bool, list[str]]:
    make, budget, expected = CASES[name]
    root = work / name.replace(" ", "-").replace(",", "").replace("^", "")
    shutil.copytree(BASE, root)
    make(root)
    seconds, codes = _time(root, Config(root, today=TODAY))
    return seconds, budget, codes == expected, codes


def many_files(work: Path, files: int) -> tuple[float, int]:
    n = max(1, int(files / 1.5))  # the synthetic knowledge base has ~1.5 files per capability
    kb = synthetic.generate(work / "many", n, variant="plugin")
    config = load_config(kb.site_config)
    config.today = dt.date.fromisoformat(synthetic.TODAY)
    start = time.perf_counter()
    result = check(config)
    return time.perf_counter() - start, len(result.repo.files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="finops-bench-worst-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"worst cases of check; load average {os.getloadavg()[0]:.2f}; workdir {work}")
    failed = False
    for name in CASES:
        seconds, budget, right, codes = run_case(work, name)
        ok = right and seconds <= budget
        failed |= not ok
        shown = ", ".join(codes) or "no diagnostics"
        verdict = "OK" if ok else "FAIL"
        print(f"  {name:<28} {seconds:7.2f} s  (budget {budget:.0f} s, {shown})  {verdict}")
    seconds, count = many_files(work, args.files)
    budget = 2.0 * count / 3000  # the budget of bench_check.py, scaled linearly
    ok = seconds <= budget
    failed |= not ok
    what, verdict = f"{count:,} files", "OK" if ok else "FAIL"
    print(f"  {what:<28} {seconds:7.2f} s  (budget {budget:.1f} s)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
