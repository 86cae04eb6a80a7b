"""After a person's request: match them to the participant list, once (bot.delivery.names)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.delivery.names import FirstUse


class MatchOnFirstUse(Middleware):  # type: ignore[misc]
    """Queue the look at the acting person after the request's transaction, if one is due.

    Costs a set lookup on every request (votes included) once the person is matched. The look
    runs whether the request committed or was refused: either way the person used the app.
    """

    def __init__(self, first_use: FirstUse) -> None:
        self.first_use = first_use

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        actor = req.context.get("actor")
        followups = req.context.get("followups")
        if actor is not None and followups is not None and self.first_use.due(actor.user_id):
            user_id, first_use = actor.user_id, self.first_use
            followups.reply("first use", lambda: first_use(user_id))
        return next()
