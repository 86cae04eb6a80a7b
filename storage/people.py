"""Operations on people: their delegation and the name the app shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.countries import country_name, normalize_code
from storage.dialect import dialect_of, insert, insert_for
from storage.errors import DelegationConfirmed
from storage.limits import NAME_MAX
from storage.models import Participant, Person, Role, utcnow


def remember(session: Session, user_id: str, name: str | None) -> Person:
    """Return the person, creating them race-free across instances; keep the first name seen."""
    person = session.get(Person, user_id)
    if person is None:
        session.execute(
            insert(session, Person)
            .values(user_id=user_id, name=_short(name), updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        person = session.get(Person, user_id, populate_existing=True)
        assert person is not None
    elif name and not person.name:
        person.name = _short(name)
    return person


@dataclass(frozen=True)
class Seen:
    """What a caller's own query already read about a person who exists."""

    name: str | None = None
    country_code: str | None = None


_PEOPLE = Person.__table__
_NAME_IF_NONE = (
    update(_PEOPLE)
    .where(
        # Not named after the columns: SQLAlchemy reserves those names for SET values.
        _PEOPLE.c.user_id == bindparam("b_user_id"),
        or_(_PEOPLE.c.name.is_(None), _PEOPLE.c.name == ""),
    )
    .values(name=bindparam("b_name"))
)


def remember_voters(
    session: Session, names: dict[str, str | None], seen: dict[str, Seen]
) -> dict[str, str | None]:
    """`remember` for many voters at once, in plain statements; returns their delegations.

    `names` maps user id to the name Slack sent; `seen` holds what the caller read for the
    people who exist. Costs nothing when everyone is known and named; otherwise one
    statement adds the newcomers (race-free across instances) and one reads their
    delegations back, and one fills in missing names.
    """
    delegations = {user_id: person.country_code for user_id, person in seen.items()}
    connection = session.connection()
    newcomers = sorted(user_id for user_id in names if user_id not in seen)
    if newcomers:
        now = utcnow()
        connection.execute(
            _add_person(dialect_of(session)),
            [{"user_id": u, "name": _short(names[u]), "at": now} for u in newcomers],
        )
        rows = connection.execute(_DELEGATIONS, {"user_ids": newcomers})
        delegations.update({row.user_id: row.country_code for row in rows})
    unnamed = sorted(u for u, person in seen.items() if names.get(u) and not person.name)
    if unnamed:
        connection.execute(
            _NAME_IF_NONE, [{"b_user_id": u, "b_name": _short(names[u])} for u in unnamed]
        )
        for user_id in unnamed:
            _expire(session, user_id, "name")
    return delegations


def _short(name: str | None) -> str | None:
    return (name or None) and name[:NAME_MAX]


_DELEGATIONS = select(_PEOPLE.c.user_id, _PEOPLE.c.country_code).where(
    _PEOPLE.c.user_id.in_(bindparam("user_ids", expanding=True))
)


@cache
def _add_person(dialect: str) -> Any:
    return (
        insert_for(dialect, _PEOPLE)
        .values(user_id=bindparam("user_id"), name=bindparam("name"), updated_at=bindparam("at"))
        .on_conflict_do_nothing(index_elements=["user_id"])
    )


def _expire(session: Session, user_id: str, *fields: str) -> None:
    """Keep a Person this session already holds in step with a plain UPDATE."""
    person = session.identity_map.get(session.identity_key(Person, user_id))  # type: ignore[arg-type]
    if person is not None:
        session.expire(person, list(fields))


def rename(session: Session, user_id: str, name: str) -> None:
    """Store the person's full name as Slack's profile gives it (it wins over handles, but
    not over the name the participant list gives them)."""
    person = remember(session, user_id, None)
    if name.strip() and not _listed_by_name(session, user_id):
        person.name = name.strip()[:NAME_MAX]
    session.flush()


def _listed_by_name(session: Session, user_id: str) -> bool:
    name = session.scalar(select(Participant.name).where(Participant.user_id == user_id))
    return bool(name and name.strip())


def set_country(session: Session, *, actor: Actor, code: str) -> Person:
    """Set the actor's delegation (ISO 3166 alpha-2).

    Raises UnknownCountry; DelegationConfirmed if the participant list (or `/wg seat`) gives
    the person another delegation (their own code again is fine).
    """
    normalized = normalize_code(code)
    person = remember(session, actor.user_id, actor.name)
    if person.delegation is not None and (
        person.role == Role.OBSERVER.value or person.delegation != normalized
    ):
        raise DelegationConfirmed(
            delegation=_delegation_name(person.delegation, person.role),
            code=person.delegation,
            role=person.role or Role.DELEGATE.value,
        )
    previous = person.country_code
    person.country_code = normalized
    person.updated_at = utcnow()
    audit.record(session, actor=actor, action="country", target=normalized, previous=previous)
    session.flush()
    return person


def _delegation_name(delegation: str, role: str | None) -> str:
    """A State's name (`Thailand`), or an observer's organisation as listed."""
    return delegation if role == Role.OBSERVER.value else country_name(delegation)


def country_of(session: Session, user_id: str) -> str | None:
    """The person's delegation code, if set."""
    person = session.get(Person, user_id)
    return person.country_code if person else None
