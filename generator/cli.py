"""`finops-kb` command line: check, links, build, serve, pack, export, new, import, schema,
codes. The commands themselves are in commands.py."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys

from .commands import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    cmd_build,
    cmd_check,
    cmd_codes,
    cmd_export,
    cmd_import,
    cmd_links,
    cmd_new,
    cmd_pack,
    cmd_schema,
    cmd_serve,
)
from .core.config import DEFAULT_CONFIG, ConfigError
from .core.report import FORMATS

# Material and MkDocs print an end-of-life banner on every run unless told not to.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text}") from exc


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
    who = k.add_mutually_exclusive_group()
    for name, what in (("role", "role"), ("persona", "persona"), ("unit", "business unit")):
        who.add_argument(f"--{name}", metavar="ID", help=f"a short pack for one {what}")
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
