"""People acting in Slack: signed requests to the app, and what the emulator saw it do."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.errors import DemoError
from bot.demo.script import GROUP_NAMES, Person, Submission
from bot.emulator import Emulator, SlackSender, state_value_select, state_value_text
from bot.slack.ids import VOTE_ACTIONS, Action, Block, Command
from storage.models import Choice

POLL = 0.05  # seconds between looks at the emulator while waiting for the app
CHOICE_ACTIONS: dict[Choice, str] = {Choice(v): str(k) for k, v in VOTE_ACTIONS.items()}
_triggers = itertools.count(1)


@dataclass(frozen=True)
class Card:
    """A recommendation's card as posted by the app."""

    submission: int  # index into Script.submissions
    number: str
    recommendation_id: str  # its buttons' value (vote buttons, or by consensus Object…)
    channel: str
    ts: str


@dataclass(frozen=True)
class CardCheck:
    """What one card must show once the app has caught up (texts as the app renders them)."""

    card: Card
    tally: str  # its tally's headline
    status: str  # the line under it: open or closed, and what a click does
    reservations: str | None = None  # the line naming the delegations holding one


class Players:
    """Sends what Slack would send on people's behalf and waits for the app's Web API calls."""

    def __init__(
        self, emulator: Emulator, sender: SlackSender, alive: Callable[[], None] = lambda: None
    ) -> None:
        self.emulator = emulator
        self.sender = sender
        self.alive = alive  # raises DemoError if the app has died

    # --- slash commands -------------------------------------------------------------------
    def command(
        self, person: Person, channel: str, command: str, text: str = "", trigger_id: str = ""
    ) -> str:
        """Run a slash command; the text of the app's acknowledgement ('' for an empty one)."""
        response = self.sender.command(
            person.user_id,
            channel,
            command,
            text,
            user_name=person.handle,
            trigger_id=trigger_id or new_trigger_id(),
        )
        said = f"`{command} {text}`".replace(" `", "`")
        if response.status != 200:
            raise DemoError(f"{said} by {person.handle}: HTTP {response.status} {response.text}")
        if not response.text.strip():
            return ""
        try:
            return str(response.json().get("text") or "")
        except ValueError:
            raise DemoError(f"{said} by {person.handle}: not JSON: {response.text[:200]}") from None

    def wg(self, person: Person, channel: str, text: str, expected: str) -> None:
        """`/wg …`; raises DemoError unless the app answers `expected`."""
        answer = self.command(person, channel, Command.WG, text)
        if answer != expected:
            raise DemoError(
                f"`/wg {text}` by {person.handle} in {channel}: the app answered {answer!r}, "
                f"expected {expected!r}"
            )

    # --- recommendations --------------------------------------------------------------------
    def recommend(self, index: int, submission: Submission, channel: str, posted: int) -> Card:
        """`/recommend`, fill in and submit the form; the card the app posts in `channel`.

        `posted` is how many cards the app has posted in that channel before.
        """
        author, proposal = submission.author, submission.proposal
        trigger_id = new_trigger_id()
        ack = self.command(author, channel, Command.RECOMMEND, "", trigger_id)
        if ack:
            raise DemoError(f"`/recommend` by {author.handle}: the app answered {ack!r}")
        view = self.opened_view(trigger_id)
        values = {
            Block.TEXT: {Action.TEXT: state_value_text(proposal.text)},
            Block.TITLE: {Action.TITLE: state_value_text(proposal.title)},
            Block.RATIONALE: {Action.RATIONALE: state_value_text(proposal.rationale)},
            Block.GROUP: {
                Action.GROUP: state_value_select(
                    proposal.group_key, GROUP_NAMES[proposal.group_key]
                )
            },
        }
        response = self.sender.view_submission(
            author.user_id, view=view, values=values, user_name=author.handle
        )
        if response.status != 200 or response.text.strip():
            raise DemoError(
                f"submitting “{proposal.title}” by {author.handle}: the app answered "
                f"HTTP {response.status} {response.text[:300]}"
            )
        message = self._posted_card(channel, posted + 1)
        if submission.number not in str(message.get("text")):
            raise DemoError(
                f"the card of “{proposal.title}” should be {submission.number}: {message.get('text')!r}"
            )
        return Card(
            submission=index,
            number=submission.number,
            recommendation_id=_button_value(message, CHOICE_ACTIONS[Choice.SUPPORT], Action.OBJECT),
            channel=channel,
            ts=str(message["ts"]),
        )

    def opened_view(self, trigger_id: str) -> dict[str, Any]:
        """The modal the app opened with this trigger id (it does so before answering)."""
        for call in self.emulator.calls("views.open"):
            if call["params"].get("trigger_id") == trigger_id:
                answer = call.get("response") or {}
                if not answer.get("ok"):
                    raise DemoError(f"views.open failed: {answer.get('error')}")
                return dict(answer["view"])
        raise DemoError("`/recommend` was acknowledged but no form was opened")

    def _posted_card(self, channel: str, count: int) -> dict[str, Any]:
        """The `count`-th card the app posted in `channel`."""

        def card_post(call: dict[str, Any]) -> bool:
            answer = call.get("response") or {}
            return bool(answer.get("ok")) and answer.get("channel") == channel

        try:
            calls = self.emulator.wait_for(
                "chat.postMessage", count=count, timeout=10.0, predicate=card_post
            )
        except TimeoutError:
            self.alive()
            raise DemoError(f"the app posted no card in {channel} after a submission") from None
        return dict(calls[count - 1]["response"]["message"])

    # --- votes -------------------------------------------------------------------------------
    def vote(self, person: Person, card: Card, choice: Choice) -> None:
        """Click a vote button on the card as it is now."""
        response = self.sender.block_action(
            person.user_id,
            channel_id=card.channel,
            message_ts=card.ts,
            action_id=CHOICE_ACTIONS[choice],
            value=card.recommendation_id,
            block_id=Block.VOTES,
            user_name=person.handle,
        )
        if response.status != 200:
            raise DemoError(
                f"{person.handle} voting {choice.value} on {card.number}: HTTP {response.status}"
            )

    def wait_for_cards(
        self,
        checks: list[CardCheck],
        timeout: float,
        progress: Callable[[int], None] = lambda done: None,
    ) -> None:
        """Wait until every card shows its tally and open/closed state; raise DemoError if not."""
        deadline = time.monotonic() + timeout
        while True:
            shown = {(m["channel"], m["ts"]): m for m in self.emulator.messages()}
            wrong = [c for c in checks if _problem(c, shown.get((c.card.channel, c.card.ts)))]
            progress(len(checks) - len(wrong))
            if not wrong:
                return
            if time.monotonic() > deadline:
                self.alive()
                details = "; ".join(
                    f"{c.card.number} {_problem(c, shown.get((c.card.channel, c.card.ts)))}"
                    for c in wrong[:5]
                )
                raise DemoError(
                    f"{len(wrong)} card(s) not up to date after {timeout:.0f} s: {details}"
                )
            time.sleep(POLL)

    # --- the outcome document ------------------------------------------------------------------
    def wait_for_upload(
        self, organizer: Person, channel: str, timeout: float
    ) -> list[dict[str, Any]]:
        """The files the app shares in `channel` (the .docx, and its PDF when it makes one,
        arrive together); DemoError if it tells the organizer it failed."""
        deadline = time.monotonic() + timeout
        while True:
            uploads = [u for u in self.emulator.uploads() if u.get("channel_id") == channel]
            if uploads:
                return uploads
            for call in self.emulator.calls("chat.postEphemeral"):
                params = call["params"]
                if params.get("user") == organizer.user_id and params.get("channel") == channel:
                    raise DemoError(f"the app could not compile: {params.get('text')}")
            if time.monotonic() > deadline:
                self.alive()
                raise DemoError(f"no outcome document was uploaded within {timeout:.0f} s")
            time.sleep(POLL)


def new_trigger_id() -> str:
    """A fresh trigger id shaped like Slack's."""
    return f"{int(time.time())}.{next(_triggers)}.{secrets.token_hex(16)}"


def _button_value(message: dict[str, Any], *action_ids: str) -> str:
    """The value of the card's first button with one of these action ids."""
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") in action_ids:
                return str(element.get("value"))
    raise DemoError(f"the card {message.get('text')!r} has no {' or '.join(action_ids)} button")


def _problem(check: CardCheck, message: dict[str, Any] | None) -> str:
    """Why the card does not show what it should yet ('' when it does)."""
    if message is None:
        return "is missing"
    blocks = message.get("blocks") or []
    tally = next((b for b in blocks if b.get("block_id") == Block.TALLY), None)
    shown = str(((tally or {}).get("text") or {}).get("text", "")).strip("*")
    if shown != check.tally:
        return f"shows {shown!r}, expected {check.tally!r}"
    notes = [e.get("text") for b in blocks if b.get("type") == "context" for e in b["elements"]]
    if check.status not in notes:
        return f"does not say {check.status!r}"
    if check.reservations is not None and check.reservations not in notes:
        return f"does not say {check.reservations!r}"
    return ""
