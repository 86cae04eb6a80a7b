"""Dialect-specific statements shared by the operations (SQLite and PostgreSQL)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_of(session: Session) -> str:
    """The session's database: "postgresql" or "sqlite"."""
    return str(session.get_bind().dialect.name)


def insert_for(dialect: str, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on that database."""
    construct = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return construct(table)


def insert(session: Session, table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on the session's database."""
    return insert_for(dialect_of(session), table)


def one_round_trip(connection: Connection) -> AbstractContextManager[Any]:
    """Send the statements inside to PostgreSQL together, and wait once for all of them.

    psycopg writes an executemany as a pipeline of its own and waits for it; inside an
    outer pipeline several writes ride one, so they pay one round trip instead of one each
    (the vote batch's three writes: storage.votes). Only for statements whose results
    nobody reads inside the block (inserts `inline()`, no RETURNING). An error still raises,
    at the latest when the block ends. SQLite is in-process: nothing to save there; nor is
    there with a libpq older than 14, which has no pipeline mode.
    """
    driver = connection.connection.driver_connection
    pipeline = getattr(driver, "pipeline", None)
    if pipeline is None or not _pipeline_mode():
        return nullcontext()
    return pipeline()


@cache
def _pipeline_mode() -> bool:
    """Whether psycopg's libpq can pipeline (14 and newer; the binary wheels bundle one)."""
    try:
        from psycopg import Pipeline
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return bool(Pipeline.is_supported())
