"""Work due at a time, kept in the database: done once, by whichever instance claims it.

A job is named by (kind, key), e.g. ("card_sweep", "all"); scheduling a name again moves
the job. A claim holds a job for a lease; the job of a claimer that died (storage.instances)
or whose lease ran out is claimed again by another instance. Operations flush, never commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, false, func, or_, select, true, update
from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.instances import is_dead
from storage.models import ScheduledJobRow, WorkState, as_utc, utcnow

MAX_ATTEMPTS = 5
ERROR_LIMIT = 2000  # characters of an error kept with the job


@dataclass(frozen=True)
class ScheduledJob:
    """A job as read from the database (plain data: safe outside its session)."""

    id: int
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]
    state: str
    attempts: int
    last_error: str | None
    claimed_by: str | None
    claimed_until: datetime | None


def schedule(
    session: Session,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
) -> None:
    """Have (kind, key) run at `due_at` with `payload`: added, or moved (pending again, its
    attempts and error cleared). A job running meanwhile keeps running, then is pending at
    the new time (nothing asked for is lost)."""
    table = ScheduledJobRow
    statement = _insert(session, kind, key, due_at, payload)
    running = table.state == WorkState.RUNNING
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.kind, table.key],
            set_={
                "due_at": statement.excluded.due_at,
                "payload": statement.excluded.payload,
                "state": case((running, table.state), else_=WorkState.PENDING.value),
                "rescheduled": running,
                "attempts": case((running, table.attempts), else_=0),
                "last_error": case((running, table.last_error), else_=None),
                "done_at": None,
            },
        )
    )
    session.flush()


def ensure(
    session: Session,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
) -> None:
    """Have (kind, key) scheduled: added at `due_at` if absent, pending again if it ended;
    left as it is if pending or running (recurring work, ensured by every instance at start)."""
    table = ScheduledJobRow
    statement = _insert(session, kind, key, due_at, payload)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.kind, table.key],
            set_={
                "due_at": statement.excluded.due_at,
                "state": WorkState.PENDING.value,
                "attempts": 0,
                "done_at": None,
            },
            where=table.state.in_([WorkState.DONE, WorkState.FAILED]),
        )
    )
    session.flush()


def cancel(session: Session, *, kind: str, key: str) -> bool:
    """Drop (kind, key), whatever its state; False if there was no such job.

    A run already under way is not stopped; its end finds no job and changes nothing.
    """
    result = session.execute(
        delete(ScheduledJobRow).where(ScheduledJobRow.kind == kind, ScheduledJobRow.key == key)
    )
    return bool(result.rowcount)


def claim_due(
    session: Session,
    *,
    now: datetime,
    instance_id: str,
    lease: timedelta,
    limit: int,
    kinds: Collection[str] | None = None,
    others_after: timedelta | None = None,
) -> list[ScheduledJob]:
    """Take up to `limit` due jobs for `lease`, soonest due first, and return them.

    Due: pending with due_at <= now, or running for an instance that died or whose lease
    ran out. A taken job is running, claimed by `instance_id`, one attempt more; one
    abandoned MAX_ATTEMPTS times (its runs keep killing their instance) fails instead.
    With `kinds`, jobs of other kinds are taken only once overdue by `others_after` (an
    instance of another version may know them; if none did, the claimer fails them).

    PostgreSQL: the rows are locked FOR UPDATE SKIP LOCKED, so concurrent claimers take
    disjoint jobs without waiting for each other. SQLite: every write transaction holds the
    database's single writer slot, so the select and the update cannot interleave.
    """
    now = as_utc(now)
    table = ScheduledJobRow
    due = or_(
        and_(table.state == WorkState.PENDING, table.due_at <= now),
        and_(
            table.state == WorkState.RUNNING,
            or_(table.claimed_until < now, is_dead(table.claimed_by, now)),
        ),
    )
    query = select(table.id, table.state, table.attempts).where(due)
    if kinds is not None:
        known = table.kind.in_(list(kinds))
        if others_after is not None:
            known = or_(known, table.due_at <= now - others_after)
        query = query.where(known)
    rows = session.execute(
        query.order_by(table.due_at, table.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    worn_out = [r.id for r in rows if r.state == WorkState.RUNNING and r.attempts >= MAX_ATTEMPTS]
    taken = [r.id for r in rows if r.id not in worn_out]
    if worn_out:
        session.execute(
            update(table)
            .where(table.id.in_(worn_out))
            .values(
                state=WorkState.FAILED,
                last_error=f"abandoned {MAX_ATTEMPTS} times: each run ended with its instance",
                claimed_by=None,
                claimed_until=None,
                done_at=now,
            )
        )
    if taken:
        session.execute(
            update(table)
            .where(table.id.in_(taken))
            .values(
                state=WorkState.RUNNING,
                claimed_by=instance_id,
                claimed_until=now + lease,
                attempts=table.attempts + 1,
                rescheduled=False,
            )
        )
    session.flush()
    jobs = session.scalars(
        select(table).where(table.id.in_(taken)).execution_options(populate_existing=True)
    )
    return sorted((_plain(job) for job in jobs), key=lambda j: (j.due_at, j.id))


def finish(
    session: Session,
    *,
    job_id: int,
    instance_id: str,
    now: datetime | None = None,
    reschedule_at: datetime | None = None,
) -> bool:
    """Mark the job done, or pending at `reschedule_at` (recurring work); a job scheduled
    again during the run is pending at that time instead. False if `instance_id` no longer
    holds the job (its lease ran out and another instance took it): nothing changes."""
    table = ScheduledJobRow
    again: Any = table.rescheduled if reschedule_at is None else true()
    values = {
        "state": case((again, WorkState.PENDING.value), else_=WorkState.DONE.value),
        "due_at": case(
            (table.rescheduled, table.due_at),
            else_=table.due_at if reschedule_at is None else as_utc(reschedule_at),
        ),
        "done_at": case((again, None), else_=as_utc(now or utcnow())),
        "attempts": 0,
        "last_error": None,
    }
    return _release(session, job_id, instance_id, values)


def fail(
    session: Session,
    *,
    job_id: int,
    instance_id: str,
    error: str,
    retry_at: datetime | None,
    now: datetime | None = None,
    max_attempts: int | None = MAX_ATTEMPTS,
) -> bool:
    """Record a failed run: pending again at `retry_at`, or failed for good when `retry_at`
    is None or the job had `max_attempts` attempts (None: no limit, for recurring work).
    A job scheduled again during the run is pending at that time instead, attempts cleared.
    False if `instance_id` no longer holds the job: nothing changes."""
    table = ScheduledJobRow
    if retry_at is None:
        give_up: Any = true()
    elif max_attempts is None:
        give_up = false()
    else:
        give_up = table.attempts >= max_attempts
    values = {
        "state": case(
            (table.rescheduled, WorkState.PENDING.value),
            (give_up, WorkState.FAILED.value),
            else_=WorkState.PENDING.value,
        ),
        "due_at": case(
            (or_(table.rescheduled, give_up), table.due_at),
            else_=as_utc(retry_at or utcnow()),
        ),
        "done_at": case((table.rescheduled, None), (give_up, as_utc(now or utcnow())), else_=None),
        "attempts": case((table.rescheduled, 0), else_=table.attempts),
        "last_error": error[:ERROR_LIMIT],
    }
    return _release(session, job_id, instance_id, values)


def get(session: Session, *, kind: str, key: str) -> ScheduledJob | None:
    """The job (kind, key), or None."""
    row = session.scalars(
        select(ScheduledJobRow).where(ScheduledJobRow.kind == kind, ScheduledJobRow.key == key)
    ).one_or_none()
    return None if row is None else _plain(row)


def next_due(session: Session) -> datetime | None:
    """When the soonest pending job is due, or None if nothing is pending."""
    when = session.scalar(
        select(func.min(ScheduledJobRow.due_at)).where(ScheduledJobRow.state == WorkState.PENDING)
    )
    return None if when is None else as_utc(when)


def unfinished(session: Session) -> list[ScheduledJob]:
    """Every job not done (pending, running and failed), soonest due first; for the doctor."""
    rows = session.scalars(
        select(ScheduledJobRow)
        .where(ScheduledJobRow.state != WorkState.DONE)
        .order_by(ScheduledJobRow.due_at, ScheduledJobRow.id)
    )
    return [_plain(row) for row in rows]


def requeue_failed(session: Session, *, now: datetime) -> int:
    """Put every failed job back to pending, due at `now`, attempts cleared; return how many."""
    result = session.execute(
        update(ScheduledJobRow)
        .where(ScheduledJobRow.state == WorkState.FAILED)
        .values(state=WorkState.PENDING, due_at=as_utc(now), attempts=0, done_at=None)
    )
    session.flush()
    return int(result.rowcount)


def _insert(
    session: Session, kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None
) -> Any:
    return insert(session, ScheduledJobRow).values(
        kind=kind,
        key=key,
        due_at=as_utc(due_at),
        payload=payload or {},
        state=WorkState.PENDING.value,
        attempts=0,
        rescheduled=False,
        created_at=utcnow(),
    )


def _release(session: Session, job_id: int, instance_id: str, values: dict[str, Any]) -> bool:
    table = ScheduledJobRow
    result = session.execute(
        update(table)
        .where(
            table.id == job_id,
            table.state == WorkState.RUNNING,
            table.claimed_by == instance_id,
        )
        .values(**values, claimed_by=None, claimed_until=None, rescheduled=False)
    )
    session.flush()
    return bool(result.rowcount)


def _plain(row: ScheduledJobRow) -> ScheduledJob:
    values = {f.name: getattr(row, f.name) for f in fields(ScheduledJob)}
    values.update(due_at=as_utc(row.due_at), payload=dict(row.payload or {}))
    values["claimed_until"] = row.claimed_until and as_utc(row.claimed_until)
    return ScheduledJob(**values)
