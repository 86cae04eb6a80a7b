"""People acting on a recommendation's text through the card's menu and its thread, as Slack
sends it: shared by the edit, withdraw, amendment and merge listener tests."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage import audit, people
from storage.models import Recommendation
from storage.sessions import transaction
from tests.harness import Harness, card_text

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"
AUTHOR = "UDEL1"
ORGANIZER = "UORG1"
TEXT = "Preserve traffic logs for 180 days."


def seat(h: Harness, user_id: str, delegation: str, role: str = "delegate") -> None:
    """What the participant list records: a confirmed delegation and a role."""
    with transaction(h.app.session_factory) as session:
        person = people.remember(session, user_id, f"Name {user_id}")
        person.delegation, person.role = delegation, role


def workshop(h: Harness, text: str = TEXT, **fields: Any) -> dict[str, Any]:
    """A linked group with a rapporteur and one card, submitted by AUTHOR."""
    h.link(CHANNEL, rapporteur=RAPPORTEUR)
    return h.recommend(AUTHOR, CHANNEL, text, **fields)


def menu_labels(h: Harness, card: dict[str, Any]) -> list[str]:
    """The labels of the card's menu as it stands now ([] without a menu)."""
    heading = next(b for b in h.card(card)["blocks"] if b.get("block_id") == "card_heading")
    menu = heading.get("accessory")
    return [o["text"]["text"] for o in menu["options"]] if menu else []


def choose(h: Harness, user: str, card: dict[str, Any], label: str) -> dict[str, Any] | None:
    """Choose `label` in the card's menu; the form it opened, as the app last set it."""
    heading = next(b for b in h.card(card)["blocks"] if b.get("block_id") == "card_heading")
    option = next(o for o in heading["accessory"]["options"] if o["text"]["text"] == label)
    before = set(h.emulator.views())
    response = h.slack.block_action(
        user,
        channel_id=card["channel"],
        message_ts=card["ts"],
        action_id="card_menu",
        value=option["value"],
        block_id="card_heading",
        user_name=f"name-{user}",
    )
    assert response.status == 200, response.text
    h.settle()
    opened = new_modals(h, before)
    return opened[0] if opened else None


def new_modals(h: Harness, before: set[str]) -> list[dict[str, Any]]:
    """The modals opened since the emulator held the views `before` (Home tabs left out)."""
    return [v for k, v in h.emulator.views().items() if k not in before and v["type"] == "modal"]


def submit(h: Harness, user: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Submit a form with these state values; the app's JSON answer ({}: it closed)."""
    response = h.slack.view_submission(user, view=view, values=values, user_name=f"n-{user}")
    assert response.status == 200, response.text
    h.settle()
    return response.json() if response.text.strip() else {}


def text_values(
    text: str | None, title: str | None = None, rationale: str | None = None
) -> dict[str, Any]:
    """The state values of a form's text, title and rationale fields."""

    def field(value: str | None) -> dict[str, Any]:
        return {"type": "plain_text_input", "value": value}

    return {
        "text_block": {"text_input": field(text)},
        "title_block": {"title_input": field(title)},
        "rationale_block": {"rationale_input": field(rationale)},
    }


def amendment_values(text: str | None, reason: str | None = None) -> dict[str, Any]:
    """The state values of the amendment form."""
    return {
        "text_block": {"text_input": {"type": "plain_text_input", "value": text}},
        "reason_block": {"reason_input": {"type": "plain_text_input", "value": reason}},
    }


def thread(h: Harness, card: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages in the card's thread, oldest first."""
    replies = [m for m in h.emulator.messages(card["channel"]) if m.get("thread_ts") == card["ts"]]
    return sorted(replies, key=lambda m: float(m["ts"]))


def click(h: Harness, user: str, message: dict[str, Any], action_id: str) -> Any:
    """Click a button of a message (a card, or an amendment in a thread)."""
    value = next(
        e["value"]
        for b in message.get("blocks", [])
        for e in b.get("elements", [])
        if isinstance(e, dict) and e.get("action_id") == action_id
    )
    response = h.slack.block_action(
        user,
        channel_id=message["channel"],
        message_ts=message["ts"],
        action_id=action_id,
        value=value,
        user_name=f"name-{user}",
    )
    assert response.status == 200, response.text
    h.settle()
    return response


def buttons(message: dict[str, Any]) -> list[str]:
    """The action ids of a message's buttons."""
    return [
        e.get("action_id")
        for b in message.get("blocks", [])
        if b.get("type") == "actions"
        for e in b.get("elements", [])
    ]


def shown(h: Harness, card: dict[str, Any]) -> str:
    """All the text of the card as it stands now."""
    return card_text(h.card(card))


def view_text(view: dict[str, Any]) -> str:
    """Every string of a view, for what it says."""
    return json.dumps(view, ensure_ascii=False)


def audited(h: Harness, prefix: str = "") -> list[tuple[str, str | None]]:
    """(action, target) of the audit entries whose action starts with `prefix`."""
    with transaction(h.app.session_factory) as session:
        return [(e.action, e.target) for e in audit.entries(session) if e.action.startswith(prefix)]


def stored(h: Harness, number: int = 1) -> Recommendation:
    """The recommendation EE-`number` as stored (detached)."""
    with transaction(h.app.session_factory) as session:
        rec = session.scalars(select(Recommendation).where(Recommendation.seq == number)).one()
        session.expunge(rec)
        return rec
