"""The message shortcut *Propose as recommendation*: any message becomes a submission form."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.notices import Notices
from bot.listeners.recommend import set_default_group
from bot.runtime.channel_hints import ChannelGroups
from bot.slack.clients import attempt
from bot.slack.ids import Callback
from bot.slack.outbound import Outbound
from bot.slack.parse import decode_slack_text, text_of
from bot.ui.modal import recommend_modal
from bot.ui.render import render
from storage import groups


def propose(
    ack: Ack,
    shortcut: dict[str, Any],
    context: BoltContext,
    *,
    hints: ChannelGroups,
    slack: Outbound,
    notices: Notices,
) -> None:
    """Open the form with the message's text at once (the trigger_id lives 3 s), then make
    sure it defaults to the channel's group; its submission is /recommend's."""
    ack()
    channel = shortcut.get("channel")
    channel_id = text_of(channel.get("id")) if isinstance(channel, dict) else ""
    message = shortcut.get("message")
    text = decode_slack_text(text_of(message.get("text")) if isinstance(message, dict) else "")
    hint = hints.get(channel_id)
    form = recommend_modal(channel_id=channel_id, text=text, group_key=hint)
    opened = attempt(
        "views.open failed",
        lambda: slack.quick.views_open(trigger_id=text_of(shortcut.get("trigger_id")), view=form),
    )
    if opened.value is None:
        user_id = context["actor"].user_id
        note = render("shortcut/open_failed.j2", error=opened.error)
        context["followups"].reply(
            "form not opened", lambda: notices.ephemeral(channel_id or None, user_id, note)
        )
        return
    if not channel_id:
        return
    group = groups.group_for_channel(context["session"], channel_id)
    key = group.key if group is not None else None
    hints.saw(channel_id, key)
    if key != hint:  # the record wins over this process's hint
        view = opened.value["view"]
        context["followups"].reply(
            "modal default group",
            lambda: set_default_group(slack.client, view, channel_id, text, key),
        )


def register(app: Any, *, hints: ChannelGroups, slack: Outbound, notices: Notices) -> None:
    """Register the message shortcut (its form is submitted to bot.listeners.recommend)."""
    app.message_shortcut(Callback.PROPOSE_RECOMMENDATION)(
        partial(propose, hints=hints, slack=slack, notices=notices)
    )
