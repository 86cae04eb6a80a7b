"""cast_many: many clicks in one go, in order, one outcome per click."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import dialect, groups, people, votes
from storage.errors import NotFound, VotingClosed
from storage.models import AuditEntry, Choice, Person, Recommendation, Vote
from storage.votes import Ballot, VoteResult
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted

MISSING_ID = 987_654


def _counts(session, rec_id: int) -> tuple[int, int, int]:
    c = votes.counts(session, rec_id)
    return (c.support, c.oppose, c.abstain)


def _vote_entries(session) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "vote").order_by(AuditEntry.id)
        )
    )


def _tally(session, rec_id: int) -> int:
    return session.scalar(select(Recommendation.tally_version).where(Recommendation.id == rec_id))


def test_later_click_in_batch_sees_earlier_one(session):
    rec = submitted(session)
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT),
            Ballot("UV1", "Voter One", rec.id, Choice.OPPOSE),
        ],
    )
    assert outcomes == [
        VoteResult(rec.id, "EE-1", Choice.SUPPORT, None, True),
        VoteResult(rec.id, "EE-1", Choice.OPPOSE, Choice.SUPPORT, True),
    ]
    assert _counts(session, rec.id) == (0, 1, 0)
    stored = session.scalars(select(Vote).where(Vote.recommendation_id == rec.id)).all()
    assert [(v.voter_user_id, v.choice) for v in stored] == [("UV1", "oppose")]


def test_batch_sees_votes_stored_before_it(session):
    rec = submitted(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.ABSTAIN)
    [outcome] = votes.cast_many(session, [Ballot("UV1", None, rec.id, Choice.SUPPORT)])
    assert (outcome.previous, outcome.changed) == (Choice.ABSTAIN, True)
    assert _counts(session, rec.id) == (1, 0, 0)


def test_same_choice_twice_changes_nothing_the_second_time(session):
    rec = submitted(session)
    first, second = votes.cast_many(
        session,
        [
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT),
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT),
        ],
    )
    assert (first.changed, first.previous) == (True, None)
    assert (second.changed, second.previous, second.choice) == (
        False,
        Choice.SUPPORT,
        Choice.SUPPORT,
    )
    assert _counts(session, rec.id) == (1, 0, 0)
    assert len(_vote_entries(session)) == 1


def test_unknown_recommendation_is_returned_in_place(session):
    rec = submitted(session)
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT),
            Ballot("UV2", "Voter Two", MISSING_ID, Choice.SUPPORT),
            Ballot("UV3", "Voter Three", rec.id, Choice.OPPOSE),
        ],
    )
    assert isinstance(outcomes[0], VoteResult) and outcomes[0].changed
    assert isinstance(outcomes[1], NotFound)
    assert outcomes[1].params == {"what": "recommendation"}
    assert isinstance(outcomes[2], VoteResult) and outcomes[2].choice is Choice.OPPOSE
    assert _counts(session, rec.id) == (1, 1, 0)
    assert session.scalars(select(Vote).where(Vote.recommendation_id == MISSING_ID)).all() == []


def test_cast_raises_what_cast_many_returns(session):
    with pytest.raises(NotFound):
        votes.cast(
            session, actor=delegate("UV1"), recommendation_id=MISSING_ID, choice=Choice.SUPPORT
        )


def test_closed_group_is_returned_in_place(session):
    linked_group(session)
    closed = submitted(session)
    open_card = submitted(session, key="financial-investigation")
    votes.cast(session, actor=delegate("UV1"), recommendation_id=closed.id, choice=Choice.SUPPORT)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    tally_before = _tally(session, closed.id)
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UV1", None, closed.id, Choice.OPPOSE),
            Ballot("UV2", None, open_card.id, Choice.ABSTAIN),
            Ballot("UV3", None, closed.id, Choice.SUPPORT),
        ],
    )
    assert isinstance(outcomes[0], VotingClosed)
    assert outcomes[0].params == {"group": "Electronic evidence"}
    assert isinstance(outcomes[1], VoteResult) and outcomes[1].number == "FI-1"
    assert isinstance(outcomes[2], VotingClosed)
    assert _counts(session, closed.id) == (1, 0, 0)  # UV1's earlier vote stands
    assert _counts(session, open_card.id) == (0, 0, 1)
    assert _tally(session, closed.id) == tally_before


def test_new_voter_is_remembered_with_the_name_given(session):
    rec = submitted(session)
    assert session.get(Person, "UNEW") is None
    votes.cast_many(
        session,
        [
            Ballot("UNEW", None, rec.id, Choice.SUPPORT),  # no name on the first click
            Ballot("UNEW", "New Person", rec.id, Choice.OPPOSE),
            Ballot("UNEW", None, rec.id, Choice.SUPPORT),  # nor on the last
            Ballot("UNEW2", "Second Newcomer", rec.id, Choice.ABSTAIN),
        ],
    )
    session.expire_all()
    assert session.get(Person, "UNEW").name == "New Person"
    assert session.get(Person, "UNEW2").name == "Second Newcomer"
    assert session.get(Person, "UNEW").country_code is None


def test_known_voter_keeps_name_and_votes_with_delegation(session):
    rec = submitted(session)
    people.set_country(session, actor=delegate("UKNOWN", name="Known Name"), code="FR")
    votes.cast_many(session, [Ballot("UKNOWN", "Other Name", rec.id, Choice.SUPPORT)])
    session.expire_all()
    assert session.get(Person, "UKNOWN").name == "Known Name"
    vote = session.scalar(select(Vote).where(Vote.voter_user_id == "UKNOWN"))
    assert vote.country_code == "FR"


def test_known_voter_without_a_name_is_named_by_the_click(session):
    rec = submitted(session)
    people.remember(session, "UNAMELESS", None)  # e.g. appointed before Slack gave a name
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UNAMELESS", "Given Later", rec.id, Choice.SUPPORT),
            Ballot("UOTHER", "Other Voter", rec.id, Choice.OPPOSE),
        ],
    )
    assert all(isinstance(o, VoteResult) for o in outcomes)
    session.expire_all()
    assert session.get(Person, "UNAMELESS").name == "Given Later"
    assert _counts(session, rec.id) == (1, 1, 0)


def test_one_audit_entry_per_changed_vote(session):
    rec = submitted(session)
    votes.cast_many(
        session,
        [
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT, "req-1"),
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT, "req-2"),  # unchanged: no entry
            Ballot("UV1", "Voter One", rec.id, Choice.ABSTAIN, "req-3"),
            Ballot("UV2", "Voter Two", MISSING_ID, Choice.SUPPORT, "req-4"),  # refused: no entry
            Ballot("UV2", "Voter Two", rec.id, Choice.OPPOSE, "req-5"),
        ],
    )
    entries = _vote_entries(session)
    assert [(e.actor_user_id, e.group_key, e.target, e.detail, e.request_id) for e in entries] == [
        ("UV1", "e-evidence", "EE-1", {"choice": "support", "previous": None}, "req-1"),
        ("UV1", "e-evidence", "EE-1", {"choice": "abstain", "previous": "support"}, "req-3"),
        ("UV2", "e-evidence", "EE-1", {"choice": "oppose", "previous": None}, "req-5"),
    ]


def test_tally_version_bumped_for_changed_cards_only(session):
    changed = submitted(session)
    repeated = submitted(session, text="Train judges on the handling of digital evidence.")
    untouched = submitted(session, text="Share a contact list of national focal points.")
    votes.cast(session, actor=delegate("UV1"), recommendation_id=repeated.id, choice=Choice.SUPPORT)
    before = {r.id: _tally(session, r.id) for r in (changed, repeated, untouched)}
    votes.cast_many(
        session,
        [
            Ballot("UV1", None, repeated.id, Choice.SUPPORT),  # same choice again
            Ballot("UV1", None, changed.id, Choice.SUPPORT),
            Ballot("UV2", None, changed.id, Choice.OPPOSE),
        ],
    )
    after = {r.id: _tally(session, r.id) for r in (changed, repeated, untouched)}
    assert after[changed.id] > before[changed.id]
    assert after[repeated.id] == before[repeated.id]
    assert after[untouched.id] == before[untouched.id]


def test_recommendation_held_by_session_sees_new_tally_version(session):
    rec = submitted(session)
    before = rec.tally_version  # loaded in this session's identity map
    votes.cast_many(session, [Ballot("UV1", None, rec.id, Choice.SUPPORT)])
    assert rec.tally_version > before


def test_batch_without_changes_writes_nothing(session):
    rec = submitted(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    entries_before = len(_vote_entries(session))
    tally_before = _tally(session, rec.id)
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UV1", None, rec.id, Choice.OPPOSE),
            Ballot("UV9", None, MISSING_ID, Choice.OPPOSE),
        ],
    )
    assert outcomes[0].changed is False
    assert isinstance(outcomes[1], NotFound)
    assert len(_vote_entries(session)) == entries_before
    assert _tally(session, rec.id) == tally_before


def test_empty_batch(session):
    assert votes.cast_many(session, []) == []


@pytest.mark.parametrize("pipelines", [True, False], ids=["pipeline", "no-pipeline"])
def test_writes_are_the_same_with_or_without_pipeline_mode(session, monkeypatch, pipelines):
    """PostgreSQL sends a batch's writes in one pipeline when libpq can; older ones cannot."""
    monkeypatch.setattr(dialect, "_pipeline_mode", lambda: pipelines)
    rec = submitted(session)
    other = submitted(session, text="A second recommendation")
    outcomes = votes.cast_many(
        session,
        [
            Ballot("UV1", "Voter One", rec.id, Choice.SUPPORT, "req-1"),
            Ballot("UV2", "Voter Two", rec.id, Choice.OPPOSE, "req-2"),
            Ballot("UV1", "Voter One", other.id, Choice.ABSTAIN, "req-3"),
        ],
    )
    assert all(isinstance(o, VoteResult) and o.changed for o in outcomes)
    session.commit()
    assert _counts(session, rec.id) == (1, 1, 0)
    assert _counts(session, other.id) == (0, 0, 1)
    assert [(e.actor_user_id, e.request_id) for e in _vote_entries(session)] == [
        ("UV1", "req-1"),
        ("UV2", "req-2"),
        ("UV1", "req-3"),
    ]
    assert _tally(session, rec.id) == 1 and _tally(session, other.id) == 1
