"""BallotBox: clicks that arrive together share one transaction, each answered once committed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from bot.runtime.ballot_box import BallotBox, VoteNotStored
from storage import groups, votes
from storage.errors import NotFound, VotingClosed
from storage.models import Choice, Vote
from storage.sessions import transaction
from storage.votes import Ballot, VoteResult
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted

CHOICES = [Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN]
JOIN_TIMEOUT = 20.0  # a hung box fails the test instead of hanging the run


@pytest.fixture
def rec_id(session_factory) -> int:
    with transaction(session_factory) as session:
        return submitted(session).id


@pytest.fixture
def batches(monkeypatch) -> list[list[Ballot]]:
    """Every batch the box hands to cast_many, in order (one per transaction)."""
    seen: list[list[Ballot]] = []
    real = votes.cast_many

    def recording(session, ballots):
        seen.append(list(ballots))
        return real(session, ballots)

    monkeypatch.setattr(votes, "cast_many", recording)
    return seen


def _concurrently(count: int, work: Callable[[int], object]) -> list[object]:
    """Run work(0..count-1) on as many threads released together; each one's result or error."""
    results: list[object] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a caller never got its answer"
    return results


def _counts(session_factory, rec_id: int) -> tuple[int, int, int]:
    with transaction(session_factory) as session:
        c = votes.counts(session, rec_id)
        return (c.support, c.oppose, c.abstain)


def test_single_cast_is_committed_before_it_returns(session_factory, rec_id, batches):
    box = BallotBox(session_factory)
    result = box.cast(Ballot("UV1", "Voter One", rec_id, Choice.SUPPORT))
    assert result == VoteResult(rec_id, "EE-1", Choice.SUPPORT, None, True)
    assert batches == [[Ballot("UV1", "Voter One", rec_id, Choice.SUPPORT)]]
    with transaction(session_factory) as session:  # a separate session sees it: committed
        assert session.query(Vote).filter_by(voter_user_id="UV1").one().choice == "support"


def test_forty_concurrent_voters_share_transactions(session_factory, rec_id, batches):
    box = BallotBox(session_factory, gather=0.05)
    ballots = [Ballot(f"UV{i}", f"Voter {i}", rec_id, CHOICES[i % 3]) for i in range(40)]

    results = _concurrently(40, lambda i: box.cast(ballots[i]))

    for ballot, result in zip(ballots, results, strict=True):
        assert result == VoteResult(rec_id, "EE-1", ballot.choice, None, True)
    assert _counts(session_factory, rec_id) == (14, 13, 13)
    assert sorted(b.user_id for batch in batches for b in batch) == sorted(
        b.user_id for b in ballots
    )
    assert sum(len(batch) for batch in batches) == 40
    assert len(batches) < 40
    assert max(len(batch) for batch in batches) > 1


def test_batches_respect_max_batch(session_factory, rec_id, batches):
    box = BallotBox(session_factory, max_batch=4, gather=0.05)
    results = _concurrently(20, lambda i: box.cast(Ballot(f"UV{i}", None, rec_id, CHOICES[i % 3])))
    assert all(isinstance(r, VoteResult) for r in results), results
    assert sum(len(batch) for batch in batches) == 20
    assert all(1 <= len(batch) <= 4 for batch in batches)
    assert _counts(session_factory, rec_id) == (7, 7, 6)


def test_same_voter_clicking_repeatedly_counts_once(session_factory, rec_id):
    box = BallotBox(session_factory, gather=0.02)
    results = _concurrently(
        30, lambda i: box.cast(Ballot(f"UV{i % 10}", None, rec_id, CHOICES[i % 10 % 3]))
    )
    assert all(isinstance(r, VoteResult) for r in results), results
    assert sum(r.changed for r in results) == 10  # each voter's first click; repeats change nothing
    assert _counts(session_factory, rec_id) == (4, 3, 3)


def test_refused_ballot_raises_for_its_caller_only(session_factory, rec_id, batches):
    box = BallotBox(session_factory, gather=0.1)

    def click(index: int) -> VoteResult:
        target = 987_654 if index % 4 == 0 else rec_id
        return box.cast(Ballot(f"UV{index}", None, target, Choice.SUPPORT))

    results = _concurrently(12, click)

    for index, result in enumerate(results):
        if index % 4 == 0:
            assert isinstance(result, NotFound), (index, result)
        else:
            assert isinstance(result, VoteResult) and result.changed, (index, result)
    assert _counts(session_factory, rec_id) == (9, 0, 0)
    # At least one transaction mixed refused and accepted clicks, and the others still got in.
    assert any({b.recommendation_id for b in batch} == {987_654, rec_id} for batch in batches), (
        batches
    )


def test_closed_group_raises_voting_closed(session_factory):
    with transaction(session_factory) as session:
        linked_group(session)
        rec_id = submitted(session).id
        groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    box = BallotBox(session_factory)
    with pytest.raises(VotingClosed):
        box.cast(Ballot("UV1", None, rec_id, Choice.SUPPORT))
    assert _counts(session_factory, rec_id) == (0, 0, 0)


def test_failing_commit_raises_for_the_whole_batch_then_box_recovers(
    session_factory, rec_id, monkeypatch
):
    real = votes.cast_many
    failing = threading.Event()
    failing.set()
    calls: list[int] = []

    def flaky(session, ballots):
        calls.append(len(ballots))
        outcomes = real(session, ballots)  # writes, then the transaction fails
        if failing.is_set():
            raise RuntimeError("database went away")
        return outcomes

    monkeypatch.setattr(votes, "cast_many", flaky)
    box = BallotBox(session_factory, gather=0.05)

    results = _concurrently(10, lambda i: box.cast(Ballot(f"UV{i}", None, rec_id, Choice.OPPOSE)))

    # One exception per caller (tracebacks stay their own), chained to the batch's failure.
    assert all(isinstance(r, VoteNotStored) for r in results), results
    assert all(isinstance(r.__cause__, RuntimeError) for r in results)
    assert len({id(r) for r in results}) == len(results)
    assert all(str(r.__cause__) == "database went away" for r in results)
    assert sum(calls) == 10
    assert _counts(session_factory, rec_id) == (0, 0, 0)  # nothing of a failed batch is stored

    failing.clear()
    after = _concurrently(1, lambda _: box.cast(Ballot("UV1", None, rec_id, Choice.OPPOSE)))
    assert after == [VoteResult(rec_id, "EE-1", Choice.OPPOSE, None, True)]
    assert _counts(session_factory, rec_id) == (0, 1, 0)


def test_failing_write_inside_the_batch_stores_nothing_then_box_recovers(
    session_factory, rec_id, monkeypatch
):
    """The database refuses one of the batch's writes (on PostgreSQL they travel together)."""
    monkeypatch.setattr(
        votes, "_AUDIT", text("INSERT INTO no_such_table (actor_user_id) VALUES (:actor_user_id)")
    )
    box = BallotBox(session_factory, gather=0.05)

    results = _concurrently(6, lambda i: box.cast(Ballot(f"UV{i}", None, rec_id, Choice.OPPOSE)))

    assert all(isinstance(r, VoteNotStored) for r in results), results
    assert all("no_such_table" in str(r.__cause__) for r in results)
    assert _counts(session_factory, rec_id) == (0, 0, 0)  # the votes written before it too
    with transaction(session_factory) as session:
        assert session.scalar(select(Vote.id).where(Vote.recommendation_id == rec_id)) is None

    monkeypatch.undo()
    for attempt in range(3):  # every pooled connection is usable again
        voter = f"UW{attempt}"
        assert box.cast(Ballot(voter, None, rec_id, Choice.SUPPORT)).changed
    assert _counts(session_factory, rec_id) == (3, 0, 0)


def test_failure_reaches_only_the_failing_batch(session_factory, rec_id, monkeypatch):
    """A batch that fails does not poison the next one written by a successor leader."""
    real = votes.cast_many
    release = threading.Event()
    first_batch_started = threading.Event()
    sizes: list[int] = []

    def first_fails(session, ballots):
        sizes.append(len(ballots))
        if len(sizes) == 1:
            first_batch_started.set()
            assert release.wait(JOIN_TIMEOUT)
            raise RuntimeError("first batch fails")
        return real(session, ballots)

    monkeypatch.setattr(votes, "cast_many", first_fails)
    box = BallotBox(session_factory, gather=0.0)
    results: dict[str, object] = {}

    def cast(user_id: str) -> None:
        try:
            results[user_id] = box.cast(Ballot(user_id, None, rec_id, Choice.SUPPORT))
        except BaseException as error:
            results[user_id] = error

    leader = threading.Thread(target=cast, args=("ULEAD",), daemon=True)
    leader.start()
    assert first_batch_started.wait(JOIN_TIMEOUT)
    followers = [threading.Thread(target=cast, args=(f"UF{i}",), daemon=True) for i in range(5)]
    for thread in followers:
        thread.start()
    time.sleep(0.1)  # the followers queue behind the leader's write (late ones just come later)
    release.set()
    for thread in [leader, *followers]:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive()

    assert isinstance(results["ULEAD"], VoteNotStored)
    assert isinstance(results["ULEAD"].__cause__, RuntimeError)
    assert all(isinstance(results[f"UF{i}"], VoteResult) for i in range(5)), results
    assert sizes[0] == 1 and sum(sizes) == 6
    assert _counts(session_factory, rec_id) == (5, 0, 0)


def test_ballots_keep_their_own_results(session_factory, rec_id):
    """Each caller gets the outcome of its own ballot, not a neighbour's."""
    with transaction(session_factory) as session:
        votes.cast(session, actor=delegate("UV0"), recommendation_id=rec_id, choice=Choice.ABSTAIN)
    box = BallotBox(session_factory, gather=0.05)
    results = _concurrently(
        9, lambda i: (i, box.cast(Ballot(f"UV{i}", None, rec_id, CHOICES[i % 3])))
    )
    for index, result in results:
        assert result.choice is CHOICES[index % 3]
        assert result.previous == (Choice.ABSTAIN if index == 0 else None)
