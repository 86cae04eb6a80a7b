"""Votes: every click stored (who, for which delegation, in which order), one per person,
upserted, exact under concurrency; by delegation, one ballot per delegation."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from storage import groups, votes
from storage.errors import NoConfirmedDelegation, ObserverRefused, VotingClosed, WrongProcedure
from storage.models import AuditEntry, Choice, Procedure, Recommendation, Role, Vote
from storage.rules import Counts
from storage.sessions import transaction
from storage.tallies import tally
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat


def test_change_replace_and_repeat(session):
    rec = submitted(session)
    voter = delegate("UV1")
    first = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert (first.changed, first.previous) == (True, None)
    same = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert same.changed is False
    changed = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.OPPOSE)
    assert (changed.changed, changed.previous) == (True, Choice.SUPPORT)
    counts = votes.counts(session, rec.id)
    assert (counts.support, counts.oppose, counts.abstain) == (0, 1, 0)


def test_closed_group_refuses_votes(session):
    linked_group(session)
    rec = submitted(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        votes.cast(session, actor=delegate("UV2"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert votes.counts(session, rec.id).support == 1


def test_fifty_threads_and_repeated_clicks_count_exactly(session_factory):
    with transaction(session_factory) as session:
        rec_id = submitted(session).id
    choices = [Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN]
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def click(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):  # the same person clicks the same button three times
                with transaction(session_factory) as s:
                    votes.cast(
                        s,
                        actor=delegate(f"UV{index}"),
                        recommendation_id=rec_id,
                        choice=choices[index % 3],
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with transaction(session_factory) as s:
        counts = votes.counts(s, rec_id)
    assert (counts.support, counts.oppose, counts.abstain) == (17, 17, 16)


# --- every click stored with its delegation and order; ballots by delegation ------------


def _by_delegation(session, key: str = "e-evidence") -> None:
    group = groups.group_by_key(session, key)
    group.procedure = Procedure.DELEGATION.value
    session.flush()


def _delegation_counts(session, rec_id: int) -> tuple[int, int, int]:
    c = tally(session, rec_id, Procedure.DELEGATION).counts
    return (c.support, c.oppose, c.abstain)


def _seated(session) -> None:
    seat(session, "UTH1", "TH", name="Somchai Prasert")
    seat(session, "UTH2", "TH", name="Malee Srisuk")
    seat(session, "UVN1", "VN", name="Nguyễn Thị Lan")
    seat(session, "UOBS", "UNODC", role=Role.OBSERVER, name="Observer Olsen")


def test_every_click_is_stored_with_who_for_which_delegation_and_in_order(session):
    rec = submitted(session)
    _seated(session)
    for user, choice in [
        ("UTH1", Choice.SUPPORT),
        ("UV9", Choice.OPPOSE),
        ("UTH1", Choice.ABSTAIN),
    ]:
        votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)
    rows = session.execute(
        select(Vote.voter_user_id, Vote.delegation, Vote.choice, Vote.seq).order_by(Vote.seq)
    ).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("UV9", None, "oppose"),
        ("UTH1", "TH", "abstain"),
    ]
    assert rows[0].seq < rows[1].seq
    session.expire_all()
    assert session.get(Recommendation, rec.id).tally_version == rows[1].seq


def test_by_delegation_the_latest_click_of_any_delegate_is_the_ballot(session):
    rec = submitted(session)
    _by_delegation(session)
    _seated(session)

    def click(user: str, choice: Choice) -> votes.VoteResult:
        return votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)

    first = click("UTH1", Choice.OPPOSE)
    assert (first.delegation, first.previous, first.previous_by) == ("TH", None, None)
    click("UVN1", Choice.SUPPORT)
    replaced = click("UTH2", Choice.SUPPORT)
    assert (replaced.previous, replaced.previous_by, replaced.changed) == (
        Choice.OPPOSE,
        "Somchai Prasert",
        True,
    )
    assert _delegation_counts(session, rec.id) == (2, 0, 0)
    assert votes.counts(session, rec.id) == Counts(2, 1, 0)  # by vote, everyone's stands
    # Somchai's own vote is Oppose, Thailand's ballot Support: his Oppose again counts anew.
    again = click("UTH1", Choice.OPPOSE)
    assert (again.changed, again.previous, again.previous_by) == (
        True,
        Choice.SUPPORT,
        "Malee Srisuk",
    )
    assert _delegation_counts(session, rec.id) == (1, 1, 0)
    same = click("UTH1", Choice.OPPOSE)
    assert (same.changed, same.previous, same.previous_by) == (False, Choice.OPPOSE, None)


def test_refusals_by_procedure(session):
    rec = submitted(session)
    _seated(session)
    with pytest.raises(ObserverRefused) as observer:
        votes.cast(session, actor=delegate("UOBS"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert observer.value.params["organisation"] == "UNODC"
    votes.cast(session, actor=delegate("UNEW"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    _by_delegation(session)
    with pytest.raises(NoConfirmedDelegation):
        votes.cast(session, actor=delegate("UNEW"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    with pytest.raises(ObserverRefused):
        votes.cast(session, actor=delegate("UOBS"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    groups.group_by_key(session, "e-evidence").procedure = Procedure.CONSENSUS.value
    session.flush()
    with pytest.raises(WrongProcedure) as consensus:
        votes.cast(session, actor=delegate("UTH1"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    assert consensus.value.params["number"] == "EE-1"
    stored = session.execute(select(Vote.voter_user_id, Vote.choice)).all()
    assert [tuple(r) for r in stored] == [("UNEW", "support")]


def test_clicks_in_one_batch_are_ordered_within_the_delegation(session):
    rec = submitted(session)
    _by_delegation(session)
    _seated(session)
    before = session.get(Recommendation, rec.id).tally_version
    outcomes = votes.cast_many(
        session,
        [
            votes.Ballot("UTH1", None, rec.id, Choice.SUPPORT),
            votes.Ballot("UTH2", None, rec.id, Choice.OPPOSE),
            votes.Ballot("UVN1", None, rec.id, Choice.ABSTAIN),
            votes.Ballot("UTH1", None, rec.id, Choice.ABSTAIN),
            votes.Ballot("UTH2", None, rec.id, Choice.OPPOSE),  # Thailand's latest click
        ],
    )
    assert [o.previous for o in outcomes] == [
        None,
        Choice.SUPPORT,
        None,
        Choice.OPPOSE,
        Choice.ABSTAIN,
    ]
    assert outcomes[4].changed and outcomes[4].previous_by == "Somchai Prasert"
    rows = dict(session.execute(select(Vote.voter_user_id, Vote.seq)).all())
    assert rows["UTH2"] > rows["UTH1"] > before  # within a delegation, in click order
    assert _delegation_counts(session, rec.id) == (0, 1, 1)


def test_two_delegates_clicking_at_once_make_one_ballot_the_last_one(session_factory):
    with transaction(session_factory) as session:
        rec_id = submitted(session).id
        _by_delegation(session)
        _seated(session)
    choices = [Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def clicks(user: str, offset: int) -> None:
        try:
            barrier.wait()
            for i in range(12):
                with transaction(session_factory) as s:
                    votes.cast(
                        s,
                        actor=delegate(user),
                        recommendation_id=rec_id,
                        choice=choices[(i + offset) % 3],
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=clicks, args=(u, n)) for n, u in enumerate(["UTH1", "UTH2"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with transaction(session_factory) as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "vote").order_by(AuditEntry.id)
        ).all()
        rows = s.execute(select(Vote.voter_user_id, Vote.choice, Vote.seq)).all()
        counted = tally(s, rec_id, Procedure.DELEGATION)
    assert counted.counts.cast == 1  # never two ballots
    assert len({r.seq for r in rows}) == 2
    latest = max(rows, key=lambda r: r.seq)
    assert counted.ballots[0].user_id == latest.voter_user_id
    assert counted.ballots[0].choice == latest.choice
    assert len(entries) >= 2
