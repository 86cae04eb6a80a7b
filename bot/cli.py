"""The `rapporteur` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError

from bot.settings import Settings, SettingsError, load_settings
from storage.errors import UnknownGroup


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
        return int(args.run(args, settings) or 0)
    except SettingsError as error:
        print(f"rapporteur: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"rapporteur: cannot use the database (DATABASE_URL): {reason}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapporteur", description="Rapporteur: working-group recommendations in Slack."
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the Slack app (HTTP, or Socket Mode with --socket)")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--socket", action="store_true", help="Socket Mode with SLACK_APP_TOKEN")
    serve.add_argument(
        "--insecure-skip-verification",
        action="store_true",
        help="development only: accept unsigned requests (refused unless ENVIRONMENT=development)",
    )
    serve.set_defaults(run=_serve)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(metavar="ACTION", required=True)
    up = db_sub.add_parser("upgrade", help="migrate to the newest schema and seed the groups")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(run=_db_upgrade)
    down = db_sub.add_parser("downgrade", help="migrate down to a revision (e.g. base)")
    down.add_argument("revision")
    down.set_defaults(run=_db_downgrade)
    current = db_sub.add_parser("current", help="print the schema revision")
    current.set_defaults(run=_db_current)

    comp = sub.add_parser("compile", help="write the outcome document from the database")
    comp.add_argument("--group", help="a group key; default: the whole workshop")
    comp.add_argument("--out", required=True, type=Path, help="FILE.docx")
    comp.add_argument("--template", type=Path, help="an organizer's Word template")
    comp.add_argument("--pdf", action="store_true", help="also write FILE.pdf (LibreOffice)")
    comp.set_defaults(run=_compile)

    man = sub.add_parser("manifest", help="print the Slack app manifest")
    man.add_argument("--url", default="https://YOUR-HOST", help="public base URL of the app")
    man.add_argument("--socket", action="store_true", help="enable Socket Mode")
    man.set_defaults(run=_manifest)

    aud = sub.add_parser("audit", help="print the audit log")
    aud.add_argument("--group", help="only this group key")
    aud.add_argument(
        "--since",
        help="ISO date or time, e.g. 2026-11-24, 2026-11-24T09:00 or 2026-11-24T16:00+07:00;"
        " without an offset it is taken as UTC",
    )
    aud.set_defaults(run=_audit)

    exp = sub.add_parser("export", help="the whole record (json) or its recommendations (csv)")
    exp.add_argument("--format", choices=["json", "csv"], default="json")
    exp.add_argument("--out", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(run=_export)

    imp = sub.add_parser("import", help="restore an export into an empty database")
    imp.add_argument("file", type=Path, help="a file written by `rapporteur export`")
    imp.set_defaults(run=_import)

    doc = sub.add_parser(
        "doctor", help="report stuck work (scheduled jobs, compiles, cards); exit 1 if any"
    )
    doc.add_argument("--repair", action="store_true", help="put failed scheduled jobs back")
    doc.set_defaults(run=_doctor)

    from bot.cli_roster import add_roster_command
    from bot.demo.command import add_demo_command

    add_roster_command(sub)
    add_demo_command(sub)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.logs import configure_from
    from bot.slack.server import serve_http
    from bot.slack.socket_mode import serve_socket

    configure_from(settings)
    if args.socket:
        serve_socket(settings)
    else:
        serve_http(
            settings,
            host=args.host,
            port=args.port,
            verify_requests=not args.insecure_skip_verification,
        )
    return 0


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from storage.engines import make_engine

    return make_engine(settings.database_url, pool_size=2)


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    from bot.doctor import run_doctor

    return run_doctor(_engine(settings), repair=args.repair)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.schema import current_revision, upgrade

    engine = _engine(settings)
    upgrade(engine, args.revision)
    print(f"schema at {current_revision(engine)}")
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.schema import current_revision, downgrade

    engine = _engine(settings)
    downgrade(engine, args.revision)
    print(f"schema at {current_revision(engine) or 'base'}")
    return 0


def _db_current(args: argparse.Namespace, settings: Settings) -> int:
    from storage.schema import current_revision

    print(current_revision(_engine(settings)) or "base (empty database)")
    return 0


def _compile(args: argparse.Namespace, settings: Settings) -> int:
    from bot.delivery.report_options import report_options
    from bot.report import build_outcome_document
    from storage.reports import workshop_record
    from storage.rules import set_default_procedure
    from storage.schema import upgrade
    from storage.sessions import make_session_factory, snapshot
    from storage.visibility import set_defaults

    if args.template is not None and not args.template.is_file():
        raise SettingsError(f"--template: no such file: {args.template}")
    engine = _engine(settings)
    upgrade(engine)
    try:
        factory = make_session_factory(engine)
        set_default_procedure(factory, settings.decision_procedure)
        set_defaults(factory, tallies=settings.tallies, ballots=settings.ballots)
        with snapshot(factory) as session:
            record = workshop_record(session, group_key=args.group)
    except UnknownGroup as error:
        return _unknown_group(error)
    from bot.report import TemplateError
    from bot.report.finishing import write_outcome
    from bot.report.libreoffice import ConversionError

    options = report_options(settings, args.template)
    try:
        content = build_outcome_document(record, options)
        pdf = write_outcome(args.out, content, options.fonts, pdf=args.pdf)
    except TemplateError as error:
        print(f"rapporteur: {error}", file=sys.stderr)
        return 2
    except ConversionError as error:
        print(f"rapporteur: --pdf: {error}; nothing was written", file=sys.stderr)
        return 2
    recs = sum(len(g.recommendations) for g in record.groups)
    wrote = f"{args.out} and {pdf}" if pdf else f"{args.out}"
    print(f"wrote {wrote} ({recs} recommendations, {'Final' if record.is_final else 'Draft'})")
    return 0


def _unknown_group(error: UnknownGroup) -> int:
    """Refuse a --group that names no group, listing the valid keys."""
    key, valid = error.params["key"], error.params["valid"]
    print(f"rapporteur: unknown group {key!r}; valid: {', '.join(valid)}", file=sys.stderr)
    return 2


def _manifest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.manifest import render_manifest

    sys.stdout.write(render_manifest(args.url, socket=args.socket))
    return 0


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_records import run_audit

    try:
        return run_audit(args, settings, _engine(settings))
    except UnknownGroup as error:
        return _unknown_group(error)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_records import run_export

    return run_export(args, settings, _engine(settings))


def _import(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from storage.schema import upgrade
    from storage.sessions import make_session_factory, transaction
    from storage.transfer import ImportRefused, import_record

    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"rapporteur: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    engine = _engine(settings)
    upgrade(engine)
    try:
        with transaction(make_session_factory(engine)) as session:
            counts = import_record(session, data)
    except ImportRefused as error:
        print(f"rapporteur: import refused: {error}", file=sys.stderr)
        return 2
    print("imported " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
