"""Socket Mode (for networks that allow no inbound connections), tested like HTTP mode."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.emulator import Emulator
from bot.unit_of_work import RapporteurApp
from storage.database import make_engine, make_session_factory
from tests.e2e.harness import ORGANIZER, card_text, make_settings, modal_values, rec_value


@pytest.fixture
def socket_app(emulator: Emulator, database_url: str) -> Iterator[RapporteurApp]:
    emulator.reset()
    settings = make_settings(database_url, emulator.api_url, slack_app_token="xapp-1-test")
    app = create_app(settings, make_session_factory(make_engine(database_url)), socket_mode=True)
    handler = SocketModeHandler(app, settings.slack_app_token, ping_interval=0.5)
    handler.connect()
    emulator.socket_wait_connected(timeout=10)
    yield app
    handler.close()
    app.services.jobs.shutdown(wait=True)


def command(
    emulator: Emulator, user: str, text: str, command: str = "/wg", channel: str = "CSOCK"
) -> dict:
    ack = emulator.socket_send(
        "slash_commands",
        {
            "command": command,
            "text": text,
            "user_id": user,
            "user_name": user,
            "channel_id": channel,
            "team_id": "T0EMULATOR",
            "trigger_id": f"trig-{time.time()}",
            "response_url": "http://127.0.0.1:9/x",
        },
        timeout=10,
    )
    return ack.get("payload") or {}


def settle(app: RapporteurApp) -> None:
    deadline = time.time() + 15
    while app.services.jobs.pending() and time.time() < deadline:
        time.sleep(0.02)


def test_commands_modal_votes_and_events_over_socket_mode(
    socket_app: RapporteurApp, emulator: Emulator
):
    assert "Electronic evidence" in command(emulator, ORGANIZER, "link e-evidence")["text"]
    assert "Viet Nam" in command(emulator, "UDEL1", "country VN")["text"]
    command(emulator, "UDEL1", "Cross-border preservation orders", command="/recommend")
    view = list(emulator.views().values())[-1]
    values = modal_values("Cross-border preservation orders", "e-evidence")
    emulator.socket_send(
        "interactive",
        {
            "type": "view_submission",
            "user": {"id": "UDEL1", "name": "d"},
            "team": {"id": "T0EMULATOR"},
            "view": {**view, "state": {"values": values}},
        },
        timeout=10,
    )
    settle(socket_app)
    card = emulator.messages("CSOCK")[-1]
    rec = rec_value(card)

    def click(user: str, envelope_id: str | None = None) -> None:
        emulator.socket_send(
            "interactive",
            {
                "type": "block_actions",
                "user": {"id": user, "name": user},
                "team": {"id": "T0EMULATOR"},
                "channel": {"id": "CSOCK"},
                "container": {"message_ts": card["ts"]},
                "message": {"ts": card["ts"]},
                "actions": [
                    {
                        "action_id": "vote_support",
                        "value": rec,
                        "block_id": "vote_buttons",
                        "type": "button",
                    }
                ],
            },
            envelope_id=envelope_id,
            timeout=10,
        )

    click("UV1")
    click("UV2")
    emulator.socket_drop()  # the connection breaks: the client reconnects
    emulator.socket_wait_connected(timeout=15)
    click("UV2")  # delivered again after the reconnect: not counted twice
    click("UV3")
    event = {"type": "app_home_opened", "user": "UDEL1", "tab": "home", "channel": "D1"}
    for retry in (None, 1):
        emulator.socket_send(
            "events_api",
            {
                "type": "event_callback",
                "event_id": "EvSock1",
                "team_id": "T0EMULATOR",
                "event": event,
            },
            retry_attempt=retry,
            timeout=10,
        )
    settle(socket_app)
    assert "Support: 3 · Oppose: 0 · Abstain: 0" in card_text(emulator.messages("CSOCK")[-1])
    assert len(emulator.calls("views.publish")) == 1
    assert len(emulator.calls("apps.connections.open")) >= 2


def test_serve_socket_command_line(emulator: Emulator, database_url: str, tmp_path):
    import subprocess
    import sys

    from tests.e2e.servers import serve_env

    emulator.reset()
    env = serve_env(database_url, emulator.api_url, SLACK_APP_TOKEN="xapp-1-cli")
    del env["SLACK_SIGNING_SECRET"]  # Socket Mode needs none
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--socket"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        emulator.socket_wait_connected(timeout=20)
        assert "Electronic evidence" in command(emulator, ORGANIZER, "link e-evidence")["text"]
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "xapp-1-cli" not in err.decode()
