"""Socket Mode against slack_sdk's built-in SocketModeClient (the one Bolt's handler uses)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import websocket
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.emulator import Emulator, EmulatorClient
from bot.emulator.payloads import command_payload
from tests.emulator.conftest import APP_TOKEN, BOT_TOKEN, close_quickly


def echo(client: SocketModeClient, request: SocketModeRequest) -> None:
    """Ack every envelope with a payload echoing its type."""
    response = SocketModeResponse(
        envelope_id=request.envelope_id, payload={"echo": request.type, "got": request.payload}
    )
    client.send_socket_mode_response(response)


@pytest.fixture
def socket_client(emulator: Emulator) -> Iterator[SocketModeClient]:
    """A connected SocketModeClient with a fast ping interval (quick reconnection)."""
    web = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    sm = SocketModeClient(app_token=APP_TOKEN, web_client=web, ping_interval=0.1)
    sm.socket_mode_request_listeners.append(echo)
    sm.connect()
    emulator.socket_wait_connected(timeout=5)
    yield sm
    close_quickly(sm)


def test_hello_envelope_and_ack(emulator: Emulator, socket_client: SocketModeClient) -> None:
    ack = emulator.socket_send("interactive", {"type": "block_actions"}, envelope_id="env-1")
    assert ack == {
        "envelope_id": "env-1",
        "payload": {"echo": "interactive", "got": {"type": "block_actions"}},
    }
    [open_call] = emulator.calls("apps.connections.open")
    assert open_call["token"] == APP_TOKEN
    [envelope] = emulator.calls("socket.envelope")
    assert envelope["params"]["accepts_response_payload"] is True
    event_ack = emulator.socket_send("events_api", {"type": "event_callback"})
    assert event_ack["payload"]["echo"] == "events_api"
    last = emulator.calls("socket.envelope")[-1]["params"]
    assert last["retry_attempt"] == 0 and last["accepts_response_payload"] is False


def test_drop_triggers_reconnection(emulator: Emulator, socket_client: SocketModeClient) -> None:
    assert emulator.socket_drop() == 1
    assert emulator.socket_connections() == 0
    emulator.wait_for("socket.connect", count=2, timeout=5)
    assert len(emulator.calls("apps.connections.open")) == 2, "a fresh URL was requested"
    ack = emulator.socket_send("slash_commands", {"command": "/report"})
    assert ack["payload"]["got"] == {"command": "/report"}


def test_disconnect_message_triggers_reconnection(
    emulator: Emulator, socket_client: SocketModeClient
) -> None:
    emulator.socket_drop(reason="refresh_requested")
    emulator.wait_for("socket.connect", count=2, timeout=5)
    assert emulator.socket_send("slash_commands", {})["payload"]["echo"] == "slash_commands"


def test_tickets_are_single_use(emulator: Emulator, socket_client: SocketModeClient) -> None:
    used_url = socket_client.wss_uri
    assert used_url is not None and "/link/?ticket=" in used_url
    with pytest.raises(websocket.WebSocketBadStatusException) as err:
        websocket.create_connection(used_url, timeout=2)
    assert err.value.status_code == 401
    assert emulator.calls("socket.rejected")


def test_missing_ack_times_out(emulator: Emulator) -> None:
    web = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    silent = SocketModeClient(app_token=APP_TOKEN, web_client=web)
    silent.connect()
    try:
        emulator.socket_wait_connected(timeout=5)
        with pytest.raises(TimeoutError, match="no ack"):
            emulator.socket_send("events_api", {}, timeout=0.2)
    finally:
        close_quickly(silent)
    emulator.wait_for("socket.disconnect")
    assert emulator.socket_connections() == 0
    with pytest.raises(TimeoutError, match="no Socket Mode client"):
        emulator.socket_wait_connected(timeout=0.1)


def test_control_api_drives_socket_mode(
    emulator: Emulator, socket_client: SocketModeClient
) -> None:
    remote = EmulatorClient(emulator.url)
    assert remote.socket_wait_connected(timeout=1) == 1
    ack = remote.socket_send("slash_commands", {"text": "hi"}, envelope_id="remote-1")
    assert ack["envelope_id"] == "remote-1"
    assert remote.socket_drop() == 1
    remote.wait_for("socket.connect", count=2, timeout=5)


def test_bolt_socket_mode_handler_acks_with_payload(emulator: Emulator) -> None:
    app = App(client=WebClient(base_url=emulator.api_url, token=BOT_TOKEN))

    @app.command("/report")
    def report(ack, command) -> None:  # type: ignore[no-untyped-def]
        ack(text=f"Report for {command['channel_id']}: {command['text']}")

    handler = SocketModeHandler(app, APP_TOKEN)
    handler.connect()
    try:
        emulator.socket_wait_connected(timeout=5)
        payload = command_payload(user_id="U1", channel_id="C9", command="/report", text="wg3")
        ack = emulator.socket_send("slash_commands", payload)
        assert ack["payload"] == {"text": "Report for C9: wg3"}
    finally:
        close_quickly(handler.client)
    assert json.dumps(emulator.calls("auth.test")[0]["response"]).count("T0EMULATOR") == 1
