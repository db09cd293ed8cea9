"""`finops-kb` command line: check, build, serve, pack, new, schema, codes."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .core.config import DEFAULT_CONFIG, Config, ConfigError, load_config
from .core.report import FORMATS

if TYPE_CHECKING:
    from .core.scaffold import Created

# Material and MkDocs print an end-of-life banner on every run unless told not to.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text}") from exc


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

    return run_packs(Path(args.config), args.ids, Path(args.out) if args.out else None)


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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="finops-kb", description=__doc__)
    p.add_argument(
        "-f",
        "--config",
        default=DEFAULT_CONFIG,
        help=f"MkDocs config with the finops-kb plugin (default {DEFAULT_CONFIG})",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="validate content and playbooks without building")
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--output", "-o", help="write the report to a file instead of stdout")
    c.add_argument(
        "--summary",
        metavar="FILE",
        help="append a Markdown summary with every finding to FILE (with --format github in "
        "GitHub Actions: to the job summary, without this option)",
    )
    c.add_argument(
        "--strict", action="store_true", help="warnings fail too (exit 1), reported as errors"
    )
    # Also after `check`, where pre-commit and CI templates append their arguments.
    c.add_argument("-f", "--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    c.add_argument("--today", type=_date, help="date for review checks (default: today)")
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("schema", help="write the JSON Schemas for editor autocompletion")
    s.add_argument("kind", nargs="?", help="print only this kind's schema")
    s.add_argument("--out", help="folder to write to (default: schemas/ beside the config)")
    s.add_argument(
        "--with-ids",
        action="store_true",
        help="list the repository's capability, domain, persona and role ids in the fields "
        "that refer to them, for autocompletion (reads the config)",
    )
    s.add_argument(
        "--editor",
        choices=["vscode"],
        help="also map the schemas to the playbooks' YAML files in .vscode/settings.json "
        "beside the config, keeping its other settings",
    )
    s.set_defaults(func=cmd_schema)

    sub.add_parser("codes", help="list every diagnostic code").set_defaults(func=cmd_codes)

    li = sub.add_parser("links", help="report broken links; with --external, ask http(s) links")
    li.add_argument("--external", action="store_true", help="also check http(s) links (network)")
    li.add_argument("--format", choices=["text", "json", "github"], default="text")
    li.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    li.add_argument("--cache-dir", help="folder of links.json (default: .cache/finops-kb)")
    li.add_argument("--ttl", metavar="HOURS", help="how long a working link is trusted (24)")
    li.add_argument("--concurrency", metavar="N", help="requests in flight at once (8)")
    li.add_argument(
        "--per-host-interval", metavar="S", help="seconds between requests to one host (1)"
    )
    li.add_argument("--timeout", metavar="S", help="seconds to wait for an answer (10)")
    li.add_argument("--retries", metavar="N", help="retries after timeouts, 5xx, 429 (2)")
    li.set_defaults(func=cmd_links)

    b = sub.add_parser("build", help="build the site (and the PDF packs)")
    b.add_argument("--strict", action="store_true", help="fail on any warning")
    b.add_argument("--site-dir", help="output folder (default: site_dir of the config)")
    b.add_argument("--no-packs", action="store_true", help="skip the PDF packs")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("serve", help="live preview with reload")
    v.add_argument("--dev-addr", default="127.0.0.1:8000")
    v.set_defaults(func=cmd_serve)

    k = sub.add_parser("pack", help="render onboarding packs as PDF")
    k.add_argument("ids", nargs="*", help="pack ids (default: all)")
    k.add_argument("--out", help="folder for the PDFs (default: packs/ beside the config)")
    k.set_defaults(func=cmd_pack)

    e = sub.add_parser("export", help="RACI, maturity and KPIs as CSV/Excel; the model as JSON")
    e.add_argument("--out", help="folder to write to (default: exports/ beside the config)")
    e.add_argument(
        "--format", default="csv,xlsx,json", help="comma-separated: csv, xlsx, json (default: all)"
    )
    e.set_defaults(func=cmd_export)

    n = sub.add_parser("new", help="scaffold a new file from the content model")
    n.add_argument(
        "kind", choices=["capability", "overlay", "adoption-phase", "page", "unit", "assessment"]
    )
    n.add_argument(
        "id",
        help="id of the new file (for an overlay: the capability id; for an assessment: the "
        "unit id, or `group`)",
    )
    n.add_argument("--parent", help="unit: the unit it belongs to (default: the group)")
    n.add_argument("--domain", help="capability: its domain id (default: the first by order)")
    n.add_argument("--persona", help="capability: its lead persona id")
    n.add_argument(
        "--owner",
        help="role id that owns the file (default for overlays and adoption phases: the first "
        "role of organization.yml); for a unit, its FinOps lead",
    )
    n.set_defaults(func=cmd_new)

    i = sub.add_parser(
        "import",
        help="bring Markdown pages of Jekyll, Hugo or MkDocs into the content model",
        description="Copy Markdown pages into the content folder: front matter mapped to the "
        "kind's schema, links between the pages rewritten, heading levels moved. What needs an "
        "editor is reported at the source file's line. Exit 0 imported, 1 errors (a page not "
        "imported, or what `check` will report as an error), 2 usage.",
        epilog=f"codes besides those of `finops-kb codes`:\n{_import_codes()}\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i.add_argument("source", help="a folder of Markdown pages, or one page")
    i.add_argument("--into", help="folder inside the content folder (default: by kind)")
    i.add_argument("--kind", choices=_import_kinds(), default="page", help="kind of every page")
    i.add_argument("--force", action="store_true", help="replace files that exist")
    i.add_argument("--dry-run", action="store_true", help="write nothing; print what would be done")
    i.set_defaults(func=cmd_import)
    return p


def _import_codes() -> str:
    from .core.importing.findings import describe

    return describe()


def _import_kinds() -> tuple[str, ...]:
    from .core.importing.targets import KINDS

    return KINDS


def main(argv: list[str] | None = None) -> int:
    """Run one command. Exit 0 (clean), 1 (problems found) or 2 (usage, configuration or I/O);
    130 on Ctrl-C. A traceback is a bug: nothing here hides unexpected exceptions."""
    _tolerant_streams()
    args = parser().parse_args(argv)
    try:
        status = int(args.func(args))
        if sys.stdout is not None:  # None when started with stdout closed (`>&-`)
            sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
    except BrokenPipeError:
        return _closed_pipe()
    except ConfigError as exc:
        return _usage_error(str(exc))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _usage_error(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        print("finops-kb: interrupted", file=sys.stderr)
        return 130
    return status


def _usage_error(message: str) -> int:
    from .core.diagnostics import visible

    print(f"finops-kb: error: {visible(message)}", file=sys.stderr)
    return EXIT_USAGE


def _closed_pipe() -> int:
    """The reader went away (`finops-kb check | head -1`): stop quietly.

    As Python's documentation recommends, stdout is pointed at devnull so that the flush at
    interpreter exit does not raise a second BrokenPipeError.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # stdout has no file descriptor (e.g. captured in tests): nothing to flush later
    finally:
        os.close(devnull)
    return EXIT_PROBLEMS


def _tolerant_streams() -> None:
    """Never fail on a character the terminal cannot show (a narrow locale, a lone surrogate
    from an undecodable file name): write an escape instead."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
