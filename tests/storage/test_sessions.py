"""Units of work: a transaction commits or rolls back; a snapshot sees one state, blocks no vote."""

from __future__ import annotations

import threading
from contextlib import nullcontext

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage import votes
from storage.engines import is_postgres
from storage.models import Choice, Person
from storage.reports import workshop_record
from storage.sessions import snapshot, transaction
from tests.factories import delegate, linked_group, submitted


def test_a_transaction_commits_what_its_block_wrote(session_factory):
    with transaction(session_factory) as session:
        session.add(Person(user_id="UT1", name="Kept"))
    with session_factory() as session:
        assert session.get(Person, "UT1").name == "Kept"


def test_a_transaction_rolls_back_when_its_block_raises(session_factory):
    with pytest.raises(RuntimeError), transaction(session_factory) as session:
        session.add(Person(user_id="UT2", name="Dropped"))
        session.flush()
        raise RuntimeError("the operation failed")
    with session_factory() as session:
        assert session.get(Person, "UT2") is None


def test_objects_stay_readable_after_commit(session_factory):
    with transaction(session_factory) as session:
        person = Person(user_id="UT3", name="Readable")
        session.add(person)
    assert person.name == "Readable"  # expired attributes would need the closed session


def _recommendation(session_factory) -> int:
    with transaction(session_factory) as session:
        linked_group(session)
        rec = submitted(session)
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
        return rec.id


def _vote_in_thread(session_factory, rec_id: int, user_id: str) -> threading.Thread:
    def vote() -> None:
        with transaction(session_factory) as session:
            votes.cast(
                session, actor=delegate(user_id), recommendation_id=rec_id, choice=Choice.OPPOSE
            )

    thread = threading.Thread(target=vote, daemon=True)
    thread.start()
    return thread


def test_a_vote_is_stored_while_a_snapshot_is_open(session_factory):
    rec_id = _recommendation(session_factory)
    with snapshot(session_factory) as reading:
        before = workshop_record(reading)
        voter = _vote_in_thread(session_factory, rec_id, "UV2")
        # A queued BEGIN IMMEDIATE would keep the vote waiting until the snapshot closes.
        voter.join(timeout=10)
        assert not voter.is_alive(), "the vote waited for the reader"
        # ... and the reader still sees the state of its first read.
        again = workshop_record(reading)
    counts = [r.counts for g in (before, again) for r in g.groups[0].recommendations]
    assert [(c.support, c.oppose) for c in counts] == [(1, 0), (1, 0)]
    with snapshot(session_factory) as later:
        rec = workshop_record(later).groups[0].recommendations[0]
    assert (rec.counts.support, rec.counts.oppose) == (1, 1)


def test_writes_inside_a_snapshot_are_not_kept(session_factory):
    rec_id = _recommendation(session_factory)
    postgres = is_postgres(session_factory.kw["bind"])
    refused = pytest.raises(DBAPIError) if postgres else nullcontext()
    with refused, snapshot(session_factory) as session:
        session.execute(text("DELETE FROM votes"))
    with snapshot(session_factory) as session:
        assert votes.counts(session, rec_id).support == 1
