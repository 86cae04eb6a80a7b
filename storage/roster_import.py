"""Importing a checked participant list: people added or updated by email, none removed.

The caller parses the file (storage.roster), finds the Slack accounts it can (people the
app has seen, `users.lookupByEmail`) and passes them as `found`; this writes the rows,
matches them, confirms matched people's delegations, and says what it did. A dry run is the
same call in a transaction the caller rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.models import Participant, Person, utcnow
from storage.participants import Listed, confirm, participants
from storage.roster import Row

FIELDS = ("name", "delegation", "role", "group_key", "organisation")


@dataclass(frozen=True)
class Change:
    """A person already on the list whose row the new file changes."""

    row: Row
    changes: list[tuple[str, str | None, str | None]]  # (field, before, after)


@dataclass(frozen=True)
class Unseated:
    """A person seated with `/wg seat` whom the list now seats instead (same Slack account)."""

    row: Row
    user_id: str
    delegation: str  # what the seat had said


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: list[Row] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    matched: list[tuple[Row, str]] = field(default_factory=list)  # matched by this import
    unmatched: list[Row] = field(default_factory=list)  # no Slack account yet: kept, waiting
    taken: list[tuple[Row, str]] = field(default_factory=list)  # account matched to another row
    unseated: list[Unseated] = field(default_factory=list)
    missing: list[Listed] = field(default_factory=list)  # on the list, not in the file: kept


def waiting_emails(session: Session, emails: Sequence[str]) -> list[str]:
    """Those of these emails that no matched row holds yet (worth looking up in Slack)."""
    matched = set(
        session.scalars(
            select(Participant.email).where(
                Participant.email.in_(sorted(set(emails))), Participant.user_id.is_not(None)
            )
        )
    )
    return [email for email in emails if email not in matched]


def known_accounts(session: Session, emails: Sequence[str]) -> dict[str, str]:
    """Email → user id of the people the app has already seen with these emails."""
    rows = session.execute(
        select(Person.email, Person.user_id)
        .where(Person.email.in_(sorted(set(emails))))
        .order_by(Person.updated_at)
    )
    return {email: user_id for email, user_id in rows}


def import_rows(
    session: Session, *, actor: Actor, rows: Sequence[Row], found: Mapping[str, str]
) -> ImportReport:
    """Add or update each row (by email), match rows to `found` accounts; flushes, never commits."""
    report = ImportReport()
    existing = list(session.scalars(select(Participant).order_by(Participant.id)))
    by_email = {p.email: p for p in existing if p.email}
    by_user = {p.user_id: p for p in existing if p.user_id}
    in_file = {row.email for row in rows}
    report.missing = [p for p in participants(session) if p.email not in in_file]
    for row in rows:
        participant = by_email.get(row.email)
        changed = True
        if participant is None:
            participant = Participant(email=row.email, source="roster", **_values(row))
            session.add(participant)
            report.added.append(row)
            audit.record(session, actor=actor, action="list", target=row.email, **_values(row))
        else:
            changes = _changes(participant, row)
            changed = bool(changes)
            if changes:
                for name, _, after in changes:
                    setattr(participant, name, after)
                participant.updated_at = utcnow()
                report.updated.append(Change(row, changes))
                audit.record(
                    session,
                    actor=actor,
                    action="list",
                    target=row.email,
                    changes={name: [before, after] for name, before, after in changes},
                )
            else:
                report.unchanged.append(row)
        session.flush()
        if participant.user_id is None:
            changed = _match(session, actor, row, participant, found, by_user, report) or changed
        if participant.user_id is not None and changed:
            confirm(session, actor=actor, participant=participant)
    audit.record(
        session,
        actor=actor,
        action="roster import",
        added=len(report.added),
        updated=len(report.updated),
        matched=len(report.matched),
        unmatched=len(report.unmatched),
        missing=len(report.missing),
    )
    session.flush()
    return report


def _match(
    session: Session,
    actor: Actor,
    row: Row,
    participant: Participant,
    found: Mapping[str, str],
    by_user: dict[str | None, Participant],
    report: ImportReport,
) -> bool:
    """Give the row the Slack account found for its email; whether it was matched."""
    user_id = found.get(row.email)
    holder = by_user.get(user_id) if user_id else None
    if user_id is None:
        report.unmatched.append(row)
        return False
    if holder is not None and (holder.source != "seat" or holder.email is not None):
        report.taken.append((row, user_id))
        report.unmatched.append(row)
        return False
    if holder is not None:  # seated by hand before the list knew them: the list wins
        report.unseated.append(Unseated(row, user_id, holder.delegation))
        audit.record(
            session,
            actor=actor,
            action="unseat",
            target=user_id,
            delegation=holder.delegation,
            replaced_by=row.email,
        )
        report.missing = [p for p in report.missing if p.user_id != user_id]
        session.delete(holder)
        session.flush()  # the account is free before the row takes it
    participant.user_id = user_id
    by_user[user_id] = participant
    session.flush()
    report.matched.append((row, user_id))
    audit.record(
        session,
        actor=actor,
        action="match",
        group_key=row.group_key,
        target=user_id,
        email=row.email,
        delegation=row.delegation,
    )
    return True


def _values(row: Row) -> dict[str, str | None]:
    return {
        "name": row.name,
        "delegation": row.delegation,
        "role": row.role.value,
        "group_key": row.group_key,
        "organisation": row.organisation,
    }


def _changes(participant: Participant, row: Row) -> list[tuple[str, str | None, str | None]]:
    after = _values(row)
    return [
        (name, getattr(participant, name), after[name])
        for name in FIELDS
        if (getattr(participant, name) or None) != (after[name] or None)
    ]
