"""The database URLs Rapporteur accepts, and its embedded default."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import exc
from sqlalchemy.engine import make_url

DEFAULT_SQLITE_PATH = Path("storage") / "rapporteur.db"
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
