"""`rapporteur roster import FILE.csv [--dry-run]`: the participant list, from a CSV file.

The file is checked whole first (storage.roster): any bad line and nothing is imported (exit
1). Then the Slack accounts are found, before any write: people the app has already seen
by their email, then `users.lookupByEmail` when SLACK_BOT_TOKEN is set. Then one
transaction writes the list (storage.roster_import), or is rolled back for a dry run. The
running app reads the list from the database on every request: it uses the new one at once.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import templates

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.settings import Settings
    from storage.roster import Parsed

EXIT_BAD_ROWS = 1
EXIT_UNREADABLE = 2


def add_roster_command(sub: Any) -> None:
    """Register `roster` on the CLI's subparsers."""
    roster = sub.add_parser("roster", help="the participant list (delegations, observers)")
    actions = roster.add_subparsers(metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="import or update the participant list from a CSV file",
        description=(
            "Columns (header row, any order and case): name, email (required), delegation "
            "(required: ISO 3166 alpha-2 code or country name; an organisation for observers), "
            "role (delegate, observer or rapporteur), group (a group key; required for a "
            "rapporteur; empty: every group), organisation. Importing again updates people by "
            "email; nobody is removed. Any bad line: nothing is imported, exit status 1."
        ),
    )
    imp.add_argument("file", type=Path, help="FILE.csv (UTF-8)")
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.set_defaults(run=run_import)


@dataclass(frozen=True)
class Outcome:
    """What an import printed and its exit status."""

    status: int
    out: str = ""
    err: str = ""


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Run `roster import` with the CLI's settings; print its report."""
    from storage.engines import make_engine
    from storage.schema import upgrade
    from storage.sessions import make_session_factory

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"rapporteur: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    engine = make_engine(settings.database_url, pool_size=2)
    upgrade(engine)
    outcome = import_roster(
        data,
        source=str(args.file),
        session_factory=make_session_factory(engine),
        token=settings.slack_bot_token,
        api_url=settings.slack_api_url,
        dry_run=args.dry_run,
    )
    sys.stdout.write(outcome.out)
    sys.stderr.write(outcome.err)
    return outcome.status


def import_roster(
    data: bytes,
    *,
    source: str,
    session_factory: sessionmaker[Session],
    token: str | None,
    api_url: str,
    dry_run: bool = False,
    actor_id: str | None = None,
) -> Outcome:
    """Check, match and import a participant list (bytes of a CSV file); nothing on a bad line."""
    from bot.delivery.names import Lookups
    from storage.actors import Actor
    from storage.groups import all_groups
    from storage.roster import parse_roster
    from storage.roster_import import import_rows, known_accounts, waiting_emails
    from storage.sessions import snapshot, transaction

    with snapshot(session_factory) as session:
        keys = [group.key for group in all_groups(session)]
        parsed = parse_roster(data, group_keys=keys)
        if not parsed.ok:
            return Outcome(
                EXIT_BAD_ROWS, err=_render("roster_problems.j2", **_problems(parsed, source, keys))
            )
        waiting = waiting_emails(session, [row.email for row in parsed.rows])
        found = known_accounts(session, waiting)
    lookups = Lookups()
    unknown = [email for email in waiting if email not in found]
    if token and unknown:
        from bot.delivery.names import look_up_emails
        from bot.slack.clients import background_client

        lookups = look_up_emails(background_client(token, api_url), unknown)
    actor = Actor(
        actor_id or _cli_actor(), request_id=f"roster-import-{os.getpid()}-{time.time():.0f}"
    )
    with transaction(session_factory) as session:
        report = import_rows(
            session, actor=actor, rows=parsed.rows, found={**found, **lookups.found}
        )
        if dry_run:
            session.rollback()  # the same work as a real import, then none of it kept
    text = _render(
        "roster_report.j2",
        source=source,
        dry_run=dry_run,
        rows=len(parsed.rows),
        report=report,
        lookups=lookups,
        token=bool(token),
        ignored_columns=parsed.ignored_columns,
    )
    return Outcome(0, out=text)


def _cli_actor() -> str:
    """Who the audit log names for an import: the person at the shell."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"[:32]


def _problems(parsed: Parsed, source: str, keys: list[str]) -> dict[str, Any]:
    lines = sorted({p.line for p in parsed.problems})
    return {"source": source, "problems": parsed.problems, "bad_lines": len(lines), "keys": keys}


@cache
def _environment() -> Environment:
    """Plain-text wording of the command line (templates/cli): nothing to escape."""
    return Environment(
        loader=FileSystemLoader(Path(templates.__file__).parent / "cli"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
