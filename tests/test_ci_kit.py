"""The CI kit (ci/ and .pre-commit-hooks.yaml): each template is parsed, its structure held, and
every `finops-kb` command in it run by bash against a copy of the minimal knowledge base, clean
and broken, with the exit status and the files the rest of the template relies on.

`pre-commit try-repo` is not run: it installs finops-kb with its dependencies into a fresh
environment, about 16 s here. The manifest's keys are checked against pre-commit's manifest
schema instead, and its entry is run as pre-commit would run it."""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
KIT = ROOT / "ci"
# The WeasyPrint libraries that scripts/build installs: the templates install the same.
PDF_DEBS = re.search(r"^PDF_DEBS=\((.*)\)$", (ROOT / "scripts/venv.sh").read_text(), re.M)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _kb(root: Path, broken: bool = False) -> Path:
    """The base copy, reviewed today (so the result does not depend on the date), optionally
    with a broken link (an error) in a capability."""
    for page in (root / "content").rglob("*.md"):
        page.write_text(page.read_text("utf-8").replace("2026-06-01", dt.date.today().isoformat()))
    for page in (root / "playbooks").rglob("*.md"):
        page.write_text(page.read_text("utf-8").replace("2026-06-01", dt.date.today().isoformat()))
    if broken:
        page = root / "content/capabilities/alpha.md"
        page.write_text(page.read_text("utf-8") + "\nSee [the missing page](gone.md).\n")
    return root


@pytest.fixture
def shim(tmp_path: Path) -> Path:
    """A `finops-kb` on PATH that is this interpreter's package, as `pip install` would make."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "finops-kb"
    script.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m generator "$@"\n')
    script.chmod(0o755)
    return folder


def _run(line: str, cwd: Path, shim: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One script line as CI runs it: bash with -e and pipefail, in the repository."""
    full = {**os.environ, **env, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _commands(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("finops-kb ")]


# --- GitHub Actions ---------------------------------------------------------------------------


def _workflow() -> dict[str, Any]:
    return _yaml(KIT / "github-workflow.yml")


def _steps_run(job: dict[str, Any]) -> list[str]:
    return [line.strip() for s in job["steps"] if "run" in s for line in s["run"].splitlines()]


def test_github_workflow_structure() -> None:
    wf = _workflow()
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert set(jobs) == {"check", "build", "code-scanning"}
    assert jobs["build"]["needs"] == "check"
    for job in jobs.values():
        uses = [s["uses"] for s in job["steps"] if "uses" in s]
        assert uses[:2] == ["actions/checkout@v6", "actions/setup-python@v6"]
        assert all(re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", u) for u in uses), uses  # major pins
        python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-py"))
        assert python["with"]["python-version"] == "3.11"
        assert "pip install -c constraints.txt -e ." in _steps_run(job)
    check = _commands(_steps_run(jobs["check"]))
    assert check == ['finops-kb check --strict --format github --summary "$GITHUB_STEP_SUMMARY"']
    build = jobs["build"]
    apt = next(line for line in _steps_run(build) if "apt-get install" in line)
    assert PDF_DEBS is not None and apt.endswith(PDF_DEBS.group(1))
    uploads = {
        s["with"]["name"]: s["with"]["path"]
        for s in build["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"site": "site/", "packs": "site/packs/*.pdf"}
    scanning = jobs["code-scanning"]
    assert scanning["permissions"]["security-events"] == "write"
    assert "vars.FINOPS_KB_CODE_SCANNING" in scanning["if"]
    upload = next(s for s in scanning["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert f"--output {upload['with']['sarif_file']}" in _commands(_steps_run(scanning))[0]


def test_github_workflow_commands_run(base_repo: Path, shim: Path, tmp_path: Path) -> None:
    wf, summary = _workflow(), tmp_path / "step_summary.md"
    env = {**wf["env"], "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    jobs = wf["jobs"]
    [check] = _commands(_steps_run(jobs["check"]))
    [build] = _commands(_steps_run(jobs["build"]))
    [sarif] = _commands(_steps_run(jobs["code-scanning"]))
    upload = next(s for s in jobs["code-scanning"]["steps"] if "upload-sarif" in s.get("uses", ""))
    sarif_file = upload["with"]["sarif_file"]
    clean = _kb(base_repo)

    done = _run(check, clean, shim, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "### finops-kb check: 0 errors, 0 warnings" in summary.read_text()
    assert summary.read_text().count("### finops-kb check") == 1  # --summary: written once
    done = _run(sarif, clean, shim, env)
    assert done.returncode == 0, done.stderr
    assert json.loads((clean / sarif_file).read_text())["runs"][0]["results"] == []

    done = _run(build, clean, shim, env)
    assert done.returncode == 0, done.stderr
    assert (clean / "site/index.html").is_file()
    assert glob.glob(str(clean / "site/packs/*.pdf"))  # the `packs` artifact is not empty

    _kb(clean, broken=True)
    done = _run(check, clean, shim, env)
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=content/capabilities/alpha.md,line=")
    assert "| content/capabilities/alpha\\.md |" in summary.read_text()
    done = _run(sarif, clean, shim, env)
    assert done.returncode == 0, done.stderr  # problems go into the report, not the status
    results = json.loads((clean / sarif_file).read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["broken-link"]
    (clean / "site_config.yml").write_text("site_name: [unclosed\n")
    done = _run(sarif, clean, shim, env)  # a bad config (exit 2) still fails the step
    assert done.returncode != 0 and done.stderr.startswith("finops-kb: error: site_config.yml:")


# --- GitLab CI --------------------------------------------------------------------------------


def _gitlab() -> dict[str, Any]:
    return _yaml(KIT / "gitlab-ci.yml")


def test_gitlab_template_structure() -> None:
    ci = _gitlab()
    assert ci["stages"] == ["check", "build", "deploy"]
    base = ci[".finops-kb"]
    assert base["image"].startswith("python:3.11")
    assert base["before_script"] == ["pip install -c constraints.txt -e ."]
    check, build, pages = ci["finops-kb:check"], ci["finops-kb:build"], ci["pages"]
    assert check["extends"] == build["extends"] == ".finops-kb"
    report = check["artifacts"]["reports"]["codequality"]
    assert check["artifacts"]["when"] == "always"
    first, second = check["script"]
    assert f"--format codequality --output {report} || test $? -eq 1" in first
    assert second == "finops-kb check --strict"
    apt = next(line for line in build["before_script"] if "apt-get install" in line)
    assert PDF_DEBS is not None and apt.endswith(PDF_DEBS.group(1))
    assert build["before_script"][-1] == base["before_script"][0]
    assert build["script"] == ["finops-kb build --strict --site-dir public"]
    assert build["artifacts"]["paths"] == pages["artifacts"]["paths"] == ["public/"]
    assert pages["needs"] == ["finops-kb:build"] and pages["stage"] == "deploy"
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_gitlab_template_commands_run(base_repo: Path, shim: Path) -> None:
    ci = _gitlab()
    env = {k: str(v) for k, v in ci["variables"].items() if k != "PIP_CACHE_DIR"}
    check, build = ci["finops-kb:check"], ci["finops-kb:build"]
    report = base_repo / check["artifacts"]["reports"]["codequality"]
    clean = _kb(base_repo)
    for line in check["script"]:
        done = _run(line, clean, shim, env)
        assert done.returncode == 0, (line, done.stderr)
    assert json.loads(report.read_text()) == []
    for line in build["script"] + ci["pages"]["script"]:
        done = _run(line, clean, shim, env)
        assert done.returncode == 0, (line, done.stderr)
    assert glob.glob(str(clean / "public/packs/*.pdf"))

    _kb(clean, broken=True)
    first, second = check["script"]
    assert _run(first, clean, shim, env).returncode == 0
    issues = json.loads(report.read_text())
    assert [(i["check_name"], i["severity"]) for i in issues] == [("broken-link", "major")]
    assert issues[0]["location"]["path"] == "content/capabilities/alpha.md"
    done = _run(second, clean, shim, env)
    assert done.returncode == 1 and "error broken-link" in done.stdout  # the job log lists it


# --- pre-commit -------------------------------------------------------------------------------

# The keys pre-commit's manifest schema knows (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
HOOK_KEYS = {
    "id", "name", "entry", "language", "alias", "files", "exclude", "types", "types_or",
    "exclude_types", "additional_dependencies", "args", "always_run", "fail_fast",
    "pass_filenames", "description", "language_version", "log_file", "require_serial",
    "stages", "verbose", "minimum_pre_commit_version",
}  # fmt: skip
HOOK_REQUIRED = {"id", "name", "entry", "language"}
WATCHED = ["content/capabilities/alpha.md", "playbooks/raci.yml", "site_config.yml"]
IGNORED = ["theme/assets/finops-kb.css", "README.md", "generator/cli.py", "site_config.yml.bak"]


def _manifest() -> dict[str, Any]:
    hooks = _yaml(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list) and len(hooks) == 1
    return hooks[0]


def test_pre_commit_manifest() -> None:
    hook = _manifest()
    assert HOOK_REQUIRED <= set(hook) <= HOOK_KEYS
    assert hook["id"] == "finops-kb-check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    # language: python installs this package: the entry must be one of its console scripts.
    scripts = re.search(
        r"\[project\.scripts\]\n(.*?)\n\n", (ROOT / "pyproject.toml").read_text(), re.S
    )
    assert scripts is not None and f"\n{hook['entry'].split()[0]} = " in "\n" + scripts.group(1)
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in WATCHED)
    assert not any(files.search(p) for p in IGNORED)


def test_pre_commit_config_example_matches_the_manifest() -> None:
    config = _yaml(KIT / "pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    assert HOOK_REQUIRED <= set(hook) <= HOOK_KEYS
    manifest = _manifest()
    same = ("id", "name", "entry", "files", "pass_filenames", "require_serial")
    assert {k: hook[k] for k in same} == {k: manifest[k] for k in same}
    assert hook["language"] == "system"  # the finops-kb already installed


@pytest.mark.parametrize("args", [[], ["--strict"]], ids=["default", "strict-args"])
def test_pre_commit_entry_runs_as_pre_commit_runs_it(
    base_repo: Path, shim: Path, args: list[str]
) -> None:
    """pass_filenames: false, so the hook runs `entry` plus `args`, in the repository root."""
    line = shlex.join([*shlex.split(_manifest()["entry"]), *args])
    clean = _kb(base_repo)
    done = _run(line, clean, shim, {})
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stdout
    _kb(clean, broken=True)
    done = _run(line, clean, shim, {})
    assert done.returncode == 1 and "content/capabilities/alpha.md:" in done.stdout
