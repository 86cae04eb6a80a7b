"""Sessions and units of work: a transaction that commits or rolls back, a read-only snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.engines import READ_ONLY, is_postgres


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def snapshot(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only unit of work: every query sees one state, and no writer waits for it.

    For long reads such as the outcome document's record. SQLite: a deferred BEGIN instead
    of the queued BEGIN IMMEDIATE of every other transaction (votes must not queue behind a
    long read). PostgreSQL: REPEATABLE READ, READ ONLY. Nothing is committed; whatever was
    written is rolled back.
    """
    engine = factory.kw["bind"]
    options: dict[str, Any] = {READ_ONLY: True}
    if is_postgres(engine):
        options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    session = factory(bind=engine.execution_options(**options))
    try:
        yield session
    finally:
        session.close()
