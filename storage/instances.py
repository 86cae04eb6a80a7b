"""The running app instances: each heartbeats, so the others can tell when one has died."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, select, update
from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.models import Instance, as_utc

# An instance whose last heartbeat is older than this is dead: its claims and leases are
# free for the others. Instances heartbeat every few seconds (bot.delivery.scheduler).
ALIVE_WITHIN = timedelta(seconds=15)


def new_instance_id(host: str, pid: int) -> str:
    """A fresh id for this process: readable (host and pid) and unique (a random tail)."""
    return f"{host[:40]}-{pid}-{secrets.token_hex(4)}"


def register(session: Session, *, instance_id: str, host: str, pid: int, now: datetime) -> None:
    """Record the instance as alive (again) at `now`."""
    now = as_utc(now)
    statement = insert(session, Instance).values(
        id=instance_id, host=host[:255], pid=pid, started_at=now, heartbeat_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Instance.id], set_={"heartbeat_at": statement.excluded.heartbeat_at}
        )
    )
    session.flush()


def heartbeat(session: Session, *, instance_id: str, now: datetime) -> bool:
    """Say the instance is alive at `now`; False if it is not registered (register it)."""
    result = session.execute(
        update(Instance).where(Instance.id == instance_id).values(heartbeat_at=as_utc(now))
    )
    return bool(result.rowcount)


def is_dead(owner: ColumnElement[str | None], now: datetime) -> ColumnElement[bool]:
    """A WHERE clause: true when `owner` names no instance that heartbeat within ALIVE_WITHIN.

    A NULL owner counts as dead (nobody holds the thing). Usable on any table, e.g.
    `update(Recommendation).where(is_dead(Recommendation.card_lease_owner, now))`.
    """
    return ~exists().where(Instance.id == owner, Instance.heartbeat_at >= _alive_since(now))


def live_ids(session: Session, *, now: datetime) -> list[str]:
    """The ids of the instances alive at `now`."""
    return list(
        session.scalars(
            select(Instance.id)
            .where(Instance.heartbeat_at >= _alive_since(now))
            .order_by(Instance.started_at)
        )
    )


def live(session: Session, *, now: datetime) -> list[Instance]:
    """The instances alive at `now`, oldest first."""
    return list(
        session.scalars(
            select(Instance)
            .where(Instance.heartbeat_at >= _alive_since(now))
            .order_by(Instance.started_at)
        )
    )


def forget(session: Session, *, instance_id: str) -> None:
    """Remove the instance (it stops cleanly): whatever it held is free at once."""
    session.execute(delete(Instance).where(Instance.id == instance_id))
    session.flush()


def prune(session: Session, *, now: datetime, older_than: timedelta = timedelta(days=1)) -> int:
    """Remove instances silent for longer than `older_than`; return how many."""
    result = session.execute(
        delete(Instance).where(Instance.heartbeat_at < as_utc(now) - older_than)
    )
    return int(result.rowcount)


def _alive_since(now: datetime) -> datetime:
    return as_utc(now) - ALIVE_WITHIN
