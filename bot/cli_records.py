"""`rapporteur audit` and `rapporteur export`: the record read out on the command line.

Both read with the workshop's settings (DECISION_PROCEDURE, TALLIES, BALLOTS), so what a
group may show (storage.visibility) applies: the audit output names no choice of a vote in
a group whose ballots are secret (nor, while its results are withheld, in a group whose
tallies are hidden), the JSON export links no secret vote to its voter (storage.concealed),
and the CSV export (bot.report.csv_export) is what `/wg export all` uploads. The JSON export
is the record's backup: a hidden group's votes are in it as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, SettingsError


def factory_for(settings: Settings, engine: Engine) -> sessionmaker[Session]:
    """Sessions on the upgraded database carrying the settings' defaults for groups."""
    from storage.rules import set_default_procedure
    from storage.schema import upgrade
    from storage.sessions import make_session_factory
    from storage.visibility import set_defaults

    upgrade(engine)
    factory = make_session_factory(engine)
    set_default_procedure(factory, settings.decision_procedure)
    set_defaults(factory, tallies=settings.tallies, ballots=settings.ballots)
    return factory


def run_audit(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Print the audit log (--group, --since); raises UnknownGroup, SettingsError."""
    from storage import audit
    from storage.groups import group_by_key
    from storage.models import as_utc
    from storage.sessions import transaction
    from storage.visibility import for_groups, secret_keys

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise SettingsError(f"--since: not an ISO date or time: {args.since!r}") from None
        # Timestamps are stored in UTC. An aware UTC value compares right on both backends:
        # PostgreSQL converts it, and SQLite's text form of it is the stored naive UTC text
        # (a +07:00 value would be written as its local wall-clock time and miss by 7 hours).
        since = as_utc(since)
    with transaction(factory_for(settings, engine)) as session:
        if args.group is not None:
            group_by_key(session, args.group)
        secret = secret_keys(session)
        withheld = frozenset(k for k, seen in for_groups(session).items() if seen.withheld)
        for entry in audit.entries(session, group_key=args.group, since=since):
            shown = audit.shown_detail(
                entry.action, entry.group_key, entry.detail, secret, withheld
            )
            detail = " ".join(f"{k}={v}" for k, v in sorted(shown.items()) if v is not None)
            print(
                f"{entry.at.isoformat(timespec='seconds')}  {entry.actor_user_id:<12} "
                f"{entry.action:<8} {entry.group_key or '-':<24} {entry.target or '-'}  "
                f"{detail}  request={entry.request_id or '-'}"
            )
    return 0


def run_export(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Write the record as JSON (the whole record) or CSV (one row per recommendation)."""
    from storage.sessions import snapshot, transaction

    factory = factory_for(settings, engine)
    if args.format == "csv":
        from bot.report.csv_export import csv_bytes
        from storage.exports import export_rows

        with snapshot(factory) as session:
            rows = export_rows(session, rule=settings.adoption_rule)
        content = csv_bytes(rows, settings.workshop_timezone)
        if args.out:
            args.out.write_bytes(content)
            print(f"wrote {args.out} ({len(rows)} recommendations)", file=sys.stderr)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        return 0
    from storage.transfer import export_record

    with transaction(factory) as session:
        data = export_record(session)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0
