"""Instances heartbeat; one silent for 15 s is dead, and `is_dead` says so inside a query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from storage import instances
from storage.models import Recommendation
from tests.factories import linked_group, submitted

T0 = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_register_heartbeat_and_death(session):
    instances.register(session, instance_id="a", host="web-1", pid=11, now=at(0))
    instances.register(session, instance_id="b", host="web-2", pid=22, now=at(0))
    assert instances.live_ids(session, now=at(14)) == ["a", "b"]
    assert instances.heartbeat(session, instance_id="b", now=at(10))
    assert instances.live_ids(session, now=at(16)) == ["b"]
    assert instances.live_ids(session, now=at(26)) == []
    [b] = instances.live(session, now=at(20))
    assert (b.host, b.pid) == ("web-2", 22)


def test_heartbeat_of_an_unknown_instance_says_so(session):
    assert not instances.heartbeat(session, instance_id="ghost", now=at(0))
    instances.register(session, instance_id="ghost", host="h", pid=1, now=at(0))
    instances.register(session, instance_id="ghost", host="h", pid=1, now=at(5))  # again: fine
    assert instances.heartbeat(session, instance_id="ghost", now=at(6))
    assert instances.live_ids(session, now=at(20)) == ["ghost"]


def test_forget_and_prune(session):
    instances.register(session, instance_id="a", host="h", pid=1, now=at(0))
    instances.register(session, instance_id="b", host="h", pid=2, now=at(0))
    instances.forget(session, instance_id="a")
    assert instances.live_ids(session, now=at(1)) == ["b"]
    assert instances.prune(session, now=at(3600), older_than=timedelta(minutes=30)) == 1
    assert instances.live_ids(session, now=at(0)) == []


def test_is_dead_in_a_where_clause(session):
    """The lead's use: free the card leases of a dead instance."""
    linked_group(session)
    held_by_live, held_by_dead, held_by_nobody = (
        submitted(session, text=f"Recommendation {n}").id for n in range(3)
    )
    instances.register(session, instance_id="live", host="h", pid=1, now=at(0))
    instances.register(session, instance_id="dead", host="h", pid=2, now=at(0))
    instances.heartbeat(session, instance_id="live", now=at(20))
    for rec_id, owner in ((held_by_live, "live"), (held_by_dead, "dead"), (held_by_nobody, None)):
        session.execute(
            update(Recommendation)
            .where(Recommendation.id == rec_id)
            .values(card_lease_owner=owner, card_lease_until=9e9)
        )
    freed = session.execute(
        update(Recommendation)
        .where(instances.is_dead(Recommendation.card_lease_owner, at(30)))
        .values(card_lease_until=0.0, card_lease_owner=None)
    )
    assert freed.rowcount == 2
    still_held = session.scalars(
        select(Recommendation.id).where(Recommendation.card_lease_until > 0)
    ).all()
    assert still_held == [held_by_live]


def test_new_instance_ids_are_unique_and_fit():
    ids = {instances.new_instance_id("x" * 300, 4_194_304) for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) <= 64 for i in ids)
