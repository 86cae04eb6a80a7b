"""The part of a card that depends on how its group decides: its tally and its buttons.

By vote: `Support: 3 · Oppose: 1 · Abstain: 0` and the three vote buttons. By delegation:
the same, counting delegations, with a line per choice naming them. While its group's
tallies are hidden and voting is open: only how many have voted (`12 votes cast · results
when voting closes`). By consensus: whether
a delegation objects (with the first words of each reason), or the outcome once closed,
and the `Object…` and `Withdraw objection` buttons.
"""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block
from bot.slack.values import card_value
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context
from storage.cards import CardState
from storage.models import Choice, Procedure

FIRST_WORDS = 12  # of an objection's reason, on the card
FIRST_CHARACTERS = 90


def tally_text(state: CardState) -> str:
    """The headline of the card's tally (plain mrkdwn, one line)."""
    if state.procedure is Procedure.CONSENSUS:
        names = [o.delegation_name for o in state.objections]
        return render("card/consensus_tally.j2", is_open=state.is_open, objecting=names)
    if state.withheld:  # hidden tallies while open (storage.visibility): how many, not how
        return render("card/tally_withheld.j2", cast=state.cast, procedure=state.procedure)
    if state.procedure is Procedure.DELEGATION:
        return render("card/tally_delegations.j2", counts=state.counts)
    return render("card/tally.j2", counts=state.counts)


def tally_blocks(state: CardState) -> list[dict[str, Any]]:
    """The tally's section, then what it needs explained (delegations, objections)."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "block_id": Block.TALLY,
            "text": {"type": "mrkdwn", "text": f"*{tally_text(state)}*"},
        }
    ]
    if state.procedure is Procedure.DELEGATION and not state.withheld:
        lines = [(c.value, [b.delegation for b in state.ballots if b.choice == c]) for c in Choice]
        blocks.append(context(render("card/ballots.j2", lines=lines)))
    elif state.procedure is Procedure.CONSENSUS:
        objections = [
            {"name": o.delegation_name, "words": first_words(o.reason)} for o in state.objections
        ]
        blocks.append(context(render("card/objections.j2", objections=objections)))
    return blocks


def objection_buttons(recommendation_id: int) -> dict[str, Any]:
    """A consensus card's `Object…` and `Withdraw objection` buttons."""
    elements = [
        {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": label("objection", key), "emoji": True},
            "value": card_value(recommendation_id),
        }
        for action_id, key in ((Action.OBJECT, "object"), (Action.WITHDRAW_OBJECTION, "withdraw"))
    ]
    return {"type": "actions", "block_id": Block.OBJECTIONS, "elements": elements}


def first_words(reason: str) -> str:
    """The start of a reason: its first words, cut short with `…`."""
    words = reason.split()
    shown = " ".join(words[:FIRST_WORDS])
    if len(shown) > FIRST_CHARACTERS:
        shown = shown[:FIRST_CHARACTERS].rsplit(" ", 1)[0] or shown[:FIRST_CHARACTERS]
    return shown + ("…" if shown != " ".join(words) else "")
