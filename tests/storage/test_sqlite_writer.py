"""The SQLite writers' queue: bounded waits, one queue per file, the slot freed on every end."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest
from sqlalchemy import text

from storage.engines import make_engine
from storage.sqlite_writer import WriterQueue


def test_writer_wait_is_bounded(tmp_path):
    path = str(tmp_path / "w.db")
    holder = WriterQueue(path + "-writer.lock", timeout=0.2)
    waiter = WriterQueue(path + "-writer.lock", timeout=0.2)  # as another process would
    holder.acquire()
    try:
        outcome: list[BaseException] = []
        thread = threading.Thread(target=lambda: _try(waiter, outcome))
        thread.start()
        thread.join(5)
        assert not thread.is_alive()
        assert isinstance(outcome[0], sqlite3.OperationalError)
    finally:
        holder.release()
    waiter.acquire()  # free again: the slot is handed over
    waiter.release()


def test_one_queue_per_database_file(tmp_path):
    first = WriterQueue.of(str(tmp_path / "a.db"))
    assert WriterQueue.of(str(tmp_path / "." / "a.db")) is first
    assert WriterQueue.of(str(tmp_path / "b.db")) is not first
    assert first.lock_path == os.path.realpath(tmp_path / "a.db") + "-writer.lock"


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_every_end_of_a_transaction_frees_the_slot(tmp_path, end):
    path = tmp_path / "q.db"
    engine = make_engine(f"sqlite:///{path}", pool_size=1)
    queue = WriterQueue.of(str(path))
    connection = engine.connect()
    connection.begin()
    connection.execute(text("CREATE TABLE t (x INTEGER)"))
    assert not _free(queue)
    if end == "close":
        connection.close()
    else:
        getattr(connection, end)()
    assert _free(queue)
    connection.close()
    engine.dispose()


def test_a_forked_child_waits_its_turn_like_any_other_process(tmp_path):
    queue = WriterQueue.of(str(tmp_path / "f.db"))
    tried, tell_parent = os.pipe()
    queue.acquire()  # held while forking, as by a worker of a pre-forking server
    pid = os.fork()
    if pid == 0:
        code = 9
        try:
            os.close(tried)
            code = _turn_in_child(queue, tell_parent)
        finally:
            os._exit(code)
    os.close(tell_parent)
    try:
        assert os.read(tried, 1) == b"1"  # the child found the slot taken
    finally:
        queue.release()
        os.close(tried)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _turn_in_child(queue: WriterQueue, tell_parent: int) -> int:
    """0 if the parent's slot held this process off and was then handed over to it."""
    queue.timeout = 0.2
    try:
        queue.acquire()  # the open file shared with the parent would let this through
    except sqlite3.OperationalError:
        os.write(tell_parent, b"1")
    else:
        os.write(tell_parent, b"0")
        return 1
    queue.timeout = 10
    try:
        queue.acquire()  # the thread lock copied while held would keep this out for good
    except sqlite3.OperationalError:
        return 2
    queue.release()
    return 0


def _free(queue: WriterQueue) -> bool:
    other = WriterQueue(queue.lock_path, timeout=0.05)  # as another process would
    try:
        other.acquire()
    except sqlite3.OperationalError:
        return False
    other.release()
    return True


def _try(queue: WriterQueue, outcome: list[BaseException]) -> None:
    try:
        queue.acquire()
    except BaseException as error:
        outcome.append(error)
    else:
        queue.release()
        outcome.append(AssertionError("acquired a held slot"))
