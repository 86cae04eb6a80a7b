"""Message shortcuts and people's channel messages, as a real Bolt app receives them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.emulator import Emulator, SlackSender
from bot.emulator import channel_events as ev
from tests.emulator.conftest import BOT_TOKEN
from tests.emulator.test_sender import SECRET, AppServer, assert_signed


@pytest.fixture
def heard(emulator: Emulator) -> Iterator[tuple[AppServer, list[tuple[str, dict[str, Any]]]]]:
    """A Bolt app that notes each message shortcut and message event it is given."""
    seen: list[tuple[str, dict[str, Any]]] = []
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    # Listeners done before the answer: what they saw is there once the request returns.
    app = App(signing_secret=SECRET, client=client, process_before_response=True)

    @app.message_shortcut("propose")
    def shortcut(ack, shortcut) -> None:  # type: ignore[no-untyped-def]
        ack()
        seen.append(("shortcut", shortcut))

    @app.event("message")
    def message(event) -> None:  # type: ignore[no-untyped-def]
        seen.append((event.get("subtype") or "message", event))

    def respond(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
        response = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        return response.status, {}, response.body

    server = AppServer(respond)
    yield server, seen
    server.close()


def test_a_message_shortcut_reaches_the_app_as_slack_documents_it(emulator, heard):
    server, seen = heard
    sender = SlackSender(server.url, SECRET, emulator_url=emulator.url)
    said = ev.message("U2", "Keep <https://x.example|logs>")
    assert sender.message_shortcut("U1", channel_id="C1", message=said, callback_id="propose").ok
    assert_signed(server.requests[0])
    [(kind, payload)] = seen
    assert kind == "shortcut" and payload["type"] == "message_action"
    assert payload["callback_id"] == "propose" and len(payload["trigger_id"].split(".")) == 3
    assert payload["channel"]["id"] == "C1" and payload["user"]["id"] == "U1"
    assert payload["message"] == said and payload["message_ts"] == said["ts"]
    assert payload["response_url"].startswith(emulator.url)


def test_a_shortcut_on_a_stored_message_carries_that_message(emulator, heard):
    server, seen = heard
    posted = WebClient(base_url=emulator.api_url, token=BOT_TOKEN).chat_postMessage(
        channel="C1", text="A card"
    )
    sender = SlackSender(server.url, SECRET, emulator_url=emulator.url)
    sender.message_shortcut("U1", channel_id="C1", message=posted["ts"], callback_id="propose")
    [(_, payload)] = seen
    assert payload["message"]["text"] == "A card" and payload["message"]["ts"] == posted["ts"]


def test_replies_edits_and_deletions_arrive_as_message_events(emulator, heard):
    server, seen = heard
    sender = SlackSender(server.url, SECRET)
    parent = ev.message("U1", "Thread start")
    reply = ev.message("U2", "A reply", thread_ts=parent["ts"])
    for event in (
        ev.posted("C1", reply),
        ev.edited("C1", reply, "A better reply"),
        ev.deleted("C1", reply),
    ):
        assert sender.event(event).status == 200
    kinds = [kind for kind, _ in seen]
    assert kinds == ["message", "message_changed", "message_deleted"]
    posted, changed, deleted = (event for _, event in seen)
    assert posted["thread_ts"] == parent["ts"] != posted["ts"] and posted["channel"] == "C1"
    assert changed["message"]["text"] == "A better reply"
    assert changed["message"]["edited"]["user"] == "U2"
    assert changed["previous_message"]["text"] == "A reply"
    assert deleted["deleted_ts"] == reply["ts"] and deleted["previous_message"]["user"] == "U2"
    body = json.loads(server.requests[0]["body"])
    assert body["event"]["channel_type"] == "channel"


def test_message_timestamps_only_move_forward():
    stamps = [ev.new_ts() for _ in range(500)]
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == len(stamps)
    assert ev.channel_type("G1") == "group" and ev.channel_type("D1") == "im"
