"""Who is reminded before a deadline, per procedure; and each person once per deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from storage import reminders, votes
from storage.models import Choice, Comment, Group, Participant, Person, Role
from tests.factories import delegate, linked_group, submitted

DEADLINE = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def seated(
    session: Session,
    user_id: str,
    delegation: str,
    *,
    role: Role = Role.DELEGATE,
    group: str | None = "e-evidence",
) -> None:
    """A matched participant with a confirmed delegation (as the participant list leaves it)."""
    session.add(
        Participant(
            email=f"{user_id.lower()}@example.org",
            name=f"Name {user_id}",
            delegation=delegation,
            role=role.value,
            group_key=group,
            user_id=user_id,
        )
    )
    person = session.get(Person, user_id) or Person(user_id=user_id)
    person.delegation, person.role = delegation, role.value
    session.add(person)
    session.flush()


def procedure(session: Session, value: str | None) -> None:
    session.query(Group).filter(Group.key == "e-evidence").one().procedure = value
    session.flush()


def vote(session: Session, user_id: str, rec_id: int, choice: Choice = Choice.SUPPORT) -> None:
    votes.cast(session, actor=delegate(user_id), recommendation_id=rec_id, choice=choice)


def due(session: Session, default: str = "vote") -> dict[str, list[str]]:
    found = reminders.due(
        session, group_key="e-evidence", deadline_at=DEADLINE, default_procedure=default
    )
    return {r.user_id: [rec.number for rec in r.recommendations] for r in found}


def test_by_vote_everyone_of_the_group_is_reminded_of_what_they_have_not_voted_on(session):
    linked_group(session)
    first = submitted(session, delegate("UAUTHOR"), text="Designate 24/7 contact points")
    second = submitted(session, delegate("UAUTHOR"), text="Share templates")
    seated(session, "ULISTED", "VN")  # on the list for this group, silent so far
    seated(session, "UEVERY", "TH", group=None)  # on the list for every group
    seated(session, "UOTHER", "KH", group="victim-protection")  # another group's
    session.add(Participant(email="x@example.org", name="X", delegation="LA"))  # not matched
    vote(session, "UVOTER", first.id)
    vote(session, "UDONE", first.id)
    vote(session, "UDONE", second.id, Choice.ABSTAIN)
    session.add(
        Comment(
            recommendation_id=second.id, channel_id="CEE", ts="1.1", user_id="UTALK", text="Why?"
        )
    )
    session.flush()
    assert due(session) == {
        "UAUTHOR": ["EE-1", "EE-2"],
        "ULISTED": ["EE-1", "EE-2"],
        "UEVERY": ["EE-1", "EE-2"],
        "UVOTER": ["EE-2"],
        "UTALK": ["EE-1", "EE-2"],
    }


def test_open_recommendations_carry_where_their_card_is_and_their_words(session):
    linked_group(session)
    rec = submitted(session, delegate("UAUTHOR"), text="Designate 24/7 contact points")
    rec.channel_id, rec.message_ts = "CEE", "1700000000.000100"
    session.flush()
    (reminder,) = reminders.due(
        session, group_key="e-evidence", deadline_at=DEADLINE, default_procedure="vote"
    )
    (item,) = reminder.recommendations
    assert (item.number, item.text, item.title) == ("EE-1", "Designate 24/7 contact points", None)
    assert (item.channel_id, item.message_ts) == ("CEE", "1700000000.000100")


def test_observers_are_never_reminded(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"))
    seated(session, "UOBS", "INTERPOL", role=Role.OBSERVER)
    assert "UOBS" not in due(session)
    assert "UAUTHOR" in due(session)


def test_by_delegation_a_delegation_that_voted_is_complete_for_its_delegates(session):
    linked_group(session)
    procedure(session, "delegation")
    first = submitted(session, delegate("UAUTHOR"), text="First")
    second = submitted(session, delegate("UAUTHOR"), text="Second")
    seated(session, "UVN1", "VN")
    seated(session, "UVN2", "VN")
    seated(session, "UTH1", "TH")
    seated(session, "UAUTHOR", "KH")
    vote(session, "UVN1", first.id)  # Viet Nam's ballot on EE-1
    assert due(session) == {
        "UVN1": ["EE-2"],
        "UVN2": ["EE-2"],  # not reminded of EE-1: their delegation has voted on it
        "UTH1": ["EE-1", "EE-2"],
        "UAUTHOR": ["EE-1", "EE-2"],
    }
    vote(session, "UVN2", second.id)
    assert "UVN1" not in due(session) and "UVN2" not in due(session)


def test_by_delegation_nobody_without_a_confirmed_delegation_is_reminded(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"))  # never seated: their ballot cannot count
    seated(session, "UVN1", "VN")
    assert due(session, default="delegation") == {"UVN1": ["EE-1"]}
    assert set(due(session, default="vote")) == {"UVN1", "UAUTHOR"}


def test_by_consensus_nobody_is_reminded(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"))
    seated(session, "UVN1", "VN")
    procedure(session, "consensus")
    assert due(session) == {}
    procedure(session, None)
    assert due(session, default="consensus") == {}
    assert set(due(session, default="vote")) == {"UAUTHOR", "UVN1"}


def test_a_group_without_recommendations_reminds_nobody(session):
    linked_group(session)
    seated(session, "UVN1", "VN")
    assert due(session) == {}


def test_each_person_is_claimed_once_per_deadline_and_a_refusal_is_released(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"))
    claim = dict(group_key="e-evidence", deadline_at=DEADLINE, user_id="UAUTHOR")
    assert reminders.claim(session, **claim)
    assert not reminders.claim(session, **claim)
    assert due(session) == {}  # already reminded of this deadline
    moved = {**claim, "deadline_at": DEADLINE + timedelta(hours=1)}
    assert reminders.due(
        session,
        group_key="e-evidence",
        deadline_at=moved["deadline_at"],
        default_procedure="vote",
    )
    assert reminders.claim(session, **moved)  # another deadline: reminded again
    reminders.release(session, **claim)
    assert due(session) == {"UAUTHOR": ["EE-1"]}
    assert reminders.claim(session, **claim)
