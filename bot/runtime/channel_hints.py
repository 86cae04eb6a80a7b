"""Which group each channel is linked to, as this process last saw it.

`/recommend` must open its form before any database work (a trigger_id lives 3 s), yet the
form should default to the channel's group. This is the hint it opens with: filled when a
channel is linked here and each time a form's channel is read afterwards. It is never the
record: the group read after the ack wins, and the form is updated when the two differ.
"""

from __future__ import annotations

import threading


class ChannelGroups:
    """channel id → group key, or None where the channel was last seen unlinked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[str, str | None] = {}

    def get(self, channel_id: str) -> str | None:
        """The group key this channel was last seen linked to, if any."""
        return self._known.get(channel_id)

    def saw(self, channel_id: str, group_key: str | None) -> None:
        """Remember what the record says of this channel now (a group has one channel)."""
        with self._lock:
            if group_key is not None:
                for channel, key in list(self._known.items()):
                    if key == group_key:
                        self._known[channel] = None
            self._known[channel_id] = group_key
