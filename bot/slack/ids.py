"""Every action_id, callback_id and block_id the app uses, defined once."""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    WG = "/wg"
    RECOMMEND = "/recommend"


class Action(StrEnum):
    VOTE_SUPPORT = "vote_support"
    VOTE_OPPOSE = "vote_oppose"
    VOTE_ABSTAIN = "vote_abstain"
    TEXT = "text_input"
    TITLE = "title_input"
    RATIONALE = "rationale_input"
    GROUP = "group_select"
    OBJECT = "object"  # a consensus card's `Object…` (bot/listeners/objections.py)
    WITHDRAW_OBJECTION = "withdraw_objection"
    REASON = "reason_input"  # the objection form's reason
    CARD_MENU = "card_menu"  # the card's overflow menu `⋯` (bot/ui/card_menu.py)
    WITHDRAW = "withdraw_input"
    ACCEPT_AMENDMENT = "accept_amendment"  # an amendment's buttons (bot/listeners/amendments.py)
    REJECT_AMENDMENT = "reject_amendment"
    MERGE_TARGET = "merge_target"  # the merge form's choice of recommendation
    # App Home (bot/listeners/home.py): a page of what waits for a vote, and a group's state.
    HOME_NEXT = "home_next"
    HOME_PREVIOUS = "home_previous"
    HOME_CLOSE = "home_close"
    HOME_REOPEN = "home_reopen"
    HOME_COMPILE = "home_compile"


VOTE_ACTIONS: dict[Action, str] = {
    Action.VOTE_SUPPORT: "support",
    Action.VOTE_OPPOSE: "oppose",
    Action.VOTE_ABSTAIN: "abstain",
}


class Callback(StrEnum):
    RECOMMEND_MODAL = "recommend_modal"
    OBJECTION_MODAL = "objection_modal"
    PROPOSE_RECOMMENDATION = "propose_recommendation"  # the message shortcut
    RESERVATION_MODAL = "reservation_modal"
    EDIT_MODAL = "edit_modal"  # texts that evolve: bot/listeners/{edit,withdraw,amendments,merge}
    WITHDRAW_MODAL = "withdraw_modal"
    AMEND_MODAL = "amend_modal"
    ACCEPT_MODAL = "accept_amendment_modal"  # accepting one whose text changed since
    REJECT_MODAL = "reject_amendment_modal"
    MERGE_MODAL = "merge_modal"
    HOME = "home"


class Block(StrEnum):
    TEXT = "text_block"
    TITLE = "title_block"
    RATIONALE = "rationale_block"
    GROUP = "group_block"
    VOTES = "vote_buttons"
    TALLY = "tally"
    OBJECTIONS = "objection_buttons"  # a consensus card's buttons, instead of VOTES
    REASON = "reason_block"
    HEADING = "card_heading"  # the card's number and title, with its menu
    WITHDRAW = "withdraw_block"
    AMENDMENT = "amendment_buttons"  # Accept / Reject under an amendment in a card's thread
    MERGE_TARGET = "merge_target_block"


class MenuAction(StrEnum):
    """What an option of the card's menu does (the `do` of its value: bot.slack.values)."""

    RESERVATION = "reservation"
    EDIT = "edit"
    WITHDRAW = "withdraw"
    AMEND = "amend"
    MERGE = "merge"


# The event_type of the metadata every card is posted with: its payload names the
# recommendation, so a card whose post may or may not have reached Slack can be found.
CARD_METADATA = "rapporteur_card"
