"""The Scheduler: due work runs once, across instances, after crashes; retries; recurs."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery.scheduler import UNKNOWN_KIND_GRACE, Scheduler
from storage import instances
from storage import schedule as jobs
from storage.models import utcnow
from storage.schedule import ScheduledJob
from storage.sessions import transaction

T0 = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Recorder:
    """A handler that notes each job it runs, and fails while told to."""

    def __init__(self) -> None:
        self.ran: list[ScheduledJob] = []
        self.failures_left = 0
        self.lock = threading.Lock()

    def __call__(self, job: ScheduledJob) -> None:
        with self.lock:
            self.ran.append(job)
            if self.failures_left:
                self.failures_left -= 1
                raise RuntimeError("Slack said no")

    @property
    def keys(self) -> list[str]:
        return [job.key for job in self.ran]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_scheduler(session_factory, clock, recorder):
    def make(instance_id: str = "i1", **handlers) -> Scheduler:
        return Scheduler(
            session_factory,
            handlers or {"remind": recorder},
            instance_id=instance_id,
            clock=clock,
        )

    return make


def schedule(session_factory, kind: str = "remind", key: str = "k", *, due_at: datetime) -> None:
    with transaction(session_factory) as session:
        jobs.schedule(session, kind=kind, key=key, due_at=due_at)


def job(session_factory, kind: str = "remind", key: str = "k") -> ScheduledJob:
    with transaction(session_factory) as session:
        found = jobs.get(session, kind=kind, key=key)
    assert found is not None
    return found


def test_due_work_runs_once_and_not_before(session_factory, make_scheduler, clock, recorder):
    scheduler = make_scheduler()
    schedule(session_factory, due_at=T0 + timedelta(seconds=5))
    assert scheduler.run_due() == 0
    clock.advance(4.9)
    assert scheduler.run_due() == 0
    clock.advance(0.1)
    assert scheduler.run_due() == 1
    assert scheduler.run_due() == 0
    clock.advance(3600)
    assert scheduler.run_due() == 0
    assert recorder.keys == ["k"]
    assert job(session_factory).state == "done"


def test_work_that_fell_due_while_nothing_ran_runs_on_the_next_pass(
    session_factory, make_scheduler, clock, recorder
):
    schedule(session_factory, due_at=T0 + timedelta(seconds=10))
    clock.advance(3 * 3600)  # every instance was down
    assert make_scheduler().run_due() == 1
    assert recorder.keys == ["k"]


def test_two_instances_run_a_due_job_once(session_factory, make_scheduler, clock, recorder):
    first, second = make_scheduler("i1"), make_scheduler("i2")
    schedule(session_factory, due_at=T0)
    assert first.run_due() + second.run_due() == 1
    clock.advance(120)
    assert second.run_due() + first.run_due() == 0
    assert recorder.keys == ["k"]


@POSTGRES_ONLY
def test_instances_running_at_once_share_the_work_exactly_once(session_factory, clock):
    with transaction(session_factory) as session:
        for n in range(120):
            jobs.schedule(session, kind="remind", key=str(n), due_at=T0)
    recorders = [Recorder() for _ in range(3)]
    schedulers = [
        Scheduler(session_factory, {"remind": r}, instance_id=f"i{n}", clock=clock, batch=4)
        for n, r in enumerate(recorders)
    ]
    for scheduler in schedulers:
        scheduler.heartbeat()
    start = threading.Barrier(len(schedulers))

    def drain(scheduler: Scheduler) -> None:
        start.wait()
        while scheduler.run_due():
            pass

    with ThreadPoolExecutor(len(schedulers)) as pool:
        list(pool.map(drain, schedulers))
    counts = Counter(key for r in recorders for key in r.keys)
    assert sorted(counts, key=int) == [str(n) for n in range(120)]
    assert set(counts.values()) == {1}
    assert sum(1 for r in recorders if r.ran) >= 2, "the work was shared"


def test_a_job_whose_claimer_died_is_taken_over(session_factory, make_scheduler, clock, recorder):
    schedule(session_factory, due_at=T0)
    with transaction(session_factory) as session:  # an instance claims it, then is killed
        instances.register(session, instance_id="killed", host="h", pid=9, now=T0)
        jobs.claim_due(session, now=T0, instance_id="killed", lease=timedelta(minutes=5), limit=10)
    survivor = make_scheduler("survivor")
    clock.advance(10)
    assert survivor.run_due() == 0, "the claimer may still be alive"
    clock.advance(6)  # 16 s without a heartbeat: dead, long before its 5-minute lease ends
    assert survivor.run_due() == 1
    assert recorder.ran[0].attempts == 2
    assert job(session_factory).state == "done"


def test_failures_are_retried_with_backoff_then_fail(
    session_factory, make_scheduler, clock, recorder
):
    scheduler = make_scheduler()
    recorder.failures_left = 99
    schedule(session_factory, due_at=T0)
    waits = []
    for _ in range(jobs.MAX_ATTEMPTS - 1):
        assert scheduler.run_due() == 1
        pending = job(session_factory)
        assert pending.state == "pending" and "Slack said no" in pending.last_error
        waits.append((pending.due_at - clock.now).total_seconds())
        clock.advance(waits[-1] - 0.5)
        assert scheduler.run_due() == 0, "not before the retry time"
        clock.advance(0.5)
    assert waits == [5, 15, 45, 135]
    assert scheduler.run_due() == 1
    failed = job(session_factory)
    assert (failed.state, failed.attempts) == ("failed", jobs.MAX_ATTEMPTS)
    clock.advance(3600)
    assert scheduler.run_due() == 0
    assert len(recorder.ran) == jobs.MAX_ATTEMPTS


def test_a_failure_then_success(session_factory, make_scheduler, clock, recorder):
    scheduler = make_scheduler()
    recorder.failures_left = 1
    schedule(session_factory, due_at=T0)
    scheduler.run_due()
    clock.advance(5)
    assert scheduler.run_due() == 1
    done = job(session_factory)
    assert (done.state, done.last_error) == ("done", None)


def test_an_unknown_kind_fails_with_a_clear_error(session_factory, make_scheduler, clock, recorder):
    scheduler = make_scheduler()
    schedule(session_factory, kind="mystery", key="m", due_at=T0)
    assert scheduler.run_due() == 0, "another instance (a newer version) may know it"
    clock.advance(UNKNOWN_KIND_GRACE.total_seconds())
    assert scheduler.run_due() == 1
    failed = job(session_factory, kind="mystery", key="m")
    assert "no handler for kind 'mystery' on instance i1" in failed.last_error
    assert recorder.ran == []


def test_recurring_work_reschedules_itself(session_factory, make_scheduler, clock):
    sweeps = Recorder()
    scheduler = make_scheduler(card_sweep=sweeps)
    scheduler.every("card_sweep", "all", 5)
    make_scheduler("i2", card_sweep=sweeps).every("card_sweep", "all", 5)  # another instance
    assert scheduler.run_due() == 1
    clock.advance(4.9)
    assert scheduler.run_due() == 0
    clock.advance(0.1)
    assert scheduler.run_due() == 1
    sweeps.failures_left = 10  # a recurring job never gives up
    for _ in range(10):
        clock.advance(5)
        assert scheduler.run_due() == 1
    sweeps.failures_left = 0
    clock.advance(5)
    assert scheduler.run_due() == 1
    sweep = job(session_factory, kind="card_sweep", key="all")
    assert (sweep.state, sweep.due_at, sweep.attempts) == (
        "pending",
        clock.now + timedelta(seconds=5),
        0,
    )
    assert len(sweeps.ran) == 13


def test_every_needs_a_handler(make_scheduler):
    with pytest.raises(ValueError, match="card_sweep"):
        make_scheduler().every("card_sweep", "all", 5)


def test_handlers_run_outside_the_claim_transaction(session_factory, make_scheduler, clock):
    """A handler writes in its own transaction (on SQLite it would wait for the claim's)."""

    def reschedule_self(job: ScheduledJob) -> None:
        with transaction(session_factory) as session:
            jobs.schedule(
                session, kind=job.kind, key=job.key, due_at=clock.now + timedelta(seconds=30)
            )

    scheduler = make_scheduler(remind=reschedule_self)
    schedule(session_factory, due_at=T0)
    assert scheduler.run_due() == 1
    again = job(session_factory)
    assert (again.state, again.due_at) == ("pending", T0 + timedelta(seconds=30))


def test_heartbeat_registers_then_keeps_the_instance_alive(session_factory, make_scheduler, clock):
    scheduler = make_scheduler("beating")
    scheduler.heartbeat()
    clock.advance(14)
    scheduler.heartbeat()
    with transaction(session_factory) as session:
        assert instances.live_ids(session, now=clock.now + timedelta(seconds=14)) == ["beating"]


def test_start_runs_due_work_promptly_and_stop_ends_it(session_factory):
    """On the real clock: the background thread picks up new work within a poll interval."""
    done = threading.Event()
    scheduler = Scheduler(
        session_factory, {"remind": lambda job: done.set()}, instance_id="bg", poll_interval=0.05
    )
    scheduler.start()
    try:
        schedule(session_factory, due_at=utcnow())
        assert done.wait(5), "the due job ran"
    finally:
        began = time.monotonic()
        scheduler.stop()
    assert time.monotonic() - began < 2
    with transaction(session_factory) as session:
        assert instances.live_ids(session, now=utcnow()) == [], "a stopped instance is forgotten"
        assert jobs.get(session, kind="remind", key="k").state == "done"
