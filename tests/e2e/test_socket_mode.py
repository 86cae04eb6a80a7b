"""Socket Mode (for networks that allow no inbound connections), tested like HTTP mode."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.emulator import Emulator
from bot.runtime.unit_of_work import RapporteurApp
from storage.countries import country_name
from storage.engines import make_engine
from storage.sessions import make_session_factory
from tests.e2e.servers import serve_env
from tests.harness import ORGANIZER, card_text, make_settings, modal_values, rec_value


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
    app.jobs.shutdown(wait=True)


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


def submit(emulator: Emulator, text: str, settle: Callable[[], None]) -> dict:
    """/recommend and its modal over the socket; the card the app posted."""
    command(emulator, "UDEL1", text, command="/recommend")
    view = list(emulator.views().values())[-1]
    emulator.socket_send(
        "interactive",
        {
            "type": "view_submission",
            "user": {"id": "UDEL1", "name": "d"},
            "team": {"id": "T0EMULATOR"},
            "view": {**view, "state": {"values": modal_values(text, "e-evidence")}},
        },
        timeout=10,
    )
    settle()
    return emulator.messages("CSOCK")[-1]


def vote(emulator: Emulator, card: dict, user: str) -> None:
    """A click on the card's Support button, over the socket."""
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
                    "value": rec_value(card),
                    "block_id": "vote_buttons",
                    "type": "button",
                }
            ],
        },
        timeout=10,
    )


def settle(app: RapporteurApp) -> None:
    deadline = time.time() + 15
    while app.jobs.pending() and time.time() < deadline:
        time.sleep(0.02)


def test_commands_modal_votes_and_events_over_socket_mode(
    socket_app: RapporteurApp, emulator: Emulator
):
    assert "Electronic evidence" in command(emulator, ORGANIZER, "link e-evidence")["text"]
    assert country_name("VN") in command(emulator, "UDEL1", "country VN")["text"]
    card = submit(emulator, "Cross-border preservation orders", lambda: settle(socket_app))

    vote(emulator, card, "UV1")
    vote(emulator, card, "UV2")
    emulator.socket_drop()  # the connection breaks: the client reconnects
    emulator.socket_wait_connected(timeout=15)
    vote(emulator, card, "UV2")  # delivered again after the reconnect: not counted twice
    vote(emulator, card, "UV3")
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


def test_envelopes_the_app_cannot_route_are_still_acknowledged(
    socket_app: RapporteurApp, emulator: Emulator
):
    """Unacknowledged envelopes are re-sent by Slack; over HTTP these get a 4xx."""
    unknown_action = {
        "type": "block_actions",
        "user": {"id": "UDEL1", "name": "d"},
        "team": {"id": "T0EMULATOR"},
        "channel": {"id": "CSOCK"},
        "actions": [{"action_id": "no_such_action", "value": "1", "block_id": "b"}],
    }
    unhandled_event = {
        "type": "event_callback",
        "event_id": "EvOther",
        "team_id": "T0EMULATOR",
        "event": {"type": "reaction_added", "user": "UDEL1"},
    }
    no_event_id = {"type": "event_callback", "team_id": "T0EMULATOR", "event": {"type": "x"}}
    for kind, payload in [
        ("interactive", unknown_action),
        ("events_api", unhandled_event),
        ("events_api", no_event_id),
    ]:
        ack = emulator.socket_send(kind, payload, timeout=5)
        assert "envelope_id" in ack, (kind, ack)
    settle(socket_app)
    assert emulator.calls("chat.postMessage") == []


def serve_socket(emulator: Emulator, database_url: str, cwd: Path, **env: str) -> subprocess.Popen:
    """`rapporteur serve --socket` as a process of its own."""
    environment = serve_env(
        database_url, emulator.api_url, **{"SLACK_APP_TOKEN": "xapp-1-cli", **env}
    )
    del environment["SLACK_SIGNING_SECRET"]  # Socket Mode needs none
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--socket"],
        env=environment,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_serve_socket_command_line(emulator: Emulator, database_url: str, tmp_path):
    emulator.reset()
    process = serve_socket(emulator, database_url, tmp_path)
    try:
        emulator.socket_wait_connected(timeout=20)
        assert "Electronic evidence" in command(emulator, ORGANIZER, "link e-evidence")["text"]
        card = submit(emulator, "Preserve subscriber data", lambda: time.sleep(1.0))
        # A dropped connection is replaced within seconds (the CLI pings it every second).
        emulator.socket_drop()
        emulator.socket_wait_connected(timeout=8)
        # Card updates ride out 429s; SIGTERM meanwhile still lets them finish.
        emulator.rate_limit("chat.update", 2.0)
        for user in ("UV1", "UV2", "UV3"):
            vote(emulator, card, user)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        _, err = process.communicate(timeout=30)
    assert "xapp-1-cli" not in err.decode()
    final = [m for m in emulator.messages("CSOCK") if m["ts"] == card["ts"]][-1]
    assert "Support: 3 · Oppose: 0 · Abstain: 0" in card_text(final)


@pytest.mark.parametrize("token", ["garbage", "xoxb-not-an-app-token"])
def test_serve_socket_names_a_refused_app_token(emulator, database_url, tmp_path, token):
    emulator.reset()
    process = serve_socket(emulator, database_url, tmp_path, SLACK_APP_TOKEN=token)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    text = err.decode()
    assert "Traceback" not in text
    last = text.strip().splitlines()[-1]  # after the JSON log lines of the start-up
    assert last.startswith("rapporteur: ") and "SLACK_APP_TOKEN" in last
