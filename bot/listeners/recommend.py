"""`/recommend`: open the form at once, then accept its submission."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.delivery.card_post import CardPosts
from bot.delivery.notices import Notices
from bot.runtime.channel_hints import ChannelGroups
from bot.runtime.errors import message_for
from bot.slack.clients import attempt
from bot.slack.ids import Action, Block, Callback, Command
from bot.slack.outbound import Outbound
from bot.slack.parse import decode_slack_text
from bot.ui.modal import metadata_channel, recommend_modal
from bot.ui.render import render
from storage import groups, recommendations
from storage.recommendations import Draft

log = logging.getLogger(__name__)

FIELD_BLOCKS = {
    "text": Block.TEXT,
    "title": Block.TITLE,
    "rationale": Block.RATIONALE,
    "group": Block.GROUP,
}


def open_form(
    ack: Ack,
    command: dict[str, Any],
    context: BoltContext,
    *,
    hints: ChannelGroups,
    slack: Outbound,
) -> None:
    """Open the form at once (the trigger_id lives 3 s), then check the channel's group."""
    channel_id = command.get("channel_id") or ""
    text = decode_slack_text(command.get("text") or "")
    # Open the form before touching the database, with the channel's group as this process
    # last saw it.
    hint = hints.get(channel_id)
    form = recommend_modal(channel_id=channel_id, text=text, group_key=hint)
    opened = attempt(
        "views.open failed",
        lambda: slack.quick.views_open(trigger_id=command["trigger_id"], view=form),
    )
    if opened.value is None:
        ack(
            response_type="ephemeral",
            text=render("recommend/open_failed.j2", error=opened.error, text=text),
        )
        return
    ack()
    group = groups.group_for_channel(context["session"], channel_id)
    key = group.key if group is not None else None
    hints.saw(channel_id, key)
    if key != hint:  # the record wins over this process's hint
        view = opened.value["view"]
        context["followups"].reply(
            "modal default group",
            lambda: set_default_group(slack.client, view, channel_id, text, key),
        )


def submit(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    posts: CardPosts,
    notices: Notices,
) -> None:
    """Store the submission, then post its card (or say it was already submitted)."""
    draft = _draft(view)
    problems = recommendations.problems(draft)
    if problems:
        errors = {FIELD_BLOCKS.get(p.field, Block.TEXT): message_for(p) for p in problems}
        ack(response_action="errors", errors=errors)
        return
    recommendation, created = recommendations.submit(
        context["session"],
        actor=context["actor"],
        draft=draft,
        submission_key=view.get("id") or None,
    )
    ack()
    origin = metadata_channel(view)
    target = recommendation.group.channel_id or origin
    user_id = context["actor"].user_id
    rec_id, number = recommendation.id, recommendation.number
    if created and target:
        context["followups"].on_commit(
            "post card", lambda: posts.post(rec_id, target, user_id, origin)
        )
    elif not created:
        text = render("recommend/duplicate.j2", number=number)
        context["followups"].reply("duplicate", lambda: notices.ephemeral(origin, user_id, text))


def register(
    app: Any, *, hints: ChannelGroups, slack: Outbound, posts: CardPosts, notices: Notices
) -> None:
    """Register /recommend and the modal's submission."""
    app.command(Command.RECOMMEND)(partial(open_form, hints=hints, slack=slack))
    app.view(Callback.RECOMMEND_MODAL)(partial(submit, posts=posts, notices=notices))


def _draft(view: dict[str, Any]) -> Draft:
    values = ((view.get("state") or {}).get("values")) or {}

    def text(block: str, action: str) -> str | None:
        value = (values.get(block) or {}).get(action) or {}
        raw = value.get("value") if isinstance(value, dict) else None
        return raw if isinstance(raw, str) else None

    selected = ((values.get(Block.GROUP) or {}).get(Action.GROUP) or {}).get("selected_option")
    group_key = selected.get("value") if isinstance(selected, dict) else None
    return Draft(
        group_key=group_key if isinstance(group_key, str) else None,
        text=text(Block.TEXT, Action.TEXT),
        title=text(Block.TITLE, Action.TITLE),
        rationale=text(Block.RATIONALE, Action.RATIONALE),
    )


def set_default_group(
    client: WebClient, view: dict[str, Any], channel_id: str, text: str, group_key: str | None
) -> None:
    """Preselect the channel's group; Slack keeps what the person typed (same block ids)."""
    # A hash_conflict means the person already changed the view: their choice wins.
    attempt(
        "default group not set",
        lambda: client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=recommend_modal(channel_id=channel_id, text=text, group_key=group_key),
        ),
        level=logging.INFO,
    )
