"""Export the whole record as JSON, and import it into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime

from storage.models import AuditEntry, Base, Group, Person, ProcessedRequest, Recommendation, Vote

FORMAT = "rapporteur-export"
VERSION = 1
# In dependency order: parents first.
MODELS: tuple[type[Base], ...] = (Group, Person, Recommendation, Vote, AuditEntry, ProcessedRequest)


class ImportRefused(Exception):
    """The target database is not empty, or the file is not an export."""


def export_record(session: Session) -> dict[str, Any]:
    """Every row of every table, as JSON-ready data."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in MODELS:
        columns = list(model.__table__.columns)
        rows = []
        for obj in session.scalars(select(model).order_by(*model.__table__.primary_key.columns)):
            rows.append({c.key: _dump(getattr(obj, c.key)) for c in columns})
        tables[model.__tablename__] = rows
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def import_record(session: Session, data: dict[str, Any]) -> dict[str, int]:
    """Restore an export into an empty database; returns rows per table.

    Raises ImportRefused if the data is not an export or the database holds recommendations,
    votes or people already (the seeded groups alone are replaced).
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused("not a Rapporteur export (format field missing)")
    if data.get("version") != VERSION:
        raise ImportRefused(f"unsupported export version {data.get('version')!r}")
    for model in (Recommendation, Vote, Person, AuditEntry):
        if session.scalar(select(func.count()).select_from(model)):
            raise ImportRefused(f"the database is not empty ({model.__tablename__} has rows)")
    session.execute(Group.__table__.delete())
    counts = {}
    tables = data.get("tables") or {}
    for model in MODELS:
        rows = tables.get(model.__tablename__) or []
        columns = {c.key: c for c in model.__table__.columns}
        values = [
            {key: _load(columns[key], value) for key, value in row.items() if key in columns}
            for row in rows
        ]
        if values:
            session.execute(model.__table__.insert(), values)
        counts[model.__tablename__] = len(values)
    session.flush()
    _reset_sequences(session)
    return counts


def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; everything is stored in UTC.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return value


def _load(column: Any, value: Any) -> Any:
    if value is not None and isinstance(column.type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: move id sequences past the imported ids."""
    if session.bind.dialect.name != "postgresql":
        return
    for model in MODELS:
        table = model.__table__
        id_column = table.columns.get("id")
        if id_column is None or not isinstance(id_column.type.python_type, type):
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
