"""Jobs: a thread pool for post-commit work, with delayed jobs and a draining shutdown."""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Iterator

import pytest

from bot.delivery.jobs import Jobs, Lane

WAIT = 5.0  # upper bound for anything expected to happen; never reached when all is well


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    pool = Jobs(workers=4)
    yield pool
    pool.shutdown(wait=False)


def _until(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def test_submit_runs_soon(jobs):
    done = threading.Event()
    jobs.submit(done.set, "set")
    assert done.wait(WAIT)


def test_later_runs_after_the_delay_not_before(jobs):
    ran_at: list[float] = []
    done = threading.Event()

    def job() -> None:
        ran_at.append(time.monotonic())
        done.set()

    start = time.monotonic()
    jobs.later(0.2, job, "delayed")
    assert not done.wait(0.1)  # not yet
    assert done.wait(WAIT)
    assert ran_at[0] - start >= 0.2
    assert ran_at[0] - start < 1.0


def test_later_jobs_run_in_order_of_their_time():
    jobs = Jobs(workers=1)
    order: list[str] = []
    done = threading.Event()
    jobs.later(0.15, lambda: (order.append("late"), done.set()), "late")
    jobs.later(0.05, lambda: order.append("early"), "early")
    jobs.later(0.0, lambda: order.append("now"), "now")
    assert done.wait(WAIT)
    assert order == ["now", "early", "late"]
    jobs.shutdown()


def test_pending_counts_delayed_queued_and_running_jobs(jobs):
    assert jobs.pending() == 0
    jobs.later(30, lambda: None, "far")
    jobs.later(30, lambda: None, "far")
    assert jobs.pending() == 2
    release = threading.Event()
    started = threading.Event()

    def blocking() -> None:
        started.set()
        release.wait(WAIT)

    jobs.submit(blocking, "blocking")
    assert started.wait(WAIT)
    assert jobs.pending() == 3
    release.set()
    assert _until(lambda: jobs.pending() == 2)


def test_pending_drops_to_zero_when_delayed_job_has_run(jobs):
    done = threading.Event()
    jobs.later(0.05, done.set, "soon")
    assert jobs.pending() == 1
    assert done.wait(WAIT)
    assert _until(lambda: jobs.pending() == 0)


def test_shutdown_waits_for_delayed_jobs_at_their_time():
    jobs = Jobs(workers=2)
    ran_at: list[float] = []
    start = time.monotonic()
    jobs.later(0.2, lambda: ran_at.append(time.monotonic()), "delayed")
    jobs.shutdown(wait=True, drain_timeout=WAIT)
    assert len(ran_at) == 1
    assert ran_at[0] - start >= 0.2  # at its time, not hurried
    assert jobs.pending() == 0


def test_shutdown_runs_jobs_scheduled_by_delayed_jobs_while_draining():
    jobs = Jobs(workers=2)
    ran: list[str] = []

    def second() -> None:
        ran.append("second")

    def first() -> None:
        ran.append("first")
        jobs.later(0.1, second, "second")

    jobs.later(0.1, first, "first")
    jobs.shutdown(wait=True, drain_timeout=WAIT)
    assert ran == ["first", "second"]


def test_shutdown_runs_leftover_delayed_jobs_at_once_after_drain_timeout():
    jobs = Jobs(workers=2)
    ran: list[str] = []
    jobs.later(60, lambda: ran.append("far"), "far")
    start = time.monotonic()
    jobs.shutdown(wait=True, drain_timeout=0.1)
    elapsed = time.monotonic() - start
    assert ran == ["far"]
    assert 0.1 <= elapsed < 2.0


def test_shutdown_waits_for_running_jobs():
    jobs = Jobs(workers=2)
    finished = threading.Event()
    started = threading.Event()

    def slow() -> None:
        started.set()
        time.sleep(0.1)
        finished.set()

    jobs.submit(slow, "slow")
    assert started.wait(WAIT)
    jobs.shutdown(wait=True, drain_timeout=WAIT)
    assert finished.is_set()


def test_no_delayed_jobs_after_shutdown():
    jobs = Jobs(workers=1)
    jobs.shutdown(wait=True, drain_timeout=0.1)
    with pytest.raises(RuntimeError):
        jobs.later(0.1, lambda: None, "too late")


def test_failures_are_logged_not_raised(jobs, caplog):
    caplog.set_level(logging.ERROR, logger="bot.delivery.jobs")

    def broken() -> None:
        raise ValueError("boom")

    jobs.submit(broken, "broken-now")  # does not raise here
    jobs.later(0.01, broken, "broken-later")
    assert _until(lambda: len(caplog.records) >= 2)
    assert {r.job for r in caplog.records} == {"broken-now", "broken-later"}
    for record in caplog.records:
        assert record.getMessage() == "background job failed"
        assert record.exc_info is not None and isinstance(record.exc_info[1], ValueError)
    # The pool keeps working.
    done = threading.Event()
    jobs.submit(done.set, "after")
    assert done.wait(WAIT)


def test_jobs_run_in_the_context_of_whoever_queued_them(jobs):
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
    seen: list[str] = []
    done = threading.Event()

    def job() -> None:
        seen.append(request_id.get())
        if len(seen) == 2:
            done.set()

    token = request_id.set("req-42")
    try:
        jobs.submit(job, "now")
        jobs.later(0.01, job, "later")
    finally:
        request_id.reset(token)
    assert done.wait(WAIT)
    assert seen == ["req-42", "req-42"]


def test_card_updates_run_while_every_general_thread_is_busy():
    jobs = Jobs(workers=2, card_workers=1)
    release = threading.Event()
    for _ in range(4):  # two running, two queued: a burst riding out rate limits
        jobs.submit(lambda: release.wait(WAIT), "confirmation")
    card = threading.Event()
    later_card = threading.Event()
    jobs.submit(card.set, "card update", Lane.CARDS)
    jobs.later(0.05, later_card.set, "card update", Lane.CARDS)
    try:
        assert card.wait(1.0) and later_card.wait(1.0)
    finally:
        release.set()
        jobs.shutdown()
