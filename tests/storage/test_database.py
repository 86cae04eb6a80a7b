"""Engine set-up: SQLite WAL and busy timeout, PostgreSQL pool pre-ping, bounded writer waits."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text

from storage.database import WriterQueue, make_engine


def test_sqlite_is_wal_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_postgres_pool_pre_pings():
    engine = make_engine("postgresql+psycopg://u@127.0.0.1:9/none")
    assert engine.pool._pre_ping is True


def test_writer_wait_is_bounded(tmp_path):
    path = str(tmp_path / "w.db")
    holder = WriterQueue(path + "-writer.lock", timeout=0.2)
    waiter = WriterQueue(path + "-writer.lock", timeout=0.2)  # as another process would
    holder.acquire()
    try:
        outcome: list[BaseException] = []
        thread = threading.Thread(target=lambda: _try(waiter, outcome))
        thread.start()
        thread.join(5)
        assert not thread.is_alive()
        assert isinstance(outcome[0], sqlite3.OperationalError)
    finally:
        holder.release()
    waiter.acquire()  # free again: the slot is handed over
    waiter.release()


def _try(queue: WriterQueue, outcome: list[BaseException]) -> None:
    try:
        queue.acquire()
    except BaseException as error:
        outcome.append(error)
    else:
        queue.release()
        outcome.append(AssertionError("acquired a held slot"))
