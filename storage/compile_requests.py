"""Requests for an outcome document, kept until the document is delivered or fails.

A request is written in the transaction that accepts it, reserved for the instance that
took it; that instance claims it and runs it. If the instance dies first (storage.instances)
or its lease runs out, another one takes the request over (`claim_abandoned`), so a
delegate who was told "compiling…" gets a document. Operations flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from storage.instances import is_dead
from storage.models import CompileRequestRow, WorkState, as_utc

# A request whose runs ended with their instance this many times fails instead.
MAX_ATTEMPTS = 3
ERROR_LIMIT = 2000


@dataclass(frozen=True)
class CompileRequest:
    """A request as read from the database (plain data: safe outside its session)."""

    id: int
    user_id: str
    channel_id: str
    group_key: str | None
    requested_at: datetime
    state: str
    attempts: int
    claimed_by: str | None
    claimed_until: datetime | None
    error: str | None
    file_id: str | None
    finished_at: datetime | None


def create(
    session: Session,
    *,
    user_id: str,
    channel_id: str,
    group_key: str | None,
    instance_id: str,
    now: datetime,
    lease: timedelta,
) -> int:
    """Record a request (group_key None: the whole workshop), reserved for `instance_id`.

    The reservation lasts `lease`: the instance claims the request with `claim` after its
    commit; should it die before, the request is abandoned and another instance takes it.
    """
    now = as_utc(now)
    row = CompileRequestRow(
        user_id=user_id,
        channel_id=channel_id,
        group_key=group_key,
        requested_at=now,
        state=WorkState.PENDING.value,
        claimed_by=instance_id,
        claimed_until=now + lease,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row.id


def claim(
    session: Session, *, request_id: int, instance_id: str, now: datetime, lease: timedelta
) -> CompileRequest | None:
    """Take the request to run it for `lease`; None if another instance holds or ended it.

    A pending request is free to its own reserver and, once the reservation lapsed or its
    holder died, to anyone; a running one only once its holder died or its lease ran out.
    """
    now = as_utc(now)
    table = CompileRequestRow
    free = or_(
        and_(
            table.state == WorkState.PENDING,
            or_(table.claimed_by == instance_id, _abandoned(now)),
        ),
        and_(table.state == WorkState.RUNNING, _abandoned(now)),
    )
    result = session.execute(
        update(table)
        .where(table.id == request_id, free, table.attempts < MAX_ATTEMPTS)
        .values(
            state=WorkState.RUNNING.value,
            claimed_by=instance_id,
            claimed_until=now + lease,
            attempts=table.attempts + 1,
        )
    )
    session.flush()
    return _read(session, request_id) if result.rowcount else None


def claim_abandoned(
    session: Session, *, now: datetime, instance_id: str, lease: timedelta, limit: int = 5
) -> list[CompileRequest]:
    """Take over up to `limit` requests whose holder died or whose lease ran out, oldest first.

    A request abandoned MAX_ATTEMPTS times (its runs keep ending their instance) fails
    instead. PostgreSQL locks the rows FOR UPDATE SKIP LOCKED, so two instances sweeping
    at once take different requests; SQLite has one writer at a time.
    """
    now = as_utc(now)
    table = CompileRequestRow
    rows = session.execute(
        select(table.id, table.attempts)
        .where(table.state.in_([WorkState.PENDING, WorkState.RUNNING]), _abandoned(now))
        .order_by(table.requested_at, table.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    worn_out = [r.id for r in rows if r.attempts >= MAX_ATTEMPTS]
    taken = [r.id for r in rows if r.attempts < MAX_ATTEMPTS]
    if worn_out:
        session.execute(
            update(table)
            .where(table.id.in_(worn_out))
            .values(
                state=WorkState.FAILED.value,
                error=f"abandoned {MAX_ATTEMPTS} times: each run ended with its instance",
                claimed_by=None,
                claimed_until=None,
                finished_at=now,
            )
        )
    if taken:
        session.execute(
            update(table)
            .where(table.id.in_(taken))
            .values(
                state=WorkState.RUNNING.value,
                claimed_by=instance_id,
                claimed_until=now + lease,
                attempts=table.attempts + 1,
            )
        )
    session.flush()
    return [_read(session, request_id) for request_id in taken]


def finish(
    session: Session, *, request_id: int, instance_id: str, file_id: str | None, now: datetime
) -> bool:
    """Record the delivered document; False if `instance_id` no longer holds the request."""
    return _end(
        session,
        request_id,
        instance_id,
        state=WorkState.DONE.value,
        file_id=file_id,
        error=None,
        finished_at=as_utc(now),
    )


def fail(session: Session, *, request_id: int, instance_id: str, error: str, now: datetime) -> bool:
    """Record that the request failed for good; False if `instance_id` no longer holds it."""
    return _end(
        session,
        request_id,
        instance_id,
        state=WorkState.FAILED.value,
        error=error[:ERROR_LIMIT],
        finished_at=as_utc(now),
    )


def get(session: Session, request_id: int) -> CompileRequest | None:
    """The request, or None."""
    row = session.get(CompileRequestRow, request_id)
    return None if row is None else _plain(row)


def unfinished(session: Session) -> list[CompileRequest]:
    """Every request not done (pending, running and failed), oldest first; for the doctor."""
    rows = session.scalars(
        select(CompileRequestRow)
        .where(CompileRequestRow.state != WorkState.DONE)
        .order_by(CompileRequestRow.requested_at, CompileRequestRow.id)
    )
    return [_plain(row) for row in rows]


def _abandoned(now: datetime) -> ColumnElement[bool]:
    table = CompileRequestRow
    return or_(table.claimed_until < now, is_dead(table.claimed_by, now))


def _end(session: Session, request_id: int, instance_id: str, **values: object) -> bool:
    table = CompileRequestRow
    result = session.execute(
        update(table)
        .where(
            table.id == request_id,
            table.state == WorkState.RUNNING,
            table.claimed_by == instance_id,
        )
        .values(**values, claimed_by=None, claimed_until=None)
    )
    session.flush()
    return bool(result.rowcount)


def _read(session: Session, request_id: int) -> CompileRequest:
    row = session.scalars(
        select(CompileRequestRow)
        .where(CompileRequestRow.id == request_id)
        .execution_options(populate_existing=True)
    ).one()
    return _plain(row)


def _plain(row: CompileRequestRow) -> CompileRequest:
    return CompileRequest(
        id=row.id,
        user_id=row.user_id,
        channel_id=row.channel_id,
        group_key=row.group_key,
        requested_at=as_utc(row.requested_at),
        state=row.state,
        attempts=row.attempts,
        claimed_by=row.claimed_by,
        claimed_until=None if row.claimed_until is None else as_utc(row.claimed_until),
        error=row.error,
        file_id=row.file_id,
        finished_at=None if row.finished_at is None else as_utc(row.finished_at),
    )
