"""Read-only snapshots: one consistent state, and votes never queue behind a long read."""

from __future__ import annotations

import threading
from contextlib import nullcontext

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage import votes
from storage.database import snapshot, transaction
from storage.models import Choice
from storage.reports import workshop_record
from tests.factories import delegate, linked_group, submitted


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
    refused = pytest.raises(DBAPIError) if _is_postgres(session_factory) else nullcontext()
    with refused, snapshot(session_factory) as session:
        session.execute(text("DELETE FROM votes"))
    with snapshot(session_factory) as session:
        assert votes.counts(session, rec_id).support == 1


def _is_postgres(session_factory) -> bool:
    return session_factory.kw["bind"].dialect.name == "postgresql"
