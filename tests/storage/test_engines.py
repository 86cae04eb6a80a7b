"""Engine set-up: SQLite WAL, busy timeout and foreign keys; PostgreSQL pool pre-ping."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.engines import is_postgres, make_engine
from storage.sqlite_writer import SQLITE_BUSY_TIMEOUT_MS, WriterQueue


def test_sqlite_is_wal_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_sqlite_file_gets_its_directory_and_a_queued_connection(tmp_path):
    path = tmp_path / "nested" / "dir" / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert isinstance(dbapi, WriterQueue.of(str(path)).connection_class)
    assert path.parent.is_dir()
    engine.dispose()


def test_sqlite_enforces_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        connection.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO child VALUES (42)"))
    engine.dispose()


def test_postgres_pool_pre_pings():
    engine = make_engine("postgresql+psycopg://u@127.0.0.1:9/none")
    assert engine.pool._pre_ping is True
    assert is_postgres(engine)


def test_is_postgres_on_each_backend(engine):
    assert is_postgres(engine) == (engine.url.get_backend_name() == "postgresql")
    with engine.connect() as connection:
        version = connection.execute(
            text("SELECT version()" if is_postgres(engine) else "SELECT sqlite_version()")
        ).scalar_one()
    assert ("PostgreSQL" in version) == is_postgres(engine)
