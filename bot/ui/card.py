"""The recommendation card posted in a group's channel."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import VOTE_ACTIONS, Block
from bot.slack.values import card_value
from bot.ui.card_life import has_buttons, life_blocks
from bot.ui.card_menu import card_menu
from bot.ui.card_tally import objection_buttons, tally_blocks, tally_text
from bot.ui.deadline import card_line as deadline_line
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context, section, sections_for_user_text
from storage.cards import CardState
from storage.models import Procedure

# Slack allows 50 blocks in a message; a card needs at most ~14 even for 2 × 3,000 & chars.
MESSAGE_BLOCKS_MAX = 50


def card_text(state: CardState) -> str:
    """The card's notification/fallback text (shows the tally too)."""
    return render(
        "card/fallback.j2", number=state.number, title=state.title, tally=tally_text(state)
    )


def card_blocks(state: CardState) -> list[dict[str, Any]]:
    """Number, title, text, author and delegation, group, tally, and the buttons (by
    consensus `Object…` and `Withdraw objection`, otherwise Support, Oppose, Abstain)."""
    blocks: list[dict[str, Any]] = [
        heading(state),
        *sections_for_user_text(state.text),
    ]
    if state.rationale:
        blocks.append(context(render("card/rationale.j2")))
        blocks.extend(sections_for_user_text(state.rationale))
    blocks.append(
        context(
            render(
                "card/byline.j2",
                author=state.author_name or state.author_user_id,
                country=state.country_name,
                code=state.country_code,
                group=state.group_name,
            )
        )
    )
    blocks.extend(life_blocks(state))  # `Edited · v2`, `Withdrawn by …`, `Merged into …`
    blocks.append({"type": "divider"})
    blocks.extend(tally_blocks(state))  # by the group's procedure (bot/ui/card_tally.py)
    if state.reservations:
        blocks.append(context(render("card/reservations.j2", codes=state.reservations)))
    if state.comments:
        blocks.append(context(render("card/comments.j2", count=state.comments)))
    if has_buttons(state):  # a withdrawn or merged one is not voted on: its line says why
        blocks.append(
            context(render("card/status.j2", is_open=state.is_open, procedure=state.procedure))
        )
    if has_buttons(state) and state.secret and state.procedure is Procedure.VOTE:
        blocks.append(context(render("card/secret.j2")))
    if has_buttons(state) and state.is_open and state.deadline_at and state.deadline_zone:
        blocks.append(context(deadline_line(state.deadline_at, state.deadline_zone)))
    # The buttons stay while the group is closed: a click is answered with why it can't count.
    # A withdrawn or merged recommendation has none (bot/ui/card_life.py).
    if has_buttons(state) and state.procedure is Procedure.CONSENSUS:
        blocks.append(objection_buttons(state.recommendation_id))
    elif has_buttons(state):
        blocks.append(vote_buttons(state.recommendation_id))
    return blocks[:MESSAGE_BLOCKS_MAX]


def heading(state: CardState) -> dict[str, Any]:
    """The number and title, with the card's menu `⋯` (bot/ui/card_menu.py) beside them."""
    block = section(render("card/heading.j2", number=state.number, title=state.title))
    block["block_id"] = Block.HEADING
    menu = card_menu(state)
    if menu is not None:
        block["accessory"] = menu
    return block


def vote_buttons(recommendation_id: int) -> dict[str, Any]:
    """The Support / Oppose / Abstain buttons; the value carries the recommendation id."""
    styles = {"support": "primary", "oppose": "danger"}
    elements = []
    for action_id, choice in VOTE_ACTIONS.items():
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": label("vote", choice), "emoji": True},
            "value": card_value(recommendation_id),
        }
        if choice in styles:
            button["style"] = styles[choice]
        elements.append(button)
    return {"type": "actions", "block_id": Block.VOTES, "elements": elements}
