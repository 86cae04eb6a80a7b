"""Bolt middlewares that every request passes after the signature check."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.slack.parse import ids_fit
from storage.requests import first_delivery


class RefuseOverlongIds(Middleware):  # type: ignore[misc]
    """A user or channel id longer than Slack issues (and storage keeps) is refused: a 400.

    After the signature check (Bolt's own middleware runs first), before any listener.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        actor = req.context.get("actor")  # the unit of work found the acting user already
        if not ids_fit(req.body, actor.user_id if actor else None):
            return BoltResponse(status=400, body="malformed user or channel id")
        return next()


class DeduplicateEvents(Middleware):  # type: ignore[misc]
    """Process each Events API delivery once, across retries and instances.

    A Middleware class rather than a function: Bolt builds no keyword arguments for it, and
    it runs on every request, votes included.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if body.get("type") == "event_callback":
            event_id = body.get("event_id")
            if not isinstance(event_id, str) or not event_id:
                return BoltResponse(status=400, body="missing event_id")
            if _changes_nothing(body.get("event")):
                return next()  # handled without a write: a retry of it is harmless
            if not first_delivery(req.context["session"], "event:" + event_id):
                return BoltResponse(status=200, body="")
        return next()


def _changes_nothing(event: object) -> bool:
    """Ordinary channel chat (not in a thread, not an edit or a deletion): the app reads
    nothing in it, so it costs no deduplication row."""
    return (
        isinstance(event, dict)
        and event.get("type") == "message"
        and "thread_ts" not in event
        and event.get("subtype") not in ("message_changed", "message_deleted")
    )
