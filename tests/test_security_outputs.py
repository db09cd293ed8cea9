"""Output folders are ours alone: no setting makes a build delete sources, the checkout or a
folder it did not make; the swap always leaves a site; builds into one folder take turns."""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from kb import copy_base

from generator.cli import main
from generator.core import outputs, publish
from generator.core.config import ConfigError

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository for the refusals, which must leave it exactly as it was."""
    root = copy_base(tmp_path_factory.mktemp("guard") / "kb")
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (root / "notes").mkdir()
    (root / "notes/todo.txt").write_text("mine\n")
    (root / "elsewhere").mkdir()
    (root / "link").symlink_to(root / "elsewhere")
    return root


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` with its bytes (or link target), to prove nothing changed."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            found[rel] = os.readlink(path)
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir"
    return found


# --- refusals ------------------------------------------------------------------------------

REFUSED = [
    (".", "is the repository root"),
    ("..", "contains the repository"),
    (".git", "is .git"),
    (".git/site", "is inside .git"),
    ("content", "is the content folder (content_dir)"),
    ("content/new", "is inside the content folder (content_dir)"),
    ("playbooks", "is the playbooks folder (playbooks_dir)"),
    ("theme", "is the theme folder (theme.custom_dir)"),
    ("site_config.yml", "is a file, not a folder"),
    ("notes", "has files but no .finops-kb-output file"),
    ("link", "is a symbolic link"),
]


@pytest.mark.parametrize(("site_dir", "expected"), REFUSED)
def test_build_refuses_output_folder(
    repo: Path, site_dir: str, expected: str, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(repo)
    before = _tree(repo.parent)
    code = main(["-f", "site_config.yml", "build", "--no-packs", "--site-dir", site_dir])
    err = capsys.readouterr().err
    assert code == 2
    assert f"finops-kb: error: `--site-dir {site_dir}`: " in err
    assert expected in err
    assert len(err.strip().splitlines()) == 1, err  # one clear line, no traceback
    assert _tree(repo.parent) == before


def test_site_dir_in_the_config_is_refused_at_its_line(base_repo: Path, capsys) -> None:
    cfg = base_repo / "site_config.yml"
    cfg.write_text(
        cfg.read_text().replace("use_directory_urls", "site_dir: playbooks\nuse_directory_urls")
    )
    line = cfg.read_text().splitlines().index("site_dir: playbooks") + 1
    before = _tree(base_repo)
    assert main(["-f", str(cfg), "build", "--no-packs"]) == 2
    err = capsys.readouterr().err
    assert f"`site_dir: playbooks` (site_config.yml:{line}): " in err
    assert "is the playbooks folder (playbooks_dir)" in err
    assert _tree(base_repo) == before


@pytest.mark.allow_warnings
def test_plain_mkdocs_build_refuses_a_source_folder(base_repo: Path, caplog, capsys) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    cfg = base_repo / "site_config.yml"
    cfg.write_text(cfg.read_text() + "site_dir: playbooks\n")
    before = _tree(base_repo)
    with pytest.raises(Abort):
        build(load_config(str(cfg)))
    logged = caplog.text + capsys.readouterr().err  # where it goes depends on earlier tests
    assert "`site_dir: playbooks` (site_config.yml:" in logged
    assert "is the playbooks folder (playbooks_dir)" in logged
    assert _tree(base_repo) == before


@pytest.mark.parametrize(
    ("out", "expected"),
    [("content", "is the content folder (content_dir)"), ("notes", "has files but no")],
)
def test_pack_out_is_guarded(repo: Path, out: str, expected: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    before = _tree(repo)
    assert main(["-f", "site_config.yml", "pack", "--out", out]) == 2
    err = capsys.readouterr().err
    assert f"`pack --out {out}`: " in err and expected in err
    assert _tree(repo) == before


def test_guard_allows_a_new_an_empty_or_a_marked_folder(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "kb")
    where = outputs.rules(root, "content", "playbooks", "content", "theme")
    (root / "empty").mkdir()
    outputs.mark(root / "ours")
    (root / "ours/index.html").write_text("old site")
    for name in ("site", "empty", "ours", "../beside"):
        assert outputs.guard(root / name, "x", where) == (root / name).resolve()
    with pytest.raises(ConfigError, match="is the docs folder"):
        outputs.guard(root / "docs", "x", outputs.rules(root, "content", "playbooks", "docs"))
    with pytest.raises(ConfigError, match="contains the content folder"):
        outputs.guard(root / "src", "x", outputs.rules(root, "src/content", "playbooks"))


def test_messages_name_the_setting_that_chose_the_folder(tmp_path: Path) -> None:
    cfg = tmp_path / "site_config.yml"
    cfg.write_text("site_name: x\nsite_dir: out\n")
    assert outputs.config_setting(cfg, "site_dir", tmp_path / "out") == (
        "`site_dir: out` (site_config.yml:2)"
    )
    assert outputs.config_setting(cfg, "site_dir", tmp_path / "content") == (
        "`site_dir` `content` (given on the command line)"  # mkdocs build -d content
    )
    cfg.write_text("site_name: x\nsite_dir: !ENV [OUT, out]\n")
    assert outputs.config_setting(cfg, "site_dir", tmp_path / "out") == (
        "`site_dir` (site_config.yml:2)"
    )
    cfg.write_text("site_name: x\n")
    assert outputs.config_setting(cfg, "site_dir", tmp_path / "site") == (
        "`site_dir` (not set, so `site`) of site_config.yml"
    )


def test_links_planted_in_an_output_folder_are_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("secret")
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / outputs.MARKER).symlink_to(victim)
    outputs.mark(packs)
    assert not (packs / outputs.MARKER).is_symlink()
    (packs / "engineering.html").symlink_to(victim)
    outputs.make_room(packs, ["engineering.html", "engineering.pdf"])
    assert not (packs / "engineering.html").exists()
    assert victim.read_text() == "secret"


def test_a_planted_lock_link_is_refused(base_repo: Path, capsys) -> None:
    victim = base_repo.parent / "victim.txt"
    victim.write_text("secret")
    (base_repo / ".site.lock").symlink_to(victim)
    assert main(["-f", str(base_repo / "site_config.yml"), "build", "--no-packs"]) == 2
    assert "cannot lock" in capsys.readouterr().err
    assert victim.read_text() == "secret" and not (base_repo / "site").exists()


def test_outputs_imports_nothing_from_mkdocs() -> None:
    code = (
        "import sys, generator.core.outputs; "
        "print(any(m.startswith('mkdocs') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert out.stdout.strip() == "False", out.stderr


# --- the swap ------------------------------------------------------------------------------


def _old_site(folder: Path) -> None:
    outputs.mark(folder)
    (folder / "old.html").write_text("old")


@pytest.mark.parametrize("one_step", [True, False])
def test_swap_replaces_the_site_and_leaves_nothing(tmp_path: Path, one_step, monkeypatch) -> None:
    if not one_step:
        monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    target = tmp_path / "site"
    _old_site(target)
    new = publish.new_folder(target)
    (new / "new.html").write_text("new")
    publish.swap(new, target)
    assert (target / "new.html").is_file() and not (target / "old.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_second_rename_puts_the_old_site_back(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    target = tmp_path / "site"
    _old_site(target)
    new = publish.new_folder(target)
    monkeypatch.setattr(publish, "between_renames", lambda: shutil.rmtree(new))
    with pytest.raises(ConfigError, match="cannot put the new site in place"):
        publish.swap(new, target)
    assert (target / "old.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


KILL_BETWEEN_RENAMES = """
import os, signal, sys
from generator import cli
from generator.core import publish
publish.exchange = lambda a, b: False  # the two-rename path, as on systems without renameat2
publish.between_renames = lambda: os.kill(os.getpid(), signal.SIGKILL)
sys.exit(cli.main(["-f", "site_config.yml", "build", "--no-packs"]))
"""


def test_kill_between_the_renames_then_the_next_build_restores(base_repo: Path) -> None:
    site = base_repo / "site"
    _old_site(site)
    proc = subprocess.run(
        [sys.executable, "-c", KILL_BETWEEN_RENAMES], cwd=base_repo, env=ENV, capture_output=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    # killed at the exact moment: the old site renamed aside, the new one not yet in place
    assert not site.exists()
    (backup,) = publish.backups(site)
    assert (backup / "old.html").is_file()
    assert len(publish.building(site)) == 1

    publish.tidy(site)  # what the next build does first, under the lock
    assert (site / "old.html").is_file() and not publish.backups(site)
    assert not publish.building(site)


def test_next_build_cleans_leftovers_of_killed_builds(base_repo: Path) -> None:
    site = base_repo / "site"
    _old_site(base_repo / ".site-old-4242")  # killed between the renames: no site/
    _old_site(base_repo / ".site-building-abc123")  # killed while building
    (base_repo / ".site-building-empty").mkdir()  # killed before the marker was written
    foreign = base_repo / ".site-old-mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours")
    _old_site(base_repo / ".site-old-building-xyz")  # a build into `site-old` is running
    assert main(["-f", str(base_repo / "site_config.yml"), "build", "--no-packs"]) == 0
    assert (site / "index.html").is_file() and (site / outputs.MARKER).is_file()
    assert not (site / "old.html").exists()
    left = sorted(p.name for p in base_repo.iterdir() if p.name.startswith(".site"))
    # without our marker: not ours to delete; the other is another folder's build
    assert left == [".site-old-building-xyz", ".site-old-mine"]
    assert (foreign / "keep.txt").read_text() == "not ours"


# --- one build at a time -------------------------------------------------------------------


def _hold(target: Path) -> int:
    """Take the build lock of `target` as a build would, from this process."""
    fd = os.open(publish.lock_file(target), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242\n")
    return fd


def test_a_second_build_waits_for_the_lock(tmp_path: Path) -> None:
    target = tmp_path / "site"
    holder = _hold(target)
    waited: list[int | None] = []

    def on_wait(pid: int | None) -> None:
        waited.append(pid)
        os.close(holder)  # the first build finishes

    with publish.locked(target, on_wait):
        assert waited == [4242]
        assert publish.lock_file(target).read_text() == f"{os.getpid()}\n"
    assert not publish.lock_file(target).exists()


def _lines(stream, into: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        into.put(line)
    into.put("")


def test_two_concurrent_builds_take_turns(base_repo: Path) -> None:
    site = base_repo / "site"
    holder = _hold(site)  # both builds start while the folder is taken
    procs, logs = [], []
    for _ in range(2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "-f", "site_config.yml", "build", "--no-packs"],
            cwd=base_repo,
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
        procs.append(proc)
        logs.append(lines)
    seen: list[list[str]] = [[], []]
    for lines, log in zip(logs, seen, strict=True):
        while not any("waiting for another build" in line for line in log):
            log.append(lines.get(timeout=120))
            assert log[-1], "".join(log)  # the build ended without waiting
    assert all("(pid 4242)" in "".join(log) for log in seen)
    os.close(holder)
    for proc, lines, log in zip(procs, logs, seen, strict=True):
        assert proc.wait(timeout=120) == 0
        while (line := lines.get(timeout=120)) != "":
            log.append(line)
        proc.stderr.close()  # type: ignore[union-attr]
    text = "".join(seen[0] + seen[1])
    assert "ERROR" not in text and "WARNING" not in text, text
    assert text.count("finops-kb: built") == 2
    assert (site / "index.html").is_file() and (site / outputs.MARKER).is_file()
    assert not [p for p in base_repo.iterdir() if p.name.startswith(".site")]
