"""The one place domain errors become messages for the person who caused them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.delivery.notices import ephemeral
from bot.runtime.followups import Outbox
from bot.runtime.services import Services
from bot.slack.ids import Block
from bot.ui.render import render
from storage.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)

ECHO_MAX = 80  # characters of a person's input repeated in an error message

FIELD_LABELS = {
    "text": "The recommendation",
    "title": "The title",
    "rationale": "The rationale",
    "group": "The group",
    "choice": "The choice",
}


def message_for(error: Exception) -> str:
    """The text shown for an error (a generic apology for unexpected ones)."""
    if isinstance(error, InvalidInput):
        return render(
            error.template,
            label=FIELD_LABELS.get(error.field, error.field),
            limit=error.params.get("limit", ""),
            length=error.params.get("length", ""),
            problem=error.problem,
        )
    if isinstance(error, DomainError):
        return render(error.template, **{k: shown_input(v) for k, v in error.params.items()})
    return render("errors/generic.j2")


def shown_input(value: object) -> object:
    """What the person typed, cut short: a reply repeats it, it need not repeat 100 KB."""
    if isinstance(value, str) and len(value) > ECHO_MAX:
        return value[: ECHO_MAX - 1] + "…"
    return value


def install(app: Any, services: Services) -> None:
    """Register the app's error handler."""

    @app.error
    def handle_error(error: Exception, request: BoltRequest, body: dict[str, Any]) -> BoltResponse:
        return reply_for(error, request, body, services)


def reply_for(
    error: Exception, request: BoltRequest, body: dict[str, Any], services: Services
) -> BoltResponse:
    """Flag the request as failed and answer the person: never a 5xx, never a traceback."""
    outbox: Outbox | None = request.context.get("outbox")
    if outbox is not None:
        outbox.failed = True
    if not isinstance(error, DomainError):
        log.error("request failed", exc_info=error)
    text = message_for(error)
    if "command" in body:
        return BoltResponse(
            status=200,
            body={"response_type": "ephemeral", "text": text},
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    kind = body.get("type")
    if kind == "block_actions" and outbox is not None:
        user = body.get("user") or {}
        channel = (body.get("channel") or {}).get("id")
        if isinstance(user, dict) and user.get("id") and channel:
            outbox.reply("error reply", lambda: ephemeral(services, channel, user["id"], text))
    if kind == "view_submission":
        block = Block.TEXT if isinstance(error, InvalidInput) else Block.GROUP
        return BoltResponse(
            status=200,
            body={"response_action": "errors", "errors": {block: text[:150]}},
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    return BoltResponse(status=200, body="")
