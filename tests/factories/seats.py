"""People with a confirmed delegation or an observer's seat, written directly (as the
participant list or `/wg seat` leave them: Person.delegation and Person.role)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from storage import people
from storage.models import Role
from storage.sessions import transaction


def seat(
    session: Session,
    user_id: str,
    delegation: str | None,
    *,
    role: Role = Role.DELEGATE,
    name: str | None = None,
) -> None:
    """Give a person a confirmed delegation (an observer: their organisation) and a role."""
    person = people.remember(session, user_id, name)
    person.delegation = delegation
    person.role = role.value
    if name:
        person.name = name
    session.flush()


def seat_all(factory: sessionmaker[Session], seats: dict[str, tuple[str, Role, str]]) -> None:
    """Seat several people at once: user id -> (delegation, role, name), committed."""
    with transaction(factory) as session:
        for user_id, (delegation, role, name) in seats.items():
            seat(session, user_id, delegation, role=role, name=name)
