"""Engines tuned for their dialect: SQLite in WAL with queued writers, PostgreSQL pre-pinged."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from storage.sqlite_writer import SQLITE_BUSY_TIMEOUT_MS, WriterQueue

# Execution option of the engine a read-only snapshot uses: its BEGIN is not queued.
READ_ONLY = "rapporteur_read_only"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine tuned for the dialect (SQLite WAL + queued writers; PG pre-ping)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args: dict[str, Any] = {
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            "check_same_thread": False,
        }
        queue = None
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            queue = WriterQueue.of(parsed.database)
            connect_args["factory"] = queue.connection_class
        engine = create_engine(
            url, connect_args=connect_args, pool_size=pool_size, max_overflow=2 * pool_size
        )
        _tune_sqlite(engine, queue)
        return engine
    # pre-ping: a connection dropped by a database restart or a firewall is replaced at
    # checkout instead of failing a delegate's click.
    return create_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800
    )


def is_postgres(engine: Engine) -> bool:
    """Whether the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def _tune_sqlite(engine: Engine, queue: WriterQueue | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy issue BEGIN so that writes take the lock up front (no upgrade deadlock).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get(READ_ONLY):
            # WAL: a reader sees the state of its first read and neither waits for the
            # writer nor holds it up, so it takes no place in the writers' queue.
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        if queue is None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        try:
            connection.connection.dbapi_connection.begin_immediate()
        except sqlite3.Error as error:
            raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
