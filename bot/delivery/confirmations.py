"""Vote confirmations, coalesced: one private message per voter per interval.

Best effort by design: a voter who got no confirmation sees the card and can click again,
which changes nothing.
"""

from __future__ import annotations

from bot.delivery.coalescer import Coalescer
from bot.delivery.jobs import Jobs
from bot.delivery.notices import Notices
from bot.ui.confirmation import confirmation
from storage.votes import VoteResult

# Whom a confirmation goes to: (channel id or None, user id).
Recipient = tuple[str | None, str]


class Confirmations:
    """Tells each voter what their clicks did, gathering a burst's clicks into one message."""

    def __init__(self, jobs: Jobs, notices: Notices, interval: float) -> None:
        self._coalescer: Coalescer[Recipient, VoteResult] = Coalescer(
            jobs, interval, "vote confirmation"
        )
        self._notices = notices

    def add(self, channel_id: str | None, user_id: str, result: VoteResult) -> None:
        """Confirm this click, at once or with the voter's next ones."""
        self._coalescer.add((channel_id, user_id), result, self._send)

    def _send(self, recipient: Recipient, results: list[VoteResult]) -> None:
        channel_id, user_id = recipient
        self._notices.paced_ephemeral(channel_id, user_id, confirmation(results))
