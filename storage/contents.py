"""What a database already holds of a workshop: for commands that need an empty one."""

from __future__ import annotations

from sqlalchemy import false, func, inspect, or_, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Base, Group, Person, Recommendation, Vote

# The rows a workshop leaves behind; the four seeded groups alone are not a workshop.
PLAYED: tuple[type[Base], ...] = (Recommendation, Vote, Person, AuditEntry)


def workshop_rows(session: Session) -> dict[str, int]:
    """Rows per table that show a workshop took place here ('groups' counts the groups in use:
    linked, appointed or closed). Tables not created yet count as empty; empty ones are left out.
    """
    tables = set(inspect(session.connection()).get_table_names())
    found: dict[str, int] = {}
    for model in PLAYED:
        if model.__tablename__ not in tables:
            continue
        if rows := session.scalar(select(func.count()).select_from(model)):
            found[model.__tablename__] = rows
    if Group.__tablename__ in tables:
        in_use = or_(
            Group.channel_id.is_not(None),
            Group.rapporteur_user_id.is_not(None),
            Group.is_open == false(),
        )
        if rows := session.scalar(select(func.count()).select_from(Group).where(in_use)):
            found[Group.__tablename__] = rows
    return found
