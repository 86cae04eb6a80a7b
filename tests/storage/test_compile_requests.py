"""Compile requests: reserved for their instance, claimed once, taken over when abandoned."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from storage import compile_requests as requests
from storage import instances
from storage.sessions import transaction

T0 = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def alive(session, name: str, now: datetime) -> None:
    instances.register(session, instance_id=name, host="test", pid=1, now=now)


def create(session, by: str = "a", group_key: str | None = "e-evidence", now=T0) -> int:
    alive(session, by, now)
    return requests.create(
        session,
        user_id="URAP1",
        channel_id="CEE",
        group_key=group_key,
        instance_id=by,
        now=now,
        lease=LEASE,
    )


def claim(session, request_id: int, who: str, now: datetime):
    alive(session, who, now)
    return requests.claim(session, request_id=request_id, instance_id=who, now=now, lease=LEASE)


def abandoned(session, who: str, now: datetime, limit: int = 5):
    alive(session, who, now)
    return requests.claim_abandoned(session, now=now, instance_id=who, lease=LEASE, limit=limit)


def test_the_reserving_instance_claims_runs_and_finishes(session):
    request_id = create(session)
    assert claim(session, request_id, "b", at(1)) is None, "reserved for a, which is alive"
    taken = claim(session, request_id, "a", at(1))
    assert taken is not None
    assert (taken.state, taken.claimed_by, taken.attempts) == ("running", "a", 1)
    assert (taken.user_id, taken.channel_id, taken.group_key) == ("URAP1", "CEE", "e-evidence")
    assert claim(session, request_id, "a", at(2)) is None, "not claimed twice"
    assert requests.finish(session, request_id=request_id, instance_id="a", file_id="F1", now=at(9))
    done = requests.get(session, request_id)
    assert (done.state, done.file_id, done.finished_at, done.claimed_by) == (
        "done",
        "F1",
        at(9),
        None,
    )
    assert requests.unfinished(session) == []


def test_whole_workshop_and_failure(session):
    request_id = create(session, group_key=None)
    claim(session, request_id, "a", at(1))
    assert requests.fail(
        session, request_id=request_id, instance_id="a", error="x" * 5000, now=at(2)
    )
    [failed] = requests.unfinished(session)
    assert (failed.group_key, failed.state, len(failed.error)) == (None, "failed", 2000)
    assert not requests.finish(
        session, request_id=request_id, instance_id="a", file_id="F", now=at(3)
    )


def test_a_request_whose_instance_died_is_taken_over(session):
    before_claim = create(session, by="a")
    during_run = create(session, by="a")
    healthy = create(session, by="c")
    claim(session, during_run, "a", at(1))
    claim(session, healthy, "c", at(1))
    alive(session, "c", at(20))
    assert abandoned(session, "b", at(10)) == [], "a is alive at 10 s"
    taken = abandoned(session, "b", at(20))  # a has been silent since 1 s
    assert [(r.id, r.claimed_by) for r in taken] == [(before_claim, "b"), (during_run, "b")]
    assert [r.attempts for r in taken] == [1, 2]
    assert claim(session, before_claim, "a", at(21)) is None, "a came back too late"
    assert not requests.finish(
        session, request_id=during_run, instance_id="a", file_id="F", now=at(21)
    )
    assert requests.finish(session, request_id=during_run, instance_id="b", file_id="F", now=at(22))


def test_an_expired_lease_frees_the_request(session):
    request_id = create(session)
    claim(session, request_id, "a", at(1))
    alive(session, "a", at(601))
    assert abandoned(session, "b", at(600)) == []
    assert [r.id for r in abandoned(session, "b", at(601.5))] == [request_id]


def test_a_request_that_keeps_killing_its_instance_fails(session):
    request_id = create(session, by="i0")
    now = 0.0
    for n in range(requests.MAX_ATTEMPTS):
        assert claim(session, request_id, f"i{n}", at(now)) is not None
        now += 16
    assert abandoned(session, "last", at(now)) == []
    failed = requests.get(session, request_id)
    assert failed.state == "failed" and "abandoned" in failed.error


POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@POSTGRES_ONLY
def test_two_instances_sweeping_at_once_take_different_requests(session_factory):
    with transaction(session_factory) as session:
        ids = [create(session, by="dead", now=T0) for _ in range(4)]
    first = session_factory()
    pool = ThreadPoolExecutor(1)
    try:
        mine = abandoned(first, "a", at(30), limit=2)

        def sweep() -> list[int]:
            with transaction(session_factory) as session:
                return [r.id for r in abandoned(session, "b", at(30), limit=10)]

        theirs = pool.submit(sweep).result(timeout=10)
    finally:
        first.commit()
        first.close()
        pool.shutdown()
    assert sorted([r.id for r in mine] + theirs) == ids
    assert len(mine) == 2 and not {r.id for r in mine} & set(theirs)
