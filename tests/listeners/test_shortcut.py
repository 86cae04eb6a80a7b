"""The message shortcut *Propose as recommendation*, through signed requests and the emulator."""

from __future__ import annotations

import json
from typing import Any

from bot.emulator import channel_events as ev
from bot.slack.ids import Callback
from bot.slack.values import FormContext
from storage import groups
from storage.sessions import transaction
from tests.factories import ORGANIZER
from tests.harness import Harness, card_text

CHANNEL = "CEEVID"
TYPED = (
    "Ask <@U0ANA|ana> and <@U0BOB>: keep logs 180 days, see "
    "<https://unodc.example/guide?a=1&amp;b=2|the guide> &amp; <#C0LAW|law> &lt;draft&gt; <!here>"
)
READABLE = (
    "Ask @ana and @U0BOB: keep logs 180 days, see "
    "https://unodc.example/guide?a=1&b=2 & #law <draft> @here"
)


def _propose(harness: Harness, channel: str, message: dict[str, Any], user: str = "UDEL2") -> Any:
    response = harness.slack.message_shortcut(
        user,
        channel_id=channel,
        message=message,
        callback_id=Callback.PROPOSE_RECOMMENDATION,
        user_name=f"name-{user}",
    )
    assert response.status == 200, response.text
    harness.settle()
    return response


def _opened(harness: Harness) -> list[dict[str, Any]]:
    views = [c["params"]["view"] for c in harness.emulator.calls("views.open")]
    return [v if isinstance(v, dict) else json.loads(v) for v in views]


def _block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_the_form_opens_with_the_message_made_readable_and_the_channels_group(harness: Harness):
    harness.link(CHANNEL)
    _propose(harness, CHANNEL, ev.message("UDEL3", TYPED))

    (view,) = _opened(harness)
    assert view["callback_id"] == Callback.RECOMMEND_MODAL
    assert _block(view, "text_block")["initial_value"] == READABLE
    assert _block(view, "group_block")["initial_option"]["value"] == "e-evidence"
    assert FormContext.parse(view["private_metadata"]).channel_id == CHANNEL
    assert harness.emulator.calls("views.update") == []  # nothing to correct

    # Submitted as it stands, it is a recommendation like any other.
    (stored,) = harness.emulator.views().values()
    response = harness.submit_modal("UDEL2", stored, text=READABLE)
    assert response.status == 200, response.text
    newest = max(harness.emulator.messages(CHANNEL), key=lambda m: float(m["ts"]))
    shown = card_text(newest)
    assert "EE-1" in shown and "&lt;draft&gt;" in shown and "<!here>" not in shown


def test_a_message_held_by_the_emulator_can_be_proposed_by_its_ts(harness: Harness):
    harness.link(CHANNEL)
    card = harness.recommend("UDEL1", CHANNEL, "Share <evidence> & data")
    _propose(harness, CHANNEL, card["ts"])  # e.g. a card's text, proposed again elsewhere
    (view,) = _opened(harness)[-1:]
    assert _block(view, "text_block")["initial_value"] == card["message"]["text"]


def test_in_an_unlinked_channel_no_group_is_chosen(harness: Harness):
    _propose(harness, "CLOBBY", ev.message("UDEL3", "Train judges"))
    (view,) = _opened(harness)
    assert _block(view, "text_block")["initial_value"] == "Train judges"
    assert "initial_option" not in _block(view, "group_block")
    assert harness.emulator.calls("views.update") == []


def test_a_stale_group_default_is_corrected_from_the_record(harness: Harness):
    harness.link("CSTALE")  # this process sees CSTALE linked
    with transaction(harness.app.session_factory) as session:  # another worker moves it
        groups.link_channel(session, actor=ORGANIZER, channel_id="CNEW", group_key="e-evidence")
    _propose(harness, "CSTALE", ev.message("UDEL3", "Protect <@U0VIC|victims>"))
    (opened,) = _opened(harness)
    assert _block(opened, "group_block")["initial_option"]["value"] == "e-evidence"
    (update,) = harness.emulator.calls("views.update")
    view = update["params"]["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert "initial_option" not in _block(view, "group_block")
    assert _block(view, "text_block")["initial_value"] == "Protect @victims"  # kept


def test_a_form_that_cannot_open_is_explained_privately(harness: Harness):
    harness.link(CHANNEL)
    harness.emulator.fail("views.open", error="expired_trigger_id")
    _propose(harness, CHANNEL, ev.message("UDEL3", "Anything"))
    told = harness.ephemerals("UDEL2")
    assert any(
        "could not be opened (expired_trigger_id)" in t and "*Propose as recommendation*" in t
        for t in told
    ), told
    assert harness.emulator.views() == {}  # nothing opened, nothing half-done
