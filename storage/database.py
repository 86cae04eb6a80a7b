"""Former home of engines, sessions and migrations; now only re-exports their new modules."""

# temporary: re-exports until imports are rewritten
from storage.engines import READ_ONLY, is_postgres, make_engine
from storage.schema import MIGRATIONS, alembic_config, current_revision, downgrade, upgrade
from storage.sessions import make_session_factory, snapshot, transaction
from storage.sqlite_writer import SQLITE_BUSY_TIMEOUT_MS, WriterQueue
from storage.urls import (
    DATABASE_URL_FORMS,
    DEFAULT_SQLITE_PATH,
    check_database_url,
    default_database_url,
)

__all__ = [
    "DATABASE_URL_FORMS",
    "DEFAULT_SQLITE_PATH",
    "MIGRATIONS",
    "READ_ONLY",
    "SQLITE_BUSY_TIMEOUT_MS",
    "WriterQueue",
    "alembic_config",
    "check_database_url",
    "current_revision",
    "default_database_url",
    "downgrade",
    "is_postgres",
    "make_engine",
    "make_session_factory",
    "snapshot",
    "transaction",
    "upgrade",
]
