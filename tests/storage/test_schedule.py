"""Scheduled jobs: schedule/move, claim once, take over from the dead, retry, give up."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from storage import instances
from storage import schedule as jobs
from storage.models import ScheduledJobRow
from storage.sessions import transaction

T0 = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def alive(session, *names: str, now: datetime = T0) -> None:
    for name in names:
        instances.register(session, instance_id=name, host="test", pid=1, now=now)


def claim(session, now: datetime, who: str = "a", limit: int = 10, **kw) -> list[jobs.ScheduledJob]:
    """Claim as `who`, alive at `now` (as the scheduler heartbeats)."""
    alive(session, who, now=now)
    return jobs.claim_due(session, now=now, instance_id=who, lease=LEASE, limit=limit, **kw)


def keys(claimed: list[jobs.ScheduledJob]) -> list[str]:
    return [job.key for job in claimed]


@pytest.fixture
def a_alive(session) -> None:
    alive(session, "a")


def test_a_job_is_claimed_once_it_is_due_and_not_before(session, a_alive):
    jobs.schedule(session, kind="remind", key="k1", due_at=at(10), payload={"to": "U1"})
    assert claim(session, at(9.999)) == []
    [job] = claim(session, at(10))
    assert (job.kind, job.key, job.payload, job.attempts) == ("remind", "k1", {"to": "U1"}, 1)
    assert (job.state, job.claimed_by, job.claimed_until) == ("running", "a", at(70))
    assert job.due_at == at(10) and job.due_at.tzinfo is not None
    assert claim(session, at(11)) == [], "a running job held by a live instance is not due"
    assert jobs.finish(session, job_id=job.id, instance_id="a", now=at(12))
    assert claim(session, at(1000)) == []
    assert jobs.get(session, kind="remind", key="k1").state == "done"


def test_scheduling_again_moves_the_job(session, a_alive):
    jobs.schedule(session, kind="close", key="ee", due_at=at(100), payload={"v": 1})
    jobs.schedule(session, kind="close", key="ee", due_at=at(50), payload={"v": 2})
    assert session.query(ScheduledJobRow).count() == 1
    assert claim(session, at(49)) == []
    [job] = claim(session, at(50))
    assert job.payload == {"v": 2}
    jobs.finish(session, job_id=job.id, instance_id="a", now=at(51))
    jobs.schedule(session, kind="close", key="ee", due_at=at(200))  # a done job, scheduled anew
    assert jobs.get(session, kind="close", key="ee").state == "pending"
    [job] = claim(session, at(200))
    assert job.attempts == 1 and job.payload == {}


def test_scheduled_again_while_running_runs_again_after(session, a_alive):
    jobs.schedule(session, kind="card", key="7", due_at=at(0), payload={"v": 1})
    [job] = claim(session, at(0))
    jobs.schedule(session, kind="card", key="7", due_at=at(5), payload={"v": 2})
    assert claim(session, at(6)) == [], "still running: not claimed twice"
    assert jobs.finish(session, job_id=job.id, instance_id="a", now=at(7))
    again = jobs.get(session, kind="card", key="7")
    assert (again.state, again.due_at, again.payload) == ("pending", at(5), {"v": 2})
    [job] = claim(session, at(7))
    assert job.payload == {"v": 2} and job.attempts == 1
    # the same when the run fails for good meanwhile
    jobs.schedule(session, kind="card", key="7", due_at=at(20))
    jobs.fail(session, job_id=job.id, instance_id="a", error="boom", retry_at=None, now=at(8))
    again = jobs.get(session, kind="card", key="7")
    assert (again.state, again.due_at, again.attempts) == ("pending", at(20), 0)


def test_a_dead_claimer_loses_its_job_at_once(session):
    alive(session, "a", "b")
    jobs.schedule(session, kind="post", key="1", due_at=at(0))
    [first] = claim(session, at(0), who="a")
    instances.heartbeat(session, instance_id="b", now=at(20))
    assert claim(session, at(14), who="b") == [], "a is still alive at 14 s"
    [taken] = claim(session, at(20), who="b")  # a has been silent for 20 s: dead
    assert (taken.id, taken.claimed_by, taken.attempts) == (first.id, "b", 2)
    assert not jobs.finish(session, job_id=first.id, instance_id="a"), "a lost it"
    assert jobs.finish(session, job_id=first.id, instance_id="b")


def test_an_expired_lease_frees_the_job_even_from_a_live_claimer(session):
    alive(session, "a", "b")
    jobs.schedule(session, kind="post", key="1", due_at=at(0))
    claim(session, at(0), who="a")
    instances.heartbeat(session, instance_id="a", now=at(61))
    instances.heartbeat(session, instance_id="b", now=at(61))
    assert claim(session, at(60), who="b") == []
    assert keys(claim(session, at(61), who="b")) == ["1"]


def test_due_jobs_come_soonest_first_up_to_the_limit(session, a_alive):
    for n, due in enumerate((30, 10, 20, 40)):
        jobs.schedule(session, kind="k", key=str(n), due_at=at(due))
    assert keys(claim(session, at(35), limit=2)) == ["1", "2"]
    assert keys(claim(session, at(35), limit=2)) == ["0"]


def test_failures_are_retried_then_fail_for_good(session, a_alive):
    jobs.schedule(session, kind="upload", key="u", due_at=at(0))
    now = 0
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        [job] = claim(session, at(now))
        assert job.attempts == attempt
        jobs.fail(
            session,
            job_id=job.id,
            instance_id="a",
            error=f"err {attempt}",
            retry_at=at(now + 5),
            now=at(now),
        )
        now += 5
    failed = jobs.get(session, kind="upload", key="u")
    assert (failed.state, failed.last_error, failed.attempts) == ("failed", "err 5", 5)
    assert claim(session, at(10_000)) == []


def test_no_retry_time_fails_at_once_and_no_limit_retries_forever(session, a_alive):
    jobs.schedule(session, kind="x", key="now", due_at=at(0))
    jobs.schedule(session, kind="x", key="forever", due_at=at(0))
    [now_job] = [job for job in claim(session, at(0)) if job.key == "now"]
    jobs.fail(session, job_id=now_job.id, instance_id="a", error="bad", retry_at=None)
    assert jobs.get(session, kind="x", key="now").state == "failed"
    for n in range(1, 8):
        if n > 1:
            [job] = claim(session, at(n))
        else:
            job = jobs.get(session, kind="x", key="forever")
        jobs.fail(
            session,
            job_id=job.id,
            instance_id="a",
            error="again",
            retry_at=at(n + 1),
            max_attempts=None,
        )
    kept = jobs.get(session, kind="x", key="forever")
    assert (kept.state, kept.attempts, kept.last_error) == ("pending", 7, "again")


def test_a_job_whose_runs_keep_killing_their_instance_fails(session):
    jobs.schedule(session, kind="poison", key="p", due_at=at(0))
    now = 0.0
    for n in range(jobs.MAX_ATTEMPTS):
        who = f"i{n}"
        alive(session, who, now=at(now))
        assert keys(claim(session, at(now), who=who)) == ["p"]
        now += 16  # the claimer dies
    alive(session, "last", now=at(now))
    assert claim(session, at(now), who="last") == []
    job = jobs.get(session, kind="poison", key="p")
    assert job.state == "failed" and "abandoned" in job.last_error


def test_finish_can_reschedule_recurring_work(session, a_alive):
    jobs.schedule(session, kind="card_sweep", key="all", due_at=at(0))
    [job] = claim(session, at(0))
    jobs.finish(session, job_id=job.id, instance_id="a", now=at(1), reschedule_at=at(6))
    job = jobs.get(session, kind="card_sweep", key="all")
    assert (job.state, job.due_at, job.attempts) == ("pending", at(6), 0)
    assert claim(session, at(5)) == []
    assert keys(claim(session, at(6))) == ["all"]


def test_ensure_adds_or_revives_but_never_moves(session, a_alive):
    jobs.ensure(session, kind="sweep", key="all", due_at=at(10))
    jobs.ensure(session, kind="sweep", key="all", due_at=at(99))
    assert jobs.get(session, kind="sweep", key="all").due_at == at(10)
    [job] = claim(session, at(10))
    jobs.ensure(session, kind="sweep", key="all", due_at=at(11))
    assert jobs.get(session, kind="sweep", key="all").state == "running"
    jobs.fail(session, job_id=job.id, instance_id="a", error="x", retry_at=None)
    jobs.ensure(session, kind="sweep", key="all", due_at=at(12))
    revived = jobs.get(session, kind="sweep", key="all")
    assert (revived.state, revived.due_at, revived.attempts) == ("pending", at(12), 0)


def test_cancel(session, a_alive):
    jobs.schedule(session, kind="close", key="ee", due_at=at(0))
    assert jobs.cancel(session, kind="close", key="ee")
    assert not jobs.cancel(session, kind="close", key="ee")
    assert claim(session, at(10)) == []


def test_only_known_kinds_until_others_are_overdue(session, a_alive):
    jobs.schedule(session, kind="mine", key="1", due_at=at(0))
    jobs.schedule(session, kind="theirs", key="2", due_at=at(0))
    grace = timedelta(seconds=30)
    assert keys(claim(session, at(1), kinds={"mine"}, others_after=grace)) == ["1"]
    assert claim(session, at(29), kinds={"mine"}, others_after=grace) == []
    assert keys(claim(session, at(30), kinds={"mine"}, others_after=grace)) == ["2"]


def test_next_due_unfinished_and_requeue(session, a_alive):
    assert jobs.next_due(session) is None
    jobs.schedule(session, kind="a", key="late", due_at=at(50))
    jobs.schedule(session, kind="a", key="soon", due_at=at(5))
    jobs.schedule(session, kind="a", key="done", due_at=at(1))
    jobs.schedule(session, kind="a", key="bad", due_at=at(2))
    assert jobs.next_due(session) == at(1)
    claimed = {job.key: job for job in claim(session, at(3))}
    jobs.finish(session, job_id=claimed["done"].id, instance_id="a", now=at(3))
    jobs.fail(session, job_id=claimed["bad"].id, instance_id="a", error="no", retry_at=None)
    assert [(j.key, j.state) for j in jobs.unfinished(session)] == [
        ("bad", "failed"),
        ("soon", "pending"),
        ("late", "pending"),
    ]
    assert jobs.next_due(session) == at(5)
    assert jobs.requeue_failed(session, now=at(4)) == 1
    bad = jobs.get(session, kind="a", key="bad")
    assert (bad.state, bad.due_at, bad.attempts, bad.last_error) == ("pending", at(4), 0, "no")


# -- several instances on PostgreSQL ------------------------------------------------------


def fill(session_factory, count: int) -> None:
    with transaction(session_factory) as session:
        alive(session, "a", "b", *(f"w{n}" for n in range(4)))
        for n in range(count):
            jobs.schedule(session, kind="k", key=str(n), due_at=at(0))


@POSTGRES_ONLY
def test_concurrent_claimers_skip_each_others_jobs(session_factory):
    """A claim open in one transaction is skipped, not waited for, by another."""
    fill(session_factory, 6)
    first = session_factory()
    pool = ThreadPoolExecutor(1)
    try:
        mine = claim(first, at(1), who="a", limit=3)  # not committed yet: rows locked
        other = pool.submit(_claim_and_commit, session_factory, "b", 10)
        theirs = other.result(timeout=10)  # without SKIP LOCKED it would wait for `first`
    finally:
        first.commit()
        first.close()
        pool.shutdown()
    assert sorted(keys(mine) + keys(theirs), key=int) == [str(n) for n in range(6)]
    assert len(mine) == 3 and set(keys(mine)).isdisjoint(keys(theirs))


@POSTGRES_ONLY
def test_many_claimers_at_once_take_every_job_exactly_once(session_factory):
    fill(session_factory, 200)
    start = threading.Barrier(4)

    def worker(name: str) -> list[str]:
        start.wait()
        taken: list[str] = []
        while batch := _claim_and_commit(session_factory, name, limit=3):
            taken += keys(batch)
        return taken

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, [f"w{n}" for n in range(4)]))
    everything = [key for taken in results for key in taken]
    assert sorted(everything, key=int) == [str(n) for n in range(200)]
    assert all(results), "every claimer got some of the work"


def _claim_and_commit(session_factory, who: str, limit: int) -> list[jobs.ScheduledJob]:
    with transaction(session_factory) as session:
        return claim(session, at(1), who=who, limit=limit)
