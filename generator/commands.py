"""What each `finops-kb` command does; cli.py reads the command line and turns errors into
exit statuses. Imports of the heavier layers stay inside each command, so `finops-kb check`
never loads MkDocs or WeasyPrint."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .core.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from .core.scaffold import Created

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def cmd_check(args: argparse.Namespace) -> int:
    from .core import report
    from .core.check import check

    config = load_config(Path(args.config))
    config.today = args.today
    result = check(config)
    ds = report.strict(result.diagnostics) if args.strict else result.diagnostics
    summary_file, summary_name = _summary_target(args)
    run = report.Run(ds, result.repo.files, result.seconds, summary_at=summary_name)
    text = report.render(args.format, run)
    if summary_file is not None:
        markdown = report.to_markdown(ds, len(run.files), run.seconds, report.SUMMARY_BYTES)
        _append_summary(summary_file, markdown + "\n")
    if args.output:
        _write_report(Path(args.output), text + "\n")
        print(run.summary(), file=sys.stderr)
    elif text:
        print(text)
    return EXIT_PROBLEMS if run.failed else EXIT_OK


def _summary_target(args: argparse.Namespace) -> tuple[Path | None, str]:
    """The Markdown summary's file and how the annotations name it: `--summary FILE`, or, for
    `--format github` inside GitHub Actions, the job summary (`$GITHUB_STEP_SUMMARY`)."""
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY", "")
    if args.summary:
        name = "the job summary" if args.summary == step_summary else args.summary
        return Path(args.summary), name
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true" and step_summary
    if args.format == "github" and in_actions:
        return Path(step_summary), "the job summary"
    return None, ""


def _append_summary(path: Path, text: str) -> None:
    """Append, as GitHub's job summary expects (each step adds its part); a bad path is exit 2."""
    if path.is_dir() or not path.parent.is_dir():
        raise ConfigError(f"--summary {path}: not a file in an existing folder")
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise ConfigError(f"--summary {path}: cannot write: {exc.strerror or exc}") from None


def _write_report(path: Path, text: str) -> None:
    """Write `check --output`; a bad path is a usage error (exit 2), not a traceback."""
    if path.is_dir():
        raise ConfigError(f"--output {path} is a folder; give a file name, e.g. {path}/report.txt")
    if not path.parent.is_dir():
        raise ConfigError(f"--output {path}: folder {path.parent} does not exist")
    try:
        path.write_text(text, "utf-8")
    except OSError as exc:
        raise ConfigError(f"--output {path}: cannot write: {exc.strerror or exc}") from None


def cmd_schema(args: argparse.Namespace) -> int:
    from .core.schema import schema_files

    files = schema_files()
    if args.kind:
        name = f"{args.kind}.json"
        if name not in files:
            raise ConfigError(
                f"no schema for `{args.kind}`; kinds: " + ", ".join(sorted(f[:-5] for f in files))
            )
        if args.with_ids or args.editor:
            raise ConfigError(
                "--with-ids and --editor write the schemas as a set that refer to each other; "
                "leave out the KIND"
            )
        print(files[name], end="")
        return EXIT_OK
    return _write_editor_schemas(args)


def _write_editor_schemas(args: argparse.Namespace) -> int:
    from .core import editor_schemas as editor

    out = Path(args.out) if args.out else Path(args.config).parent / "schemas"
    config = load_config(Path(args.config)) if args.with_ids or args.editor else None
    settings = None
    if config and args.editor:  # refused before anything is written
        entries = editor.yaml_schemas(config.root, out, config.playbooks_dir)
        settings = editor.vscode_settings(config.root, entries)
    ids = None
    if config and args.with_ids:
        from .core.check import check

        result = check(config)
        ids = editor.repository_ids(result.repo)
        if result.errors:
            print(
                f"note: {result.errors} errors in the repository (`finops-kb check` lists them); "
                "files with errors add no ids",
                file=sys.stderr,
            )
    written = editor.write_schemas(out, editor.editor_schemas(out, ids))
    listed = ", ".join(f"{len(v)} {k}" for k, v in (ids or {}).items())
    print(f"wrote {len(written)} schemas to {out}/" + (f" with the ids ({listed})" if ids else ""))
    if settings:
        editor.write_settings(*settings)
        print(f"updated {settings[0]}")
    return EXIT_OK


def cmd_codes(args: argparse.Namespace) -> int:
    from .core.codes import CODES

    for code, c in CODES.items():
        print(f"{code:28} {c.severity:8} {c.summary}")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from .plugin.commands import build

    load_config(Path(args.config))  # config problems are one line and exit 2, before MkDocs
    return build(
        Path(args.config), strict=args.strict, site_dir=args.site_dir, packs=not args.no_packs
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from .plugin.commands import serve

    load_config(Path(args.config))
    return serve(Path(args.config), args.dev_addr)


LINK_FLAGS = {
    "ttl_hours": "ttl",
    "concurrency": "concurrency",
    "per_host_interval": "per_host_interval",
    "timeout": "timeout",
    "retries": "retries",
}
"""Options of `links` by the LinkOptions field they set."""


def cmd_links(args: argparse.Namespace) -> int:
    from .core import external_links as ext
    from .core import report
    from .core.check import check
    from .core.link_options import OptionError, overrides

    config = load_config(Path(args.config))
    try:
        given = {field: getattr(args, flag) for field, flag in LINK_FLAGS.items()}
        options = overrides(config.external_links, given)
    except OptionError as exc:
        raise ConfigError(f"--{LINK_FLAGS[exc.key].replace('_', '-')} {exc}") from None
    cache = ext.cache_file(config, options, args.cache_dir)
    if cache.parent.exists() and not cache.parent.is_dir():
        raise ConfigError(f"cache folder {cache.parent} is a file; give a folder")
    result = check(config)
    ds = [d for d in result.diagnostics if d.code in ext.INTERNAL_CODES]
    found = None
    if args.external:
        found = ext.check_external(result.repo, options, cache, config.severity)
        ds = sorted(ds + found.diagnostics, key=lambda d: (d.path, d.line, d.code, d.message))
    ds = report.strict(ds) if args.strict else ds
    print(report.render(args.format, report.Run(ds, result.repo.files, result.seconds)))
    if found:
        notes = [found.note] if found.note else []
        print("\n".join(["finops-kb: " + n for n in notes] + [found.summary()]), file=sys.stderr)
    return EXIT_PROBLEMS if any(d.severity == "error" for d in ds) else EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    from .packs.command import run_packs

    audience = next(((k, v) for k in ("role", "persona", "unit") if (v := getattr(args, k))), None)
    if audience and args.ids:
        raise ConfigError(f"pack --{audience[0]} makes its own pack: drop the pack ids")
    return run_packs(Path(args.config), args.ids, Path(args.out) if args.out else None, audience)


def cmd_export(args: argparse.Namespace) -> int:
    from .core.exports.command import formats, run

    chosen = formats(args.format)
    done = run(load_config(Path(args.config)), Path(args.out) if args.out else None, chosen)
    for d in done.errors:
        print(d.format(), file=sys.stderr)
    if done.errors:
        print(f"finops-kb: {len(done.errors)} errors; fix them before exporting", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {', '.join(done.files)} to {done.folder}/")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .core.scaffold import Choices, create

    config = load_config(Path(args.config))
    if args.kind in ("unit", "assessment"):
        created = _new_unit_or_assessment(config, args)
    else:
        if args.parent is not None:
            raise ConfigError("--parent is only for `new unit`")
        choices = Choices(domain=args.domain, persona=args.persona, owner=args.owner)
        created = create(config, args.kind, args.id, choices=choices)
    print(f"created {created.path}")
    for default in created.defaults:
        print(f"  picked {default}")
    print(f"  next: {created.next}")
    return EXIT_OK


def _new_unit_or_assessment(config: Config, args: argparse.Namespace) -> Created:
    from .core.scaffold_units import create_assessment, create_unit

    if args.domain is not None or args.persona is not None:
        raise ConfigError("--domain and --persona are only for `new capability`")
    if args.kind == "unit":
        return create_unit(config, args.id, args.parent, args.owner)
    if args.parent is not None or args.owner is not None:
        raise ConfigError("`new assessment` takes a unit id (or `group`) and no options")
    return create_assessment(config, args.id)


def cmd_import(args: argparse.Namespace) -> int:
    from .core import diagnostics as fmt
    from .core.importing.run import Options, run

    config = load_config(Path(args.config))
    options = Options(Path(args.source), args.into, args.kind, args.force, args.dry_run)
    outcome = run(config, options)
    verb = "would write" if args.dry_run else "wrote"
    for page in outcome.imported:
        notes = "; ".join([args.kind, *page.notes])
        print(fmt.visible(f"{page.src.shown} -> {page.path} ({notes})"))
    ds = outcome.diagnostics
    for d in ds:
        print(d.format())
    errors = sum(d.severity == "error" for d in ds)
    warnings = len(ds) - errors
    done = len(outcome.imported)
    tail = "; nothing written (dry run)" if args.dry_run else ""
    print(
        f"{verb} {done} of {len(outcome.pages)} pages to {outcome.folder}/{tail}: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}; "
        "then run `finops-kb check`"
    )
    return EXIT_PROBLEMS if errors else EXIT_OK
