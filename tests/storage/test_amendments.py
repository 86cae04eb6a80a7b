"""storage.amendments: proposed by whoever may vote, decided by the author, the rapporteur or
an organizer; an amendment to an older text only once the newer one was seen."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import amendments, groups, revisions, votes
from storage.actors import Actor
from storage.errors import InvalidInput, VotingClosed
from storage.models import AmendmentState, Choice, Procedure, Recommendation, Revision, Role
from storage.sessions import transaction
from storage.texts import Refused, Voter
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

AUTHOR = delegate()
PROPOSER = delegate("UTH1", "Somchai")
TEXT = "Preserve evidence for 180 days."
AMENDED = "Preserve evidence for 365 days."


@pytest.fixture
def rec(session: Session):
    linked_group(session)
    rec = submitted(session, AUTHOR, text=TEXT)
    seat(session, PROPOSER.user_id, "TH", name="Somchai")
    return rec


def propose(session, rec, text=AMENDED, *, actor=PROPOSER, base=None, reason=None):
    return amendments.propose(
        session,
        actor=actor,
        recommendation_id=rec.id,
        base_version=rec.version if base is None else base,
        text=text,
        reason=reason,
    )


def test_numbered_per_recommendation_with_its_delegation(session, rec):
    first = propose(session, rec, reason="Longer")
    second = propose(session, rec, "Preserve evidence.")
    other = submitted(session, delegate("UDEL2"), text="Train judges.")
    third = propose(session, other, "Train all judges.")
    assert [a.number for a in (first, second, third)] == ["EE-1/A1", "EE-1/A2", "EE-2/A1"]
    assert (first.delegation_name, first.reason, first.base_text) == ("Thailand", "Longer", TEXT)
    assert first.state is AmendmentState.PROPOSED


def test_it_must_differ_and_fit(session, rec):
    with pytest.raises(Refused) as refused:
        propose(session, rec, TEXT)
    assert refused.value.params["reason"] == "same_text"
    with pytest.raises(InvalidInput):
        propose(session, rec, "x" * 3001)
    with pytest.raises(InvalidInput):
        propose(session, rec, AMENDED, reason="r" * 1001)


def test_only_those_who_may_vote_propose(session, rec):
    seat(session, "UOBS", "UNODC", role=Role.OBSERVER)
    with pytest.raises(Refused) as refused:
        propose(session, rec, actor=Actor("UOBS"))
    assert refused.value.params["observer"] is True
    propose(session, rec, actor=delegate("UNOBODY"))  # by vote: anyone who is no observer
    groups.set_procedure(session, actor=ORGANIZER, channel_id="CEE", procedure=Procedure.DELEGATION)
    with pytest.raises(Refused) as refused:
        propose(session, rec, "Else", actor=delegate("UNOBODY"))
    assert refused.value.params["reason"] == "not_a_voter"
    propose(session, rec, "Else")  # a confirmed delegate


def test_accepting_makes_the_next_version_by_the_proposer(session, rec):
    votes.cast(session, actor=Actor("UV1"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    proposed = propose(session, rec)
    with pytest.raises(Refused) as refused:
        amendments.accept(session, actor=delegate("UOTHER"), amendment_id=proposed.amendment_id)
    assert refused.value.params["reason"] == "not_decider"
    decided = amendments.accept(session, actor=RAPPORTEUR, amendment_id=proposed.amendment_id)
    assert (decided.changed, decided.version, decided.voters) == (
        True,
        2,
        (Voter("UV1", Choice.OPPOSE),),
    )
    assert decided.amendment.state is AmendmentState.ACCEPTED
    assert (rec.text, rec.version) == (AMENDED, 2)
    latest = session.scalars(select(Revision).order_by(Revision.version.desc())).first()
    assert (latest.user_id, latest.delegation, latest.cause) == ("UTH1", "TH", "amendment")
    with pytest.raises(Refused) as refused:
        amendments.reject(session, actor=AUTHOR, amendment_id=proposed.amendment_id, reason=None)
    assert refused.value.params["reason"] == "decided"


def test_an_older_text_is_accepted_only_by_who_saw_the_newer(session, rec):
    proposed = propose(session, rec)
    revisions.edit(
        session,
        actor=AUTHOR,
        recommendation_id=rec.id,
        base_version=1,
        text="Preserve evidence for 200 days.",
        title=None,
        rationale=None,
    )
    pending = amendments.pending(
        session, actor=AUTHOR, amendment_id=proposed.amendment_id, action="accept"
    )
    assert (pending.stale, pending.current_version) == (True, 2)
    with pytest.raises(Refused) as refused:
        amendments.accept(session, actor=AUTHOR, amendment_id=proposed.amendment_id)
    assert refused.value.params["reason"] == "changed"
    with pytest.raises(Refused):
        amendments.accept(session, actor=AUTHOR, amendment_id=proposed.amendment_id, seen_version=1)
    decided = amendments.accept(
        session, actor=AUTHOR, amendment_id=proposed.amendment_id, seen_version=2
    )
    assert (decided.version, rec.text) == (3, AMENDED)


def test_rejecting_keeps_the_text_and_the_reason(session, rec):
    proposed = propose(session, rec)
    decided = amendments.reject(
        session, actor=ORGANIZER, amendment_id=proposed.amendment_id, reason="Too long <b>"
    )
    assert (decided.changed, decided.amendment.state) == (False, AmendmentState.REJECTED)
    assert decided.amendment.reject_reason == "Too long <b>"
    assert rec.text == TEXT


def test_nothing_is_decided_while_the_group_is_closed(session, rec):
    proposed = propose(session, rec)
    groups.set_open(session, actor=ORGANIZER, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        amendments.accept(session, actor=AUTHOR, amendment_id=proposed.amendment_id)
    with pytest.raises(VotingClosed):
        propose(session, rec, "Closed")


def test_proposals_at_the_same_time_get_distinct_numbers(session_factory):
    with transaction(session_factory) as session:
        linked_group(session)
        rec_id = submitted(session, AUTHOR, text=TEXT).id
    numbers: list[str] = []
    errors: list[Exception] = []

    def one(n: int) -> None:
        try:
            with transaction(session_factory) as session:
                rec = session.get_one(Recommendation, rec_id)
                proposed = propose(session, rec, f"Text number {n}", actor=delegate(f"U{n}"))
                numbers.append(proposed.number)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == ["EE-1/A1", "EE-1/A2", "EE-1/A3", "EE-1/A4"]
