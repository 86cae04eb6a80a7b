"""Export the whole record as JSON, and import it into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.schema import UniqueConstraint
from sqlalchemy.types import JSON, Boolean, DateTime, Float, Integer, String

from storage.concealed import conceal
from storage.contents import PLAYED, workshop_rows
from storage.models import (
    Amendment,
    AuditEntry,
    Base,
    Choice,
    Comment,
    Group,
    Objection,
    Participant,
    Person,
    Procedure,
    ProcessedRequest,
    Recommendation,
    Reservation,
    Revision,
    Role,
    Vote,
)
from storage.visibility import Ballots, Tallies

FORMAT = "rapporteur-export"
VERSION = 1
# In dependency order: parents first.
MODELS: tuple[type[Base], ...] = (
    Group,
    Person,
    Participant,  # the participant list, its rows matched to people or waiting
    Recommendation,
    Amendment,  # texts that evolve: amendments, then the versions some of them made
    Revision,
    Vote,
    Objection,
    Reservation,
    Comment,
    AuditEntry,
    ProcessedRequest,
)
# Values a column only takes from a fixed set (the schema stores them as plain strings).
CHOICES: dict[tuple[str, str], frozenset[str]] = {
    ("votes", "choice"): frozenset(choice.value for choice in Choice),
    ("people", "role"): frozenset(role.value for role in Role),
    ("participants", "role"): frozenset(role.value for role in Role),
    ("groups", "procedure"): frozenset(procedure.value for procedure in Procedure),
    ("groups", "tallies"): frozenset(t.value for t in Tallies),
    ("groups", "ballots"): frozenset(b.value for b in Ballots),
}
INT_RANGE = range(-(2**31), 2**31)  # PostgreSQL's integer


class ImportRefused(Exception):
    """The target database is not empty, or the file is not a well-formed export.

    The message says what is wrong and where, e.g. `tables.votes[0].recommendation_id: ...`.
    """


def export_record(session: Session) -> dict[str, Any]:
    """Every row of every table, as JSON-ready data (secret ballots unlinked from voters)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in MODELS:
        columns = list(model.__table__.columns)
        rows = []
        for obj in session.scalars(select(model).order_by(*model.__table__.primary_key.columns)):
            rows.append({c.key: _dump(getattr(obj, c.key)) for c in columns})
        tables[model.__tablename__] = rows
    conceal(session, tables)  # secret ballots: no vote linked to its voter (storage.concealed)
    return {"format": FORMAT, "version": VERSION, "tables": tables}


def import_record(session: Session, data: Any) -> dict[str, int]:
    """Restore an export into an empty database; returns rows per table.

    Raises ImportRefused, before writing anything, if the data is not a well-formed export
    (every row is checked: keys, types, references, duplicates) or the database holds
    recommendations, votes or people already (the seeded groups alone are replaced). The
    caller owns the transaction, so a refusal leaves the database as it was.
    """
    tables = _checked_tables(data)
    held = workshop_rows(session)
    for model in PLAYED:
        if model.__tablename__ in held:
            raise ImportRefused(f"the database is not empty ({model.__tablename__} has rows)")
    session.execute(Group.__table__.delete())
    counts = {}
    for model in MODELS:
        name = model.__tablename__
        values = tables[name]
        if values:
            try:
                session.execute(model.__table__.insert(), values)
            except (IntegrityError, DataError) as error:
                reason = str(error.orig or error).strip().splitlines()[0]
                raise ImportRefused(
                    f"tables.{name}: the database refused the rows: {reason}"
                ) from None
        counts[name] = len(values)
    session.flush()
    _reset_sequences(session)
    return counts


def _checked_tables(data: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows to insert per table, loaded and checked; raises ImportRefused."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused("not a Rapporteur export (format field missing)")
    if data.get("version") != VERSION:
        raise ImportRefused(f"unsupported export version {data.get('version')!r}")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ImportRefused(f"tables: expected an object of tables, got {_kind(tables)}")
    known = {model.__tablename__ for model in MODELS}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise ImportRefused(
            f"tables.{unknown[0]}: not a table; expected {', '.join(sorted(known))}"
        )
    loaded: dict[str, list[dict[str, Any]]] = {}
    for model in MODELS:
        name = model.__tablename__
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            raise ImportRefused(f"tables.{name}: expected a list of rows, got {_kind(rows)}")
        columns = {c.key: c for c in model.__table__.columns}
        loaded[name] = [
            _checked_row(name, columns, f"tables.{name}[{i}]", row) for i, row in enumerate(rows)
        ]
        _check_unique(model, loaded[name])
        _check_references(model, loaded)
    return loaded


def _checked_row(
    table: str, columns: dict[str, Column[Any]], where: str, row: Any
) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ImportRefused(f"{where}: expected an object, got {_kind(row)}")
    extra = sorted(set(row) - set(columns))
    if extra:
        raise ImportRefused(f"{where}: unknown key {extra[0]!r}")
    values = {}
    for key, column in columns.items():
        if key not in row and not column.nullable:
            raise ImportRefused(f"{where}: missing key {key!r}")
        value = row.get(key)
        problem = _problem(table, column, value)
        if problem:
            raise ImportRefused(f"{where}.{key}: {problem}")
        values[key] = _load(column, value)
    return values


def _problem(table: str, column: Column[Any], value: Any) -> str | None:
    """What is wrong with a value for this column, or None."""
    if value is None:
        return None if column.nullable else "must not be null"
    kind = column.type
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else f"expected true or false, got {_kind(value)}"
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an integer, got {_kind(value)}"
        return None if value in INT_RANGE else f"integer {value} is out of range"
    if isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {_kind(value)}"
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            return f"expected an ISO date and time, got {_kind(value)}"
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"not an ISO date and time: {value[:40]!r}"
        return None
    if isinstance(kind, JSON):
        return None if isinstance(value, dict) else f"expected an object, got {_kind(value)}"
    if isinstance(kind, String):
        if not isinstance(value, str):
            return f"expected a string, got {_kind(value)}"
        if kind.length is not None and len(value) > kind.length:
            return f"longer than {kind.length} characters"
        if "\x00" in value:
            return "contains a NUL character"
        allowed = CHOICES.get((table, column.key))
        if allowed is not None and value not in allowed:
            return f"{value[:40]!r} is not one of {', '.join(sorted(allowed))}"
    return None


def _check_unique(model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Refuse two rows with the same primary key or unique values."""
    table = model.__table__
    keys = [tuple(c.key for c in table.primary_key.columns)]
    keys += [
        tuple(c.key for c in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    for columns in keys:
        seen: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(rows):
            value = tuple(row[c] for c in columns)
            if None in value:
                continue
            if value in seen:
                shown = ", ".join(f"{c}={v!r}" for c, v in zip(columns, value, strict=True))
                raise ImportRefused(f"tables.{table.name}[{i}]: {shown} repeats row {seen[value]}")
            seen[value] = i


def _check_references(model: type[Base], loaded: dict[str, list[dict[str, Any]]]) -> None:
    """Refuse a row that refers to a row the export does not hold (parents come first)."""
    table = model.__table__
    for foreign_key in table.foreign_keys:
        column, target = foreign_key.parent.key, foreign_key.column
        present = {row[target.key] for row in loaded[target.table.name]}
        for i, row in enumerate(loaded[table.name]):
            value = row[column]
            if value is not None and value not in present:
                raise ImportRefused(
                    f"tables.{table.name}[{i}].{column}: no {target.table.name} row "
                    f"with {target.key} {value!r}"
                )


def _kind(value: Any) -> str:
    """A JSON value's type, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; everything is stored in UTC.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return value


def _load(column: Any, value: Any) -> Any:
    if value is not None and isinstance(column.type, DateTime) and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored in UTC
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
