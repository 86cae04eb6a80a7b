"""storage.texts: numbers, the voters told of a change, versions, what a card shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import groups, votes
from storage.actors import Actor
from storage.cards import card_state
from storage.models import Cause, Choice, Procedure, Revision, Role, TextStatus
from storage.texts import Refused, Voter, by_number, life, new_version, voters
from tests.factories import ORGANIZER, delegate, linked_group, submitted
from tests.factories.seats import seat


@pytest.fixture
def rec(session: Session):
    linked_group(session)
    return submitted(session, text="Preserve logs.")


@pytest.mark.parametrize("number", ["EE-1", "ee-1", " EE-1 "])
def test_a_number_names_its_recommendation(session, rec, number):
    assert by_number(session, number).id == rec.id


@pytest.mark.parametrize("number", ["EE-9", "XX-1", "EE1", "", "EE-1; DROP TABLE", "E" * 40])
def test_a_number_naming_nothing_is_refused(session, rec, number):
    with pytest.raises(Refused) as refused:
        by_number(session, number)
    assert refused.value.params["reason"] == "unknown_number"
    assert len(str(refused.value.params["number"])) <= 20


def test_voters_by_vote_leave_observers_out(session, rec):
    for user, choice in (("UV1", Choice.SUPPORT), ("UV2", Choice.OPPOSE), ("UOBS", Choice.ABSTAIN)):
        votes.cast(session, actor=Actor(user), recommendation_id=rec.id, choice=choice)
    seat(session, "UOBS", "UNODC", role=Role.OBSERVER)  # seated as an observer since
    assert voters(session, rec) == (Voter("UV1", Choice.SUPPORT), Voter("UV2", Choice.OPPOSE))


def test_voters_by_delegation_are_each_delegation_s_latest(session, rec):
    groups.set_procedure(session, actor=ORGANIZER, channel_id="CEE", procedure=Procedure.DELEGATION)
    for user, code in (("UTH1", "TH"), ("UTH2", "TH"), ("UVN1", "VN")):
        seat(session, user, code)
    for user, choice in (
        ("UTH1", Choice.SUPPORT),
        ("UVN1", Choice.ABSTAIN),
        ("UTH2", Choice.OPPOSE),
    ):
        votes.cast(session, actor=Actor(user), recommendation_id=rec.id, choice=choice)
    assert voters(session, rec) == (Voter("UTH2", Choice.OPPOSE), Voter("UVN1", Choice.ABSTAIN))


def test_by_consensus_nobody_voted(session, rec):
    groups.set_procedure(session, actor=ORGANIZER, channel_id="CEE", procedure=Procedure.CONSENSUS)
    assert voters(session, rec) == ()


def test_the_submitted_version_is_stored_once_then_each_new_one(session, rec):
    editor = delegate()
    for text in ("Preserve logs now.", "Preserve all logs now."):
        new_version(
            session,
            rec,
            actor=editor,
            text=text,
            title=None,
            rationale=None,
            cause=Cause.EDIT,
            delegation="VN",
        )
    stored = session.execute(
        select(Revision.version, Revision.text, Revision.cause).order_by(Revision.version)
    )
    assert [tuple(r) for r in stored] == [
        (1, "Preserve logs.", "submitted"),
        (2, "Preserve logs now.", "edit"),
        (3, "Preserve all logs now.", "edit"),
    ]
    assert (rec.version, rec.text) == (3, "Preserve all logs now.")


def test_the_card_shows_the_life_of_its_text(session, rec):
    other = submitted(session, delegate("UDEL2"), text="Keep logs.")
    assert life(session, rec).is_open and life(session, rec).version == 1
    other.status, other.merged_into_id = TextStatus.MERGED.value, rec.id
    session.flush()
    assert life(session, rec).covers == ("EE-2",)
    assert life(session, other).merged_into == "EE-1"
    assert card_state(session, other.id).life.status is TextStatus.MERGED
