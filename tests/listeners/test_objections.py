"""Objections in a group deciding by consensus, through signed requests against the emulator:
the form, its reason checked by the app, withdrawal by the delegation, refusals, the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.values import CardRef
from bot.ui.objection_modal import objection_modal
from storage.models import Objection, Role
from tests.factories.seats import seat_all
from tests.harness import Harness, card_text, dump, rec_value

CHANNEL = "CCONS"
RAPPORTEUR = "URAPP1"
SEATS = {
    "UTH1": ("TH", Role.DELEGATE, "Somchai Prasert"),
    "UTH2": ("TH", Role.DELEGATE, "Malee Srisuk"),
    "UVN1": ("VN", Role.DELEGATE, "Nguyễn Thị Lan"),
    "UOBS": ("UNODC", Role.OBSERVER, "Observer Olsen"),
}
REASON = "ประเทศไทยคัดค้าน: the 180-day period conflicts with our data protection law."


@pytest.fixture
def card(harness: Harness, session_factory: sessionmaker[Session]) -> dict[str, Any]:
    """A consensus group with seated delegations and one posted card."""
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    seat_all(session_factory, SEATS)
    harness.wg(RAPPORTEUR, CHANNEL, "procedure consensus")
    card = harness.recommend("UVN1", CHANNEL, "Preserve subscriber data for 180 days.")
    harness.settle()
    return card


def _press(harness: Harness, user: str, card: dict[str, Any], action_id: str) -> Any:
    message = harness.card(card)
    value = next(
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    response = harness.slack.block_action(
        user,
        channel_id=card["channel"],
        message_ts=card["ts"],
        action_id=action_id,
        value=value,
        block_id="objection_buttons",
        user_name=f"name-{user}",
    )
    assert response.status == 200, response.text
    harness.settle()
    return response


def _open_form(harness: Harness, user: str, card: dict[str, Any]) -> dict[str, Any]:
    before = set(harness.emulator.views())
    _press(harness, user, card, "object")
    opened = [v for k, v in harness.emulator.views().items() if k not in before]
    assert len(opened) == 1
    return opened[0]


def _submit(harness: Harness, user: str, view: dict[str, Any], reason: str | None) -> Any:
    values = {"reason_block": {"reason_input": {"type": "plain_text_input", "value": reason}}}
    response = harness.slack.view_submission(user, view=view, values=values, user_name=user)
    assert response.status == 200, response.text
    harness.settle()
    return response.json() if response.text.strip() else {}


def _stored(session_factory: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    with session_factory() as session:
        rows = session.execute(
            select(Objection.delegation, Objection.reason, Objection.user_id).order_by(
                Objection.delegation
            )
        )
        return [tuple(r) for r in rows]


def test_a_delegate_objects_and_the_card_shows_who_and_why(
    harness: Harness, card: dict[str, Any], session_factory: sessionmaker[Session]
) -> None:
    view = _open_form(harness, "UTH1", card)
    assert view["callback_id"] == "objection_modal"
    assert _submit(harness, "UTH1", view, REASON) == {}
    assert _stored(session_factory) == [("TH", REASON, "UTH1")]
    shown = card_text(harness.card(card))
    assert "*Objection by Thailand*" in shown and "No objection" not in shown
    assert "Thailand: “ประเทศไทยคัดค้าน: the 180-day period conflicts with our data" in shown
    told = harness.ephemerals("UTH1")[-1]
    assert "The objection of Thailand to *EE-1* is recorded" in told

    # Another delegate of Thailand: the form holds Thailand's reason; submitting replaces it.
    again = _open_form(harness, "UTH2", card)
    harness.settle()
    refreshed = harness.emulator.views()[again["id"]]
    element = next(b for b in refreshed["blocks"] if b.get("block_id") == "reason_block")
    assert element["element"]["initial_value"] == REASON
    _submit(harness, "UTH2", refreshed, "Our parliament must first amend the data law.")
    assert _stored(session_factory) == [
        ("TH", "Our parliament must first amend the data law.", "UTH2")
    ]
    assert "replacing the earlier one" in harness.ephemerals("UTH2")[-1]


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("Too short", "must be at least 10 characters; yours has 9"),
        ("          ", "The reason is required"),
        ("x" * 1001, "can be at most 1000 characters; yours has 1001"),
    ],
)
def test_a_reason_out_of_bounds_is_shown_under_its_field_and_nothing_is_stored(
    harness: Harness,
    card: dict[str, Any],
    session_factory: sessionmaker[Session],
    reason: str,
    error: str,
) -> None:
    view = _open_form(harness, "UTH1", card)
    answer = _submit(harness, "UTH1", view, reason)
    assert answer["response_action"] == "errors"
    assert error in answer["errors"]["reason_block"]
    assert _stored(session_factory) == []
    assert "No objection" in card_text(harness.card(card))


def test_the_objection_is_the_delegations_to_withdraw(
    harness: Harness, card: dict[str, Any], session_factory: sessionmaker[Session]
) -> None:
    _submit(harness, "UTH1", _open_form(harness, "UTH1", card), REASON)
    _press(harness, "UVN1", card, "withdraw_objection")  # another delegation's delegate
    refused = harness.ephemerals("UVN1")[-1]
    assert "Viet Nam has no objection to *EE-1* to withdraw" in refused
    assert "The objection standing is Thailand's" in refused
    assert _stored(session_factory) == [("TH", REASON, "UTH1")]

    _press(harness, "UTH2", card, "withdraw_objection")  # Thailand's other delegate
    assert "The objection of Thailand to *EE-1* is withdrawn." in harness.ephemerals("UTH2")[-1]
    assert _stored(session_factory) == []
    assert "No objection" in card_text(harness.card(card))


def test_observers_and_the_unlisted_cannot_object(
    harness: Harness, card: dict[str, Any], session_factory: sessionmaker[Session]
) -> None:
    view = _open_form(harness, "UOBS", card)
    shown = harness.emulator.views()[view["id"]]
    assert "Observers never count towards any tally and never object" in dump(shown)
    assert "Observers never count" in harness.ephemerals("UOBS")[-1]
    # A form opened before the refusal cannot be used to object either.
    rec_id = CardRef.parse(rec_value(harness.card(card))).rec
    form = {**objection_modal(recommendation_id=rec_id, channel_id=CHANNEL), "id": view["id"]}
    answer = _submit(harness, "UOBS", form, REASON)
    assert answer["response_action"] == "update"
    assert "never object" in dump(answer["view"])

    _open_form(harness, "UNOLIST", card)
    told = harness.ephemerals("UNOLIST")[-1]
    assert "decides by consensus" in told and "not on the participant list" in told
    _press(harness, "UNOLIST", card, "withdraw_objection")
    assert "not on the participant list" in harness.ephemerals("UNOLIST")[-1]
    assert _stored(session_factory) == []


def test_at_close_the_outcome_is_adopted_or_not_by_consensus(
    harness: Harness, card: dict[str, Any]
) -> None:
    second = harness.recommend("UTH1", CHANNEL, "Train judges on <!channel> digital evidence.")
    harness.settle()
    _submit(harness, "UTH1", _open_form(harness, "UTH1", second), "We <!here> object & more.")
    _submit(harness, "UVN1", _open_form(harness, "UVN1", second), "Viet Nam objects as well.")
    shown = card_text(harness.card(second))
    assert "We &lt;!here&gt; object &amp; more." in shown and "<!here>" not in shown
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    harness.settle()
    assert "*Adopted by consensus*" in card_text(harness.card(card))
    closed = card_text(harness.card(second))
    assert "*Not adopted — objection by Thailand, Viet Nam*" in closed
    # Closed: nobody objects or withdraws any more.
    _press(harness, "UTH1", second, "withdraw_objection")
    assert "closed" in harness.ephemerals("UTH1")[-1]
