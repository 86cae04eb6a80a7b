"""The App Home tab: published when it is opened, its pages, and the cockpit's `Close`,
`Reopen` and `Compile` buttons (the vote buttons are the card's: bot/listeners/votes.py).

The buttons do what `/wg close`, `/wg reopen` and `/wg compile` do in the group's channel:
the same operations, permission checks and audit, the cards refreshed and the document
uploaded to the group's channel. The person is told privately (a direct message, as a Home
has no channel), and the Homes the change concerns are refreshed after the commit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.compile import Compiles
from bot.delivery.homes import Homes
from bot.delivery.notices import Notices
from bot.listeners import wg
from bot.slack.ids import Action
from bot.slack.values import GroupRef, HomePage
from bot.ui.render import render
from storage import compiles as compile_rights
from storage.actors import Actor
from storage.errors import NotFound
from storage.groups import group_by_key
from storage.models import Group


def home_opened(event: dict[str, Any], context: BoltContext, *, homes: Homes) -> None:
    """Publish the person's Home when they open it (after the commit, on the job pool,
    coalesced), showing the page of the view they opened."""
    user_id, view = event.get("user"), event.get("view")
    if isinstance(user_id, str) and event.get("tab", "home") == "home":
        context["followups"].on_commit("home", lambda: homes.touch(user_id, view))


def turn_page(ack: Ack, action: dict[str, Any], context: BoltContext, *, homes: Homes) -> None:
    """`Next` / `Previous`: show that page of the waiting list."""
    ack()
    page = HomePage.parse(action.get("value"))
    homes.show_page(context["actor"].user_id, page.page if page else 1)


def set_open(
    ack: Ack,
    action: dict[str, Any],
    context: BoltContext,
    *,
    is_open: bool,
    cards: CardUpdates,
    homes: Homes,
    notices: Notices,
) -> None:
    """`Close` / `Reopen`: what `/wg close` / `/wg reopen` does in the group's channel."""
    ack()
    group = _group(context, action)
    command = {"channel_id": group.channel_id}
    text = wg.set_open(context, command, [], is_open=is_open, cards=cards)
    _after(context, homes, notices, group.key, text)


def compile_group(
    ack: Ack,
    action: dict[str, Any],
    context: BoltContext,
    *,
    compiles: Compiles,
    homes: Homes,
    notices: Notices,
) -> None:
    """`Compile`: what `/wg compile` does in the group's channel (uploaded there)."""
    ack()
    group = _group(context, action)
    channel_id = group.channel_id or ""
    actor: Actor = context["actor"]
    session = context["session"]
    key = compile_rights.authorize(
        session, actor=actor, channel_id=channel_id, whole_workshop=False
    )
    request_id = compiles.request(session, actor=actor, channel_id=channel_id, group_key=key)

    def run() -> None:
        compiles.run(request_id, actor)
        homes.touch(actor.user_id)  # its document now heads the list

    context["followups"].on_commit("compile", run)
    text = render("home/compile_started.j2", group=group.name, channel_id=channel_id)
    _after(context, homes, notices, None, text)


def register(
    app: Any, *, homes: Homes, cards: CardUpdates, compiles: Compiles, notices: Notices
) -> None:
    """Register app_home_opened and the Home's buttons."""
    app.event("app_home_opened")(partial(home_opened, homes=homes))
    for page_action in (Action.HOME_NEXT, Action.HOME_PREVIOUS):
        app.action(page_action)(partial(turn_page, homes=homes))
    for open_action, is_open in ((Action.HOME_CLOSE, False), (Action.HOME_REOPEN, True)):
        app.action(open_action)(
            partial(set_open, is_open=is_open, cards=cards, homes=homes, notices=notices)
        )
    app.action(Action.HOME_COMPILE)(
        partial(compile_group, compiles=compiles, homes=homes, notices=notices)
    )


def _group(context: BoltContext, action: dict[str, Any]) -> Group:
    """The group a button names, with its channel; raises NotFound, UnknownGroup."""
    group = group_by_key(context["session"], GroupRef.parse(action.get("value")).group)
    if not group.channel_id:
        raise NotFound(what="group's channel")
    return group


def _after(
    context: BoltContext, homes: Homes, notices: Notices, group_key: str | None, text: str
) -> None:
    """After the commit: tell the person, refresh the Homes the change concerns."""
    user_id = context["actor"].user_id
    followups = context["followups"]
    followups.on_commit("home reply", lambda: notices.direct(user_id, text))
    if group_key is not None:
        followups.on_commit("homes", lambda: homes.touch_group(group_key))
