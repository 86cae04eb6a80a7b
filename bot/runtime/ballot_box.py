"""Group commit for votes: clicks that arrive while a batch is being written go in the next.

When a session ends, two hundred people click within seconds. Writing each click in its own
transaction makes them queue for the database's one writer; here the clicks that are
waiting are written together, in one transaction, by the thread of one of them (the
leader), and each click's request is answered only once its vote is committed. There is
no extra thread. A leader waits two milliseconds for company before it writes, so under
load a batch holds every click that arrived during the previous commit and that wait. (docs/performance.md measures it.)

The box owns the vote transactions; a refused click (closed group, deleted card) comes
back as its own error and does not affect the others in the batch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from storage import votes
from storage.errors import DomainError
from storage.sessions import transaction

MAX_BATCH = 256  # bounds one transaction's length; more waiting clicks form the next batch
GATHER_SECONDS = 0.002  # a leader's wait for company: small beside Slack's round trip


class VoteNotStored(Exception):
    """The transaction with this vote failed (its cause is chained); nothing was stored."""


class _Slot:
    """One click waiting for its batch.

    Its signal is a bare lock, held from the start: `wait` blocks until `signal` releases
    it. A slot is signalled once for its outcome and, before that, perhaps once to hand it
    the lead (it waits in between), so this does what an Event would, at a fraction of its
    cost on the hottest path.
    """

    __slots__ = ("_signal", "ballot", "lead", "outcome")

    def __init__(self, ballot: votes.Ballot) -> None:
        self.ballot = ballot
        self.lead = False
        self.outcome: votes.VoteResult | BaseException | None = None
        self._signal = threading.Lock()
        self._signal.acquire()

    def wait(self) -> None:
        """Block until signalled; ready to be signalled again."""
        self._signal.acquire()

    def signal(self) -> None:
        """Wake the waiting caller (or let its next wait return at once)."""
        self._signal.release()


class BallotBox:
    """Casts votes through shared transactions; `cast` returns once the vote is committed."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        max_batch: int = MAX_BATCH,
        gather: float = GATHER_SECONDS,
    ) -> None:
        self._session_factory = session_factory
        self._max_batch = max_batch
        self._gather = gather
        self._lock = threading.Lock()
        self._waiting: list[_Slot] = []
        self._writing = False  # a leader is writing; anyone who arrives now waits

    def cast(self, ballot: votes.Ballot) -> votes.VoteResult:
        """Record the click; raises its DomainError, or VoteNotStored if the batch failed."""
        slot = _Slot(ballot)
        with self._lock:
            self._waiting.append(slot)
            lead = not self._writing
            self._writing = True
        if not lead:
            slot.wait()
            lead = slot.lead  # the last leader handed over: write the next batch
        if lead:
            time.sleep(self._gather)  # let the clicks arriving alongside join this batch
            self._write_batch()
        outcome = slot.outcome
        if isinstance(outcome, DomainError):
            raise outcome  # this click's own refusal
        if isinstance(outcome, BaseException):  # the batch failed: one exception per caller
            raise VoteNotStored("the batch with this vote was not stored") from outcome
        assert outcome is not None
        return outcome

    def _write_batch(self) -> None:
        """Write the waiting clicks (this leader's among them), then hand over or stand down."""
        with self._lock:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
        try:
            outcomes = self._commit([slot.ballot for slot in batch])
        except BaseException as error:  # nothing of the batch was stored
            outcomes = [error] * len(batch)
        for slot, outcome in zip(batch, outcomes, strict=True):
            slot.outcome = outcome
            slot.signal()  # the leader's own slot too: harmless, nobody waits on it
        with self._lock:
            if self._waiting:
                successor = self._waiting[0]
                successor.lead = True
                successor.signal()
            else:
                self._writing = False

    def _commit(self, ballots: Sequence[votes.Ballot]) -> list[votes.VoteResult | DomainError]:
        with transaction(self._session_factory) as session:
            return votes.cast_many(session, ballots)
