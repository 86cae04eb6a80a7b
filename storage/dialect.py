"""Dialect-specific statements shared by the operations (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

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
