"""Coalescer: per-key deliveries, the first at once, later ones batched per interval."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest

from bot.delivery.coalescer import Coalescer, DeliverLater
from bot.delivery.jobs import Jobs

INTERVAL = 0.2
WAIT = 5.0


class Recorder:
    """A deliver callback that records (key, items, monotonic time) per call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[int], float]] = []
        self._changed = threading.Condition()

    def __call__(self, key: str, items: list[int]) -> None:
        with self._changed:
            self.calls.append((key, list(items), time.monotonic()))
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = WAIT) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.calls) >= count, timeout)

    def items(self, key: str | None = None) -> list[list[int]]:
        return [items for k, items, _ in self.calls if key is None or k == key]


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    pool = Jobs(workers=4)
    yield pool
    pool.shutdown(wait=False)


@pytest.fixture
def coalescer(jobs) -> Coalescer[str, int]:
    return Coalescer(jobs, INTERVAL, "test")


def test_first_item_delivered_at_once(coalescer):
    deliver = Recorder()
    start = time.monotonic()
    coalescer.add("k", 1, deliver)
    assert deliver.wait_for(1)
    key, items, at = deliver.calls[0]
    assert (key, items) == ("k", [1])
    assert at - start < INTERVAL / 2


def test_quick_items_after_a_delivery_come_together_one_interval_later(coalescer):
    deliver = Recorder()
    coalescer.add("k", 1, deliver)
    assert deliver.wait_for(1)
    for item in (2, 3, 4):
        coalescer.add("k", item, deliver)
    assert deliver.wait_for(2)
    time.sleep(0.05)  # no stray third delivery
    assert deliver.items() == [[1], [2, 3, 4]]
    first_at, second_at = deliver.calls[0][2], deliver.calls[1][2]
    assert second_at - first_at >= INTERVAL * 0.95
    assert second_at - first_at < INTERVAL + 1.0


def test_item_after_the_interval_is_delivered_at_once(coalescer):
    deliver = Recorder()
    coalescer.add("k", 1, deliver)
    assert deliver.wait_for(1)
    time.sleep(INTERVAL + 0.05)
    start = time.monotonic()
    coalescer.add("k", 2, deliver)
    assert deliver.wait_for(2)
    assert deliver.items() == [[1], [2]]
    assert deliver.calls[1][2] - start < INTERVAL / 2


def test_items_arriving_while_a_delivery_is_queued_ride_along():
    jobs = Jobs(workers=1)
    coalescer: Coalescer[str, int] = Coalescer(jobs, INTERVAL, "test")
    deliver = Recorder()
    gate = threading.Event()
    jobs.submit(lambda: gate.wait(WAIT), "blocker")  # the only worker is busy
    for item in (1, 2, 3):
        coalescer.add("k", item, deliver)
    gate.set()
    assert deliver.wait_for(1)
    time.sleep(0.05)
    assert deliver.items() == [[1, 2, 3]]
    jobs.shutdown()


def test_keys_are_independent(coalescer):
    deliver = Recorder()
    coalescer.add("a", 1, deliver)
    assert deliver.wait_for(1)
    coalescer.add("a", 2, deliver)  # "a" is now paced
    start = time.monotonic()
    coalescer.add("b", 10, deliver)  # "b" is not
    assert deliver.wait_for(2)
    assert deliver.calls[1][:2] == ("b", [10])
    assert deliver.calls[1][2] - start < INTERVAL / 2
    assert deliver.wait_for(3)
    assert deliver.items("a") == [[1], [2]]
    assert deliver.items("b") == [[10]]


def test_shutdown_delivers_everything(jobs):
    coalescer: Coalescer[str, int] = Coalescer(jobs, INTERVAL, "test")
    deliver = Recorder()
    coalescer.add("a", 1, deliver)
    coalescer.add("b", 1, deliver)
    assert deliver.wait_for(2)
    for item in (2, 3):
        coalescer.add("a", item, deliver)
        coalescer.add("b", item, deliver)
    jobs.shutdown(wait=True, drain_timeout=WAIT)
    assert deliver.items("a") == [[1], [2, 3]]
    assert deliver.items("b") == [[1], [2, 3]]


def test_shutdown_past_drain_timeout_still_delivers_everything():
    jobs = Jobs(workers=2)
    coalescer: Coalescer[str, int] = Coalescer(jobs, 60.0, "test")  # a long interval
    deliver = Recorder()
    coalescer.add("k", 1, deliver)
    assert deliver.wait_for(1)
    coalescer.add("k", 2, deliver)
    start = time.monotonic()
    jobs.shutdown(wait=True, drain_timeout=0.05)
    assert time.monotonic() - start < 2.0
    assert deliver.items() == [[1], [2]]


def test_every_item_reaches_exactly_one_delivery_under_concurrency(coalescer, jobs):
    deliver = Recorder()
    barrier = threading.Barrier(8)

    def producer(index: int) -> None:
        barrier.wait()
        for n in range(25):
            coalescer.add(f"k{index % 3}", index * 100 + n, deliver)
            if n % 10 == 0:
                time.sleep(0.01)

    threads = [threading.Thread(target=producer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    jobs.shutdown(wait=True, drain_timeout=WAIT)
    delivered = [item for items in deliver.items() for item in items]
    assert sorted(delivered) == sorted(i * 100 + n for i in range(8) for n in range(25))
    assert all(items for items in deliver.items())  # no empty deliveries
    # Items of a key keep their order, per producer.
    for index in range(8):
        mine = [
            item
            for items in deliver.items(f"k{index % 3}")
            for item in items
            if item // 100 == index
        ]
        assert mine == [index * 100 + n for n in range(25)]
    # Deliveries per key are paced: starts at least an interval apart.
    for key in ("k0", "k1", "k2"):
        times = [at for k, _, at in deliver.calls if k == key]
        assert all(b - a >= INTERVAL * 0.95 for a, b in itertools.pairwise(times))


def test_a_slow_delivery_holds_the_next_one_back(jobs: Jobs) -> None:
    """Deliveries for one key never overlap, even when one outlasts the interval."""
    coalescer: Coalescer[str, int] = Coalescer(jobs, 0.05, "test")
    running, overlaps, delivered = [0], [0], []
    lock = threading.Lock()

    def slow(key: str, items: list[int]) -> None:
        with lock:
            running[0] += 1
            overlaps[0] = max(overlaps[0], running[0])
        time.sleep(0.3)  # e.g. riding out a rate limit
        with lock:
            running[0] -= 1
            delivered.extend(items)

    for item in range(4):
        coalescer.add("voter", item, slow)
        time.sleep(0.1)
    jobs.shutdown(wait=True)
    assert overlaps[0] == 1
    assert sorted(delivered) == [0, 1, 2, 3]


def test_a_delivery_put_off_keeps_its_items_gathers_new_ones_and_frees_its_thread():
    jobs = Jobs(workers=1)  # one thread: a delivery sleeping in it would block the probe
    coalescer: Coalescer[str, int] = Coalescer(jobs, INTERVAL, "test")
    delivered = Recorder()
    refusals: list[list[int]] = []
    refused = threading.Event()

    def deliver(key: str, items: list[int]) -> None:
        if not refusals:
            refusals.append(list(items))
            refused.set()
            raise DeliverLater(0.3)  # as when Slack answers 429, Retry-After 0.3 s
        delivered(key, items)

    coalescer.add("k", 1, deliver)
    probe = threading.Event()
    assert refused.wait(WAIT)
    jobs.submit(probe.set, "probe")
    assert probe.wait(0.25), "the put-off delivery held the only thread"
    coalescer.add("k", 2, deliver)
    coalescer.add("k", 3, deliver)
    assert delivered.wait_for(1)
    time.sleep(INTERVAL + 0.05)  # no stray delivery
    assert refusals == [[1]]
    assert delivered.items() == [[1, 2, 3]]
    jobs.shutdown()
