"""Opening a form that changes a recommendation's text or standing, from its card's menu or an
amendment's button: a placeholder at once (a trigger_id lives 3 s), then, from the record,
the form or why the person may not (said in the form and privately in the channel, which
stays once the form is closed). Shared by the edit, withdraw, amendment and merge listeners.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext

from bot.delivery.notices import Notices
from bot.runtime.errors import message_for
from bot.slack.clients import attempt
from bot.slack.ids import Block, Callback
from bot.slack.outbound import Outbound
from bot.ui.render import render
from bot.ui.text_forms import placeholder, refused
from storage.errors import DomainError

if TYPE_CHECKING:
    from bot.listeners.card_menu import MenuClick

LEADING_EMOJI = re.compile(r"^:[a-z0-9_+-]+:\s*")
FIELD_ERROR_MAX = 150  # Slack shows at most this much under a field

Build = Callable[[], dict[str, Any]]
# A card-menu action's read of the record for the person (raises a refusal), and its form.
Read = Callable[..., Any]
Draw = Callable[[Any, "MenuClick"], dict[str, Any]]


def open_form(
    context: BoltContext,
    *,
    trigger_id: str,
    user_id: str,
    channel_id: str | None,
    slack: Outbound,
    notices: Notices,
    callback: Callback,
    section_key: str,
    build: Build,
) -> None:
    """Open a placeholder, then show what `build` makes of the record (raising a
    DomainError: the refusal instead)."""
    followups = context["followups"]
    opened = attempt(
        "views.open failed",
        lambda: slack.quick.views_open(
            trigger_id=trigger_id, view=placeholder(callback, section_key)
        ),
    )
    if opened.value is None:
        text = render("texts/open_failed.j2", error=opened.error)
        followups.reply("form not opened", lambda: notices.ephemeral(channel_id, user_id, text))
        return
    view_id = opened.value["view"]["id"]
    try:
        view = build()
    except DomainError as refusal:
        text = message_for(refusal)

        def refuse() -> None:
            show(slack, view_id, refused(callback, section_key, text))
            notices.ephemeral(channel_id, user_id, text)

        followups.reply("form refused", refuse)
        return
    followups.reply("form", lambda: show(slack, view_id, view))


def open_from_menu(
    click: MenuClick,
    *,
    slack: Outbound,
    notices: Notices,
    callback: Callback,
    section_key: str,
    read: Read,
    draw: Draw,
) -> None:
    """Open the form of a card-menu action: `read(session, actor=, recommendation_id=)` what
    the person may do (or raise why not), then `draw(what, click)` its form."""

    def build() -> dict[str, Any]:
        what = read(
            click.context["session"],
            actor=click.context["actor"],
            recommendation_id=click.recommendation_id,
        )
        return draw(what, click)

    open_form(
        click.context,
        trigger_id=click.trigger_id,
        user_id=click.user_id,
        channel_id=click.channel_id,
        slack=slack,
        notices=notices,
        callback=callback,
        section_key=section_key,
        build=build,
    )


def show(slack: Outbound, view_id: str, view: dict[str, Any]) -> None:
    """Replace the placeholder; if the person closed it meanwhile, there is nothing to do."""
    attempt(
        "form not shown",
        lambda: slack.client.views_update(view_id=view_id, view=view),
        level=logging.INFO,
    )


def under_field(error: Exception) -> str:
    """A refusal as a field's error: plain text without its leading emoji, cut to fit."""
    return LEADING_EMOJI.sub("", message_for(error))[:FIELD_ERROR_MAX]


def field_errors(error: Exception, block: Block) -> dict[str, Any]:
    """The answer to a submission that is refused: the reason under `block`."""
    return {"response_action": "errors", "errors": {block: under_field(error)}}
