"""`finops-kb new`: every kind starts a file that passes `check` with only its placeholders to
replace, passes `check --strict` once they are replaced, and what cannot pass is refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from kb import ROOT, one_error_line, tree_files

from generator.cli import main
from generator.core.placeholders import BODY, FRONT

NEW = {
    "capability": ("gamma", "content/capabilities/gamma.md"),
    "overlay": ("beta", "playbooks/capabilities/beta.md"),
    "adoption-phase": ("run", "playbooks/adoption/run.md"),
    "page": ("guides/tagging", "content/guides/tagging.md"),
}
_DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: (?:error|warning) (\S+) ", re.MULTILINE)
REAL = {"One sentence on what this capability achieves.": "Makes spend visible."}
"""What an editor writes in place of each front-matter placeholder (other text: any prose)."""


def _check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    """The exit status of `finops-kb check` and its text report."""
    capsys.readouterr()
    status = main(["-f", str(root / "site_config.yml"), "check", *extra])
    return status, capsys.readouterr().out


def _codes(report: str) -> list[str]:
    """The codes of a text report, one per diagnostic (`path:line:col: severity code ...`)."""
    return _DIAGNOSTIC.findall(report)


def _new(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["-f", str(root / "site_config.yml"), "new", *args]) == 0, capsys.readouterr()
    return capsys.readouterr().out


def _fill(path: Path) -> int:
    """Replace every placeholder in `path` as an editor would; returns how many there were."""
    text, count = path.read_text("utf-8"), 0
    for placeholder in [*BODY, *FRONT.values()]:
        count += text.count(placeholder.text)
        real = REAL.get(placeholder.text, "Real text an editor wrote here")
        text = text.replace(placeholder.text, real)
    path.write_text(text, "utf-8")
    return count


@pytest.mark.parametrize("kind", sorted(NEW))
def test_new_file_passes_check_and_strict_once_its_placeholders_are_replaced(
    base_repo: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    ident, rel = NEW[kind]
    out = _new(base_repo, capsys, kind, ident)
    assert out.startswith(f"created {rel}\n")
    status, report = _check(base_repo, capsys)
    codes = _codes(report)
    assert status == 0 and codes and set(codes) == {"placeholder-text"}, report
    assert _check(base_repo, capsys, "--strict")[0] == 1
    assert _fill(base_repo / rel) == len(codes)  # each placeholder reported once
    status, report = _check(base_repo, capsys, "--strict")
    assert status == 0 and _codes(report) == [], report


def test_new_says_what_it_picked_and_takes_the_editors_choices(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _new(base_repo, capsys, "capability", "gamma")
    assert "picked domain `understand`" in out and "--domain" in out
    assert "picked lead persona `finops-practitioner`" in out
    assert "picked owner `lead`" in _new(base_repo, capsys, "overlay", "beta")
    args = ["capability", "delta", "--domain", "understand", "--persona", "engineering"]
    out = _new(base_repo, capsys, *args, "--owner", "engineer")
    assert "picked" not in out
    text = (base_repo / "content/capabilities/delta.md").read_text("utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["personas"]["lead"] == ["engineering"] and meta["owner"] == "engineer"
    assert "### Engineering\n" in text
    out = _new(base_repo, capsys, "adoption-phase", "run", "--owner", "engineer")
    meta = yaml.safe_load((base_repo / "playbooks/adoption/run.md").read_text().split("---\n")[1])
    assert meta["owner"] == "engineer" and meta["order"] == 2  # after `plan`, order 1
    status, report = _check(base_repo, capsys)
    assert status == 0 and set(_codes(report)) == {"placeholder-text"}, report


@pytest.mark.parametrize(
    "args,message",
    [
        (["overlay", "gama"], "no capability `gama`"),
        (["overlay", "alhpa-x"], "did you mean `alpha`?"),
        (["overlay", "zzz"], "start one with `finops-kb new capability zzz`"),
        (["overlay", "old-alpha"], "former name of `alpha`"),
        (["capability", "alpha"], "already exists"),
        (["capability", "understand"], "already used by content/domains/understand.md"),
        (["capability", "old-alpha"], "former name (alias) of `alpha`"),
        (["adoption-phase", "engineering"], "already used by content/personas/engineering.md"),
        (["adoption-phase", "Plan B"], "not a valid adoption-phase id"),
        (["page", "guides/../x"], "not a valid page path"),
        (["page", "index"], "the site generates the page index.md"),
        (["page", "organization/raci"], "the site generates the page"),
        (["capability", "gamma", "--domain", "understnd"], "did you mean `understand`?"),
        (["capability", "gamma", "--persona", "finance"], "no such persona"),
        (["overlay", "beta", "--owner", "leed"], "did you mean `lead`?"),
        (["overlay", "beta", "--domain", "understand"], "--domain is only for"),
    ],
)
def test_what_cannot_pass_is_refused_in_one_line_and_nothing_is_written(
    base_repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = tree_files(base_repo.parent)
    capsys.readouterr()
    assert main(["-f", str(base_repo / "site_config.yml"), "new", *args]) == 2
    assert message in one_error_line(capsys.readouterr().err)
    assert tree_files(base_repo.parent) == before


def test_an_overlay_or_phase_needs_the_roster_and_one_overlay_per_capability(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(base_repo / "site_config.yml")
    overlay = base_repo / "playbooks/capabilities/alpha.md"
    overlay.rename(overlay.with_name("alpha-here.md"))  # the overlay of `alpha`, named otherwise
    assert main(["-f", cfg, "new", "overlay", "alpha"]) == 2
    assert "already has an overlay: playbooks/capabilities/alpha-here.md" in one_error_line(
        capsys.readouterr().err
    )
    (base_repo / "playbooks/organization.yml").unlink()
    before = tree_files(base_repo)
    for kind, ident in (("overlay", "beta"), ("adoption-phase", "run")):
        assert main(["-f", cfg, "new", kind, ident]) == 2
        assert "no role in playbooks/organization.yml" in one_error_line(capsys.readouterr().err)
    assert tree_files(base_repo) == before


def _bundled_copy(dest: Path) -> Path:
    for name in ("content", "playbooks", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "site_config.yml", dest / "site_config.yml")
    return dest


def test_every_kind_in_a_copy_of_the_bundled_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _bundled_copy(tmp_path / "kb")
    assert _check(root, capsys)[0] == 0
    capabilities = {p.stem for p in (root / "content/capabilities").glob("*.md")}
    overlaid = {p.stem for p in (root / "playbooks/capabilities").glob("*.md")}
    bare = sorted(capabilities - overlaid)[0]  # a capability without an overlay yet
    made = {
        "capability": ("carbon-accounting", "content/capabilities/carbon-accounting.md"),
        "overlay": (bare, f"playbooks/capabilities/{bare}.md"),
        "adoption-phase": ("scale", "playbooks/adoption/scale.md"),
        "page": ("guides/tagging-policy", "content/guides/tagging-policy.md"),
    }
    for kind, (ident, _rel) in made.items():
        _new(root, capsys, kind, ident)
    status, report = _check(root, capsys)
    assert status == 0 and set(_codes(report)) == {"placeholder-text"}, report
    for _ident, rel in made.values():
        _fill(root / rel)
    status, report = _check(root, capsys, "--strict")
    assert status == 0 and _codes(report) == [], report


def test_a_persona_title_with_markdown_in_it_is_named_by_its_id(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persona = base_repo / "content/personas/engineering.md"
    persona.write_text(persona.read_text().replace("title: Engineering", "title: Dev_Ops *Eng*"))
    _new(base_repo, capsys, "capability", "gamma", "--persona", "engineering")
    assert "### engineering\n" in (base_repo / "content/capabilities/gamma.md").read_text()
    status, report = _check(base_repo, capsys)
    assert status == 0 and set(_codes(report)) == {"placeholder-text"}, report
