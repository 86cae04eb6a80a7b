"""Operations on people: their delegation and the name the app shows."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.countries import normalize_code
from storage.dialect import insert
from storage.limits import NAME_MAX
from storage.models import Person, utcnow


def remember(session: Session, user_id: str, name: str | None) -> Person:
    """Return the person, creating them race-free across instances; keep the first name seen."""
    person = session.get(Person, user_id)
    if person is None:
        session.execute(
            insert(session, Person)
            .values(user_id=user_id, name=(name or None) and name[:NAME_MAX], updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        person = session.get(Person, user_id, populate_existing=True)
        assert person is not None
    elif name and not person.name:
        person.name = name[:NAME_MAX]
    return person


def rename(session: Session, user_id: str, name: str) -> None:
    """Store the person's full name as Slack's profile gives it (it wins over handles)."""
    person = remember(session, user_id, None)
    if name.strip():
        person.name = name.strip()[:NAME_MAX]
    session.flush()


def set_country(session: Session, *, actor: Actor, code: str) -> Person:
    """Set the actor's delegation (ISO 3166 alpha-2); raises UnknownCountry."""
    normalized = normalize_code(code)
    person = remember(session, actor.user_id, actor.name)
    previous = person.country_code
    person.country_code = normalized
    person.updated_at = utcnow()
    audit.record(session, actor=actor, action="country", target=normalized, previous=previous)
    session.flush()
    return person


def country_of(session: Session, user_id: str) -> str | None:
    """The person's delegation code, if set."""
    person = session.get(Person, user_id)
    return person.country_code if person else None
