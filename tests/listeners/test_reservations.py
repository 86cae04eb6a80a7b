"""Reservations through the card's menu `⋯`: signed requests against the emulator.

The participant list's columns (Person.delegation, Person.role) are set directly here.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import select

from bot.delivery import sweep
from storage import audit, people
from storage.models import Reservation
from storage.sessions import transaction
from tests.harness import Harness, card_text

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"
KHMER = "កម្ពុជាសូមរក្សាសិទ្ធិ"
LAO = "ສປປ ລາວ ຂໍສະຫງວນສິດ"
THAI = "ประเทศไทยขอสงวนท่าที"


def seat(h: Harness, user_id: str, delegation: str, role: str = "delegate") -> None:
    """What the participant list records: a confirmed delegation and a role."""
    with transaction(h.app.session_factory) as session:
        person = people.remember(session, user_id, None)
        person.delegation, person.role = delegation, role


def workshop(h: Harness) -> dict[str, Any]:
    """A linked group, one card, two delegates of Thailand, one of Viet Nam, an observer."""
    h.link(CHANNEL, rapporteur=RAPPORTEUR)
    card = h.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")
    seat(h, "UTH1", "TH")
    seat(h, "UTH2", "TH")
    seat(h, "UVN1", "VN")
    seat(h, "UOBS1", "UNODC", "observer")
    return card


def open_menu(h: Harness, user: str, card: dict[str, Any]) -> dict[str, Any]:
    """Choose `Enter a reservation…` in the card's menu; the modal as the app last set it."""
    heading = next(b for b in h.card(card)["blocks"] if b.get("block_id") == "card_heading")
    menu = heading["accessory"]
    assert menu["type"] == "overflow"
    option = next(o for o in menu["options"] if o["text"]["text"] == "Enter a reservation…")
    assert json.loads(option["value"])["do"] == "reservation"
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
    opened = [v for k, v in h.emulator.views().items() if k not in before]
    assert len(opened) == 1
    return opened[0]


def submit(h: Harness, user: str, view: dict[str, Any], text: str | None, *, withdraw=False):
    """Submit the reservation form; the app's JSON answer ({} when it closes the modal)."""
    values: dict[str, Any] = {"text_block": {"text_input": {"type": "plain_text_input"}}}
    values["text_block"]["text_input"]["value"] = text
    if withdraw:
        chosen = [{"value": "withdraw", "text": {"type": "plain_text", "text": "Withdraw"}}]
        values["withdraw_block"] = {
            "withdraw_input": {"type": "checkboxes", "selected_options": chosen}
        }
    response = h.slack.view_submission(user, view=view, values=values, user_name=f"n-{user}")
    assert response.status == 200, response.text
    h.settle()
    return response.json() if response.text.strip() else {}


def thread(h: Harness, card: dict[str, Any]) -> list[str]:
    """The texts posted in the card's thread, oldest first."""
    replies = [m for m in h.emulator.messages(CHANNEL) if m.get("thread_ts") == card["ts"]]
    return [m["text"] for m in sorted(replies, key=lambda m: float(m["ts"]))]


def text_field(view: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == "text_block")["element"]


def stored(h: Harness) -> list[tuple[str, str]]:
    with transaction(h.app.session_factory) as session:
        rows = session.execute(select(Reservation.delegation, Reservation.text))
        return sorted((r.delegation, r.text) for r in rows)


def test_enter_change_and_withdraw_from_the_card(harness: Harness):
    card = workshop(harness)
    view = open_menu(harness, "UTH1", card)
    assert "initial_value" not in text_field(view)
    assert text_field(view)["max_length"] == 1500
    assert not any(b.get("block_id") == "withdraw_block" for b in view["blocks"])
    typed = "Thailand reserves its position <!channel> & <b>paragraph 2</b>"
    assert submit(harness, "UTH1", view, typed) == {}

    assert thread(harness, card) == [
        "Reservation by Thailand: Thailand reserves its position &lt;!channel&gt; &amp; "
        "&lt;b&gt;paragraph 2&lt;/b&gt;"
    ]
    assert "<!channel>" not in json.dumps(harness.emulator.messages(CHANNEL))
    assert "Reservations: TH" in card_text(harness.card(card))
    told = harness.ephemerals("UTH1")
    assert told[-1] == (
        ":white_check_mark: Thailand's reservation on *EE-1* is recorded "
        "and posted in the card's thread."
    )
    assert stored(harness) == [("TH", typed)]

    # Another delegate of Thailand finds it prefilled, and replaces it.
    view = open_menu(harness, "UTH2", card)
    assert text_field(view)["initial_value"] == typed
    assert any(b.get("block_id") == "withdraw_block" for b in view["blocks"])
    assert submit(harness, "UTH2", view, KHMER) == {}
    assert thread(harness, card)[-1] == (
        f"Reservation by Thailand: {KHMER}\n_This replaces Thailand's earlier reservation._"
    )
    assert stored(harness) == [("TH", KHMER)]

    view = open_menu(harness, "UVN1", card)
    assert "initial_value" not in text_field(view)  # Viet Nam's own, not Thailand's
    submit(harness, "UVN1", view, LAO)
    assert "Reservations: TH, VN" in card_text(harness.card(card))

    view = open_menu(harness, "UTH1", card)
    assert submit(harness, "UTH1", view, KHMER, withdraw=True) == {}
    assert thread(harness, card)[-1] == "Thailand has withdrawn its reservation on EE-1."
    shown = card_text(harness.card(card))
    assert "Reservations: VN" in shown and "TH" not in shown.split("Reservations:")[1]
    assert stored(harness) == [("VN", LAO)]
    assert "withdrawn" in harness.ephemerals("UTH1")[-1]
    with transaction(harness.app.session_factory) as session:
        actions = [e.action for e in audit.entries(session) if e.action.startswith("reserv")]
    assert actions == [
        "reservation_enter",
        "reservation_change",
        "reservation_enter",
        "reservation_withdraw",
    ]


def test_people_without_a_confirmed_delegation_and_observers_are_refused(harness: Harness):
    card = workshop(harness)
    harness.wg("UDECL", CHANNEL, "country KH")  # declared, not on the list
    cases = {
        "UNOBODY": "you are not on it",
        "UDECL": "`/wg country KH` declares a delegation but does not confirm it",
        "UOBS1": "Observers (UNODC) do not enter reservations",
    }
    for user, reason in cases.items():
        view = open_menu(harness, user, card)
        assert reason in view["blocks"][0]["text"]["text"], view
        assert "submit" not in view or view["submit"] is None
        assert reason in harness.ephemerals(user)[-1]
    assert stored(harness) == []
    assert thread(harness, card) == []
    assert "Reservations:" not in card_text(harness.card(card))


def test_a_delegate_of_another_delegation_cannot_withdraw_it(harness: Harness):
    card = workshop(harness)
    submit(harness, "UTH1", open_menu(harness, "UTH1", card), THAI)
    thailand_form = open_menu(harness, "UTH2", card)
    # Viet Nam's delegate submits Thailand's form (its metadata names Thailand).
    answer = submit(harness, "UVN1", thailand_form, THAI, withdraw=True)
    assert answer["response_action"] == "errors"
    error = answer["errors"]["text_block"]
    assert "only a delegate of Thailand" in error and "listed for Viet Nam" in error
    answer = submit(harness, "UVN1", thailand_form, "Viet Nam rewrites it")
    assert "only a delegate of Thailand" in answer["errors"]["text_block"]
    assert stored(harness) == [("TH", THAI)]
    assert len(thread(harness, card)) == 1


def test_allowed_after_the_group_closed(harness: Harness):
    card = workshop(harness)
    harness.vote("UV1", card, "support")
    assert "closed" in harness.wg(RAPPORTEUR, CHANNEL, "close")
    harness.settle()
    submit(harness, "UTH1", open_menu(harness, "UTH1", card), "Entered when the text was adopted")
    shown = card_text(harness.card(card))
    assert "Reservations: TH" in shown and "Support: 1" in shown and "closed" in shown
    assert thread(harness, card) == ["Reservation by Thailand: Entered when the text was adopted"]


def test_bad_text_is_answered_under_the_field_and_nothing_is_stored(harness: Harness):
    card = workshop(harness)
    view = open_menu(harness, "UTH1", card)
    for text, expected in [
        ("", "The reservation is required"),
        ("ក" * 1501, "The reservation can be at most 1500 characters; yours has 1501"),
    ]:
        answer = submit(harness, "UTH1", view, text)
        assert answer["response_action"] == "errors"
        assert expected in answer["errors"]["text_block"]
    assert submit(harness, "UTH1", view, "ក" * 1500) == {}  # the limit itself is fine
    assert stored(harness) == [("TH", "ក" * 1500)]


def test_a_refused_thread_post_is_told_and_posted_later_by_the_sweep(harness: Harness):
    card = workshop(harness)
    view = open_menu(harness, "UTH1", card)
    harness.emulator.fail("chat.postMessage", error="not_in_channel")
    submit(harness, "UTH1", view, THAI)
    assert thread(harness, card) == []
    told = harness.ephemerals("UTH1")[-1]
    assert "did not let us post it in the card's thread (not_in_channel)" in told
    assert "Reservations: TH" in card_text(harness.card(card))  # the card shows it regardless

    sweeper = harness.app.background.scheduler.handlers[sweep.KIND]
    sweeper.reservations.resume(time.time())  # too soon: still the request's
    assert thread(harness, card) == []
    sweeper.reservations.resume(time.time() + 60)
    assert thread(harness, card) == [f"Reservation by Thailand: {THAI}"]
    sweeper.reservations.resume(time.time() + 120)  # posted once, not again
    assert len(thread(harness, card)) == 1
    with transaction(harness.app.session_factory) as session:
        assert session.scalars(select(Reservation.thread_ts)).one() is not None


def test_a_form_slack_would_not_open_is_told(harness: Harness):
    card = workshop(harness)
    harness.emulator.fail("views.open", error="expired_trigger_id", times=2)
    heading = next(b for b in harness.card(card)["blocks"] if b.get("block_id") == "card_heading")
    response = harness.slack.block_action(
        "UTH1",
        channel_id=CHANNEL,
        message_ts=card["ts"],
        action_id="card_menu",
        value=heading["accessory"]["options"][0]["value"],
    )
    assert response.status == 200
    harness.settle()
    assert (
        "did not open the reservation form (expired_trigger_id)" in harness.ephemerals("UTH1")[-1]
    )
    assert stored(harness) == []
