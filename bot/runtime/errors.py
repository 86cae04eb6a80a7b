"""The one place domain errors become messages for the person who caused them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from bot.delivery.notices import Notices
from bot.runtime.followups import Followups
from bot.slack.ids import Block
from bot.ui.labels import labels
from bot.ui.render import render
from storage import errors
from storage.texts import Refused as TextRefused

log = logging.getLogger(__name__)

ECHO_MAX = 80  # characters of a person's input repeated in an error message

# The message shown for each domain error (templates/messages/errors/).
TEMPLATES: dict[type[errors.DomainError], str] = {
    errors.NotPermitted: "errors/not_permitted.j2",
    errors.UnknownGroup: "errors/unknown_group.j2",
    errors.UnknownCountry: "errors/unknown_country.j2",
    errors.ChannelNotLinked: "errors/channel_not_linked.j2",
    errors.VotingClosed: "errors/voting_closed.j2",
    errors.NotFound: "errors/not_found.j2",
    errors.InvalidInput: "errors/invalid_input.j2",
    errors.NoConfirmedDelegation: "errors/no_confirmed_delegation.j2",
    errors.ObserverRefused: "errors/observer_refused.j2",
    errors.WrongProcedure: "errors/wrong_procedure.j2",
    errors.NoObjectionToWithdraw: "errors/no_objection_to_withdraw.j2",
    errors.DelegationConfirmed: "errors/delegation_confirmed.j2",
    errors.BallotsRefused: "errors/ballots_refused.j2",
    TextRefused: "texts/refused.j2",  # edit, withdraw, amend, merge, restore
}
GENERIC = "errors/generic.j2"


def template_for(error: BaseException) -> str:
    """The message template for an error: its class's, or the nearest base class's."""
    for kind in type(error).__mro__:
        template = TEMPLATES.get(kind)  # type: ignore[call-overload]
        if template is not None:
            return template
    return GENERIC


def message_for(error: Exception) -> str:
    """The text shown for an error (a generic apology for unexpected ones)."""
    if isinstance(error, errors.InvalidInput):
        return render(
            template_for(error),
            label=labels()["fields"].get(error.field, error.field),
            limit=error.params.get("limit", ""),
            length=error.params.get("length", ""),
            problem=error.problem,
        )
    if isinstance(error, errors.DomainError):
        params = {k: shown_input(v) for k, v in error.params.items()}
        return render(template_for(error), **params)
    return render(GENERIC)


def shown_input(value: object) -> object:
    """What the person typed, cut short: a reply repeats it, it need not repeat 100 KB."""
    if isinstance(value, str) and len(value) > ECHO_MAX:
        return value[: ECHO_MAX - 1] + "…"
    return value


def install(app: Any, notices: Notices) -> None:
    """Register the app's error handler."""

    def handle_error(error: Exception, request: BoltRequest, body: dict[str, Any]) -> BoltResponse:
        return reply_for(error, request, body, notices)

    app.error(handle_error)


def reply_for(
    error: Exception, request: BoltRequest, body: dict[str, Any], notices: Notices
) -> BoltResponse:
    """Flag the request as failed and answer the person: never a 5xx, never a traceback."""
    followups: Followups | None = request.context.get("followups")
    if followups is not None:
        followups.failed = True
    if not isinstance(error, errors.DomainError):
        log.error("request failed", exc_info=error)
    text = message_for(error)
    if "command" in body:
        return BoltResponse(
            status=200,
            body={"response_type": "ephemeral", "text": text},
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    kind = body.get("type")
    if kind == "block_actions" and followups is not None:
        user = body.get("user") or {}
        channel = (body.get("channel") or {}).get("id")
        # No channel (a click in App Home): the person is told in a direct message.
        if isinstance(user, dict) and user.get("id"):
            followups.reply("error reply", lambda: notices.ephemeral(channel, user["id"], text))
    if kind == "view_submission":
        block = Block.TEXT if isinstance(error, errors.InvalidInput) else Block.GROUP
        return BoltResponse(
            status=200,
            body={"response_action": "errors", "errors": {block: text[:150]}},
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    return BoltResponse(status=200, body="")
