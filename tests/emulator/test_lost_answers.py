"""after_effect faults: Slack did the work, but its answer never reached the app."""

from __future__ import annotations

from http.client import RemoteDisconnected

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator, EmulatorClient, EmulatorError
from tests.emulator.conftest import BOT_TOKEN

CARD = {"event_type": "rapporteur_card", "event_payload": {"recommendation_id": 3}}


def test_post_is_stored_then_answered_with_500(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("chat.postMessage", after_effect=True)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="CEE", text="EE-3", metadata=CARD)
    assert err.value.response.status_code == 500
    assert err.value.response["error"] == "internal_error"
    [stored] = emulator.messages("CEE")
    assert stored["text"] == "EE-3" and stored["metadata"] == CARD
    [call] = emulator.calls("chat.postMessage")
    assert call["fault"] == {"status": 500, "after_effect": True}
    assert call["response"]["ts"] == stored["ts"], "the lost answer is kept for the test"
    emulator.add_channel("CEE", is_member=True)
    history = client.conversations_history(channel="CEE", include_all_metadata=True)
    assert [m["metadata"] for m in history["messages"]] == [CARD], "the app can find it"
    assert client.chat_postMessage(channel="CEE", text="next")["ok"], "one fault, then normal"


def test_other_lost_answers(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("chat.postMessage", after_effect=True, status=502)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="a")
    assert err.value.response.status_code == 502
    emulator.fail("chat.postMessage", after_effect=True, drop=True)
    once = WebClient(base_url=emulator.api_url, token=BOT_TOKEN, retry_handlers=[])
    with pytest.raises((RemoteDisconnected, ConnectionError, OSError)):
        once.chat_postMessage(channel="C1", text="b")
    ts = client.chat_postMessage(channel="C1", text="c")["ts"]
    emulator.fail("chat.update", after_effect=True)
    with pytest.raises(SlackApiError):
        client.chat_update(channel="C1", ts=ts, text="c2")
    assert [m["text"] for m in emulator.messages("C1")] == ["a", "b", "c2"]


def test_a_refused_call_has_no_effect_even_so(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("chat.postMessage", after_effect=True)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "nope"}])
    assert emulator.messages("C1") == []


def test_after_effect_needs_an_answer_to_replace(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="after_effect"):
        emulator.fail("chat.postMessage", after_effect=True, delay=0.1, status=200)


def test_set_through_the_control_api(emulator: Emulator, client: WebClient) -> None:
    control = EmulatorClient(emulator.url)
    control.fail("chat.postMessage", after_effect=True)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C9", text="via control")
    assert err.value.response.status_code == 500
    assert [m["text"] for m in control.messages("C9")] == ["via control"]
    with pytest.raises(EmulatorError, match="400"):
        control.fail("chat.postMessage", after_effect=True, status=200)
