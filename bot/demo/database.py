"""The database the demo is given: where it is, and that it holds no workshop yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.demo.errors import DemoError
from storage.contents import workshop_rows
from storage.urls import check_database_url

CONNECT_TIMEOUT = 10


def prepare_database(url: str, base: Path) -> str:
    """The URL the app is to use: a relative SQLite path made absolute against `base`.

    Raises DemoError if the app cannot use the URL or the database already holds a
    workshop. Changes nothing in the database.
    """
    try:
        url = check_database_url(url)
    except ValueError as error:
        raise DemoError(f"DATABASE_URL: {error}") from None
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        parsed = _absolute_sqlite(parsed, base)
    _require_empty(parsed)
    return parsed.render_as_string(hide_password=False)


def _absolute_sqlite(url: URL, base: Path) -> URL:
    # The app runs in a temporary folder: a relative file would be created, and deleted, there.
    database = url.database or ""
    if database.startswith("file:") or Path(database).is_absolute():
        return url
    return url.set(database=str((base / database).resolve()))


def _require_empty(url: URL) -> None:
    """Raise DemoError if the database holds a workshop; a database not there yet is empty."""
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if not path.startswith("file:") and not Path(path).exists():
            return
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    try:
        engine = create_engine(url, connect_args=connect_args)
    except (ArgumentError, ImportError):  # e.g. a driver that is not installed
        return  # the app says so, in its own words, when it starts
    try:
        with Session(engine) as session:
            played = _played(session)
    except SQLAlchemyError:
        return  # unreachable, or not a database: the app says so too
    finally:
        engine.dispose()
    if played:
        raise DemoError(
            f"the database at DATABASE_URL ({url}) already holds a workshop "
            f"({', '.join(played)}); the demo needs an empty database. Leave DATABASE_URL "
            "unset for a temporary one, or point it at a new file (e.g. sqlite:///demo-2.db) "
            "or an empty PostgreSQL database."
        )


def _played(session: Session) -> list[str]:
    """What the database holds that a replay of the demo would trip over, e.g. '22 votes'."""
    labels = {"audit_log": "audit log entries", "groups": "groups linked, appointed or closed"}
    return [f"{rows} {labels.get(table, table)}" for table, rows in workshop_rows(session).items()]
