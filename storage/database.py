"""Engines, sessions, schema upgrades and the seeded groups."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE_PATH = Path("storage") / "rapporteur.db"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Execution option of the engine a read-only snapshot uses: its BEGIN is not queued.
READ_ONLY = "rapporteur_read_only"
MIGRATIONS = Path(__file__).with_name("migrations")
DATABASE_URL_FORMS = "sqlite:///path/to/file.db or postgresql+psycopg://user:pass@host/db"


def default_database_url() -> str:
    """The embedded default: an SQLite file under storage/ in the working directory."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def check_database_url(url: str) -> str:
    """Return the URL if Rapporteur can use it: an SQLite file, or PostgreSQL via psycopg 3.

    `postgres://…` (as many hosting providers give it) and a bare `postgresql://…` come back
    as `postgresql+psycopg://…`, whichever driver this SQLAlchemy release would default to.

    Raises ValueError saying what is expected. The message never repeats the URL, which
    may hold a password; at most its scheme.
    """
    for short in ("postgres://", "postgresql://"):
        if url.startswith(short):
            url = "postgresql+psycopg://" + url.removeprefix(short)
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):
        raise ValueError(f"not a database URL; expected {DATABASE_URL_FORMS}") from None
    backend = parsed.drivername.partition("+")[0]
    if backend == "postgresql" and parsed.get_driver_name() == "psycopg":
        return url
    if backend == "sqlite" and parsed.get_driver_name() == "pysqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError(f"an SQLite URL needs a file; expected {DATABASE_URL_FORMS}")
        return url
    raise ValueError(f"{parsed.drivername}:// is not supported; expected {DATABASE_URL_FORMS}")


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


class WriterQueue:
    """The writers of one SQLite file, queued in the kernel instead of polling.

    SQLite's busy handler retries a locked database with sleeps growing to 100 ms, so in a
    burst of clicks a writer can wait seconds although the lock is free most of that time.
    Every transaction here (they all BEGIN IMMEDIATE) first takes this lock instead: a thread
    lock within the process, then an exclusive flock on `<database>-writer.lock` shared by
    all processes. A waiter wakes the moment the holder commits or rolls back; the kernel
    drops the flock of a process that dies. SQLite's busy timeout stays as the fallback for
    anything else opening the file.
    """

    def __init__(self, lock_path: str, timeout: float) -> None:
        self.lock_path = lock_path
        self.timeout = timeout
        self._mutex = threading.Lock()
        self._fd: int | None = None
        self.connection_class = self._connection_class()

    @classmethod
    def of(cls, database: str) -> WriterQueue:
        """The queue of a database file, shared by every engine on it in this process."""
        lock_path = os.path.realpath(database) + "-writer.lock"
        with _QUEUES_LOCK:
            queue = _QUEUES.get(lock_path)
            if queue is None:
                queue = _QUEUES[lock_path] = cls(lock_path, SQLITE_BUSY_TIMEOUT_MS / 1000)
            return queue

    def _after_fork(self) -> None:
        # The child needs its own thread lock and its own open file: a flock belongs to the
        # open file, which parent and child would otherwise share.
        self._mutex = threading.Lock()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def acquire(self) -> None:
        """Wait for the write slot; raises sqlite3.OperationalError after the busy timeout."""
        deadline = time.monotonic() + self.timeout
        if not self._mutex.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._fd is None:
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            # Only one thread per process gets here, so polling the cross-process lock is
            # cheap; it keeps the wait bounded like SQLite's own busy timeout.
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(0.0005)
        except BaseException:
            self._mutex.release()
            raise

    def release(self) -> None:
        """Hand the write slot to the next waiter."""
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def _connection_class(self) -> type[sqlite3.Connection]:
        """A sqlite3 connection class that frees the slot whenever its transaction ends."""
        queue = self

        class QueuedConnection(sqlite3.Connection):
            holds_slot = False

            def begin_immediate(self) -> None:
                queue.acquire()
                self.holds_slot = True
                try:
                    self.execute("BEGIN IMMEDIATE")
                except BaseException:
                    self._end()
                    raise

            def commit(self) -> None:
                try:
                    super().commit()
                finally:
                    self._end()

            def rollback(self) -> None:
                try:
                    super().rollback()
                finally:
                    self._end()

            def close(self) -> None:
                try:
                    super().close()  # SQLite rolls back whatever was open
                finally:
                    self._end(closed=True)

            def _end(self, closed: bool = False) -> None:
                if self.holds_slot and (closed or not self._in_transaction()):
                    self.holds_slot = False
                    queue.release()

            def _in_transaction(self) -> bool:
                try:
                    return self.in_transaction
                except sqlite3.ProgrammingError:  # closed
                    return False

        return QueuedConnection


_QUEUES: weakref.WeakValueDictionary[str, WriterQueue] = weakref.WeakValueDictionary()
_QUEUES_LOCK = threading.Lock()


def _reset_queues_after_fork() -> None:
    global _QUEUES_LOCK
    _QUEUES_LOCK = threading.Lock()
    for queue in list(_QUEUES.values()):
        queue._after_fork()


os.register_at_fork(after_in_child=_reset_queues_after_fork)


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
    of the queued BEGIN IMMEDIATE of every other transaction (the record of a large
    workshop takes seconds to read; votes must not queue behind it). PostgreSQL:
    REPEATABLE READ, READ ONLY. Nothing is committed; whatever was written is rolled back.
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


def is_postgres(engine: Engine) -> bool:
    """Whether the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic configuration bound to this engine's URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, one instance at a time, then seed the groups."""
    from alembic import command

    with engine.connect() as connection:
        if is_postgres(engine):
            # Several instances may start at once: migrate under an advisory lock.
            connection.execute(text("SELECT pg_advisory_lock(727274)"))
            connection.commit()
        try:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if is_postgres(engine):
                connection.execute(text("SELECT pg_advisory_unlock(727274)"))
                connection.commit()
    if revision == "head":
        from storage.groups import seed_groups

        with transaction(make_session_factory(engine)) as session:
            seed_groups(session)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema down to `revision` (e.g. "base")."""
    from alembic import command

    with engine.connect() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None if it has none."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
