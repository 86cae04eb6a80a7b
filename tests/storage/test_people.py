"""People: remembered once with the first name seen, their delegation, their display name."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage import audit, people
from storage.errors import UnknownCountry
from storage.limits import NAME_MAX
from storage.models import Person
from storage.people import Seen
from tests.factories import delegate


def _stored(session, user_id: str) -> tuple[str | None, str | None]:
    """(name, country_code) as stored, read past the session's identity map."""
    row = session.execute(
        select(Person.name, Person.country_code).where(Person.user_id == user_id)
    ).one()
    return row.name, row.country_code


def test_remember_keeps_the_first_name_seen(session):
    people.remember(session, "UP1", "First")
    people.remember(session, "UP1", "Second")
    session.flush()
    assert _stored(session, "UP1") == ("First", None)
    assert session.scalar(select(func.count()).select_from(Person)) == 1


def test_remember_fills_in_a_missing_name(session):
    people.remember(session, "UP1", None)
    people.remember(session, "UP1", "Later")
    session.flush()
    assert _stored(session, "UP1") == ("Later", None)


def test_remember_shortens_a_long_name(session):
    people.remember(session, "UP1", "x" * (NAME_MAX + 5))
    session.flush()
    assert _stored(session, "UP1")[0] == "x" * NAME_MAX


def test_rename_overrides_the_name_and_ignores_blanks(session):
    people.remember(session, "UP1", "handle")
    people.rename(session, "UP1", "  Dr. Full Name  ")
    assert _stored(session, "UP1")[0] == "Dr. Full Name"
    people.rename(session, "UP1", "   ")
    assert _stored(session, "UP1")[0] == "Dr. Full Name"
    people.rename(session, "UNEW", "Newcomer")
    assert _stored(session, "UNEW")[0] == "Newcomer"


def test_set_country_stores_the_code_and_audits_the_change(session):
    actor = delegate("UP1")
    people.set_country(session, actor=actor, code=" vn ")
    people.set_country(session, actor=actor, code="KH")
    assert _stored(session, "UP1") == (actor.name, "KH")
    assert people.country_of(session, "UP1") == "KH"
    trail = [(e.action, e.target, e.detail) for e in audit.entries(session)]
    assert trail == [
        ("country", "VN", {"previous": None}),
        ("country", "KH", {"previous": "VN"}),
    ]


@pytest.mark.parametrize("code", ["XX", "VNM", "V1", ""])
def test_set_country_refuses_an_unknown_code(session, code):
    with pytest.raises(UnknownCountry):
        people.set_country(session, actor=delegate("UP1"), code=code)
    assert people.country_of(session, "UP1") is None


def test_country_of_a_stranger_is_none(session):
    assert people.country_of(session, "UNOBODY") is None


def test_remember_voters_adds_newcomers_and_returns_delegations(session):
    people.set_country(session, actor=delegate("UKNOWN"), code="TH")
    people.remember(session, "UNAMELESS", None)
    session.flush()
    seen = {"UKNOWN": Seen("Delegate UKNOWN", "TH"), "UNAMELESS": Seen(None, None)}
    names = {"UKNOWN": "Ignored", "UNAMELESS": "Now Named", "UNEW": "New One"}

    delegations = people.remember_voters(session, names, seen)

    assert delegations == {"UKNOWN": "TH", "UNAMELESS": None, "UNEW": None}
    assert _stored(session, "UKNOWN") == ("Delegate UKNOWN", "TH")
    assert _stored(session, "UNAMELESS") == ("Now Named", None)
    assert _stored(session, "UNEW") == ("New One", None)
    assert session.get(Person, "UNAMELESS").name == "Now Named"  # the held object follows


def test_remember_voters_reads_back_a_newcomer_added_meanwhile(session):
    people.set_country(session, actor=delegate("URACE"), code="PH")
    session.flush()
    # The caller's read missed URACE (another instance added it since): still no duplicate.
    delegations = people.remember_voters(session, {"URACE": "Other Name"}, {})
    assert delegations == {"URACE": "PH"}
    assert _stored(session, "URACE") == ("Delegate URACE", "PH")
