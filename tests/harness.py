"""The real app on a local port, driven by signed requests, watched by the emulator."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.app import create_app
from bot.emulator import Emulator
from bot.emulator.sender import SlackSender
from bot.runtime.unit_of_work import RapporteurApp
from bot.settings import Settings
from bot.slack.web import WebApp
from storage.engines import make_engine
from storage.sessions import make_session_factory

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
ORGANIZER = "UORG1"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 512


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    """Settings for a test app: emulator, fresh database, one organizer."""
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": api_url,
        "database_url": database_url,
        "organizer_user_ids": ORGANIZER,
        "card_update_interval": 0.2,
        "vote_confirmation_interval": 0.2,
        "log_format": "text",
        "report_pdf": "never",  # tests that want the PDF ask for it (tests/delivery/test_compile.py)
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Harness:
    """A served app plus helpers that act as Slack users would."""

    emulator: Emulator
    app: RapporteurApp
    url: str
    slack: SlackSender
    server: Any
    views: dict[str, dict[str, Any]] = field(default_factory=dict)

    # --- plumbing -------------------------------------------------------------
    def settle(self, timeout: float = 15.0) -> None:
        """Wait until the app's background jobs (card updates, uploads) are done."""
        deadline = time.time() + timeout
        while self.app.jobs.pending():
            if time.time() > deadline:
                raise TimeoutError("background jobs did not finish")
            time.sleep(0.02)

    def close(self) -> None:
        """Stop serving and finish background work."""
        self.server.shutdown()
        self.server.server_close()
        self.app.jobs.shutdown(wait=True)

    # --- people acting ----------------------------------------------------------
    def command(self, user: str, channel: str, command: str, text: str = "") -> dict[str, Any]:
        """Send a slash command; return the acknowledgement's JSON (or {} for an empty 200)."""
        response = self.slack.command(user, channel, command, text, user_name=f"name-{user}")
        assert response.status == 200, (response.status, response.text)
        self.settle()
        return response.json() if response.text.strip() else {}

    def wg(self, user: str, channel: str, text: str) -> str:
        """`/wg …`; the acknowledgement text."""
        return self.command(user, channel, "/wg", text).get("text", "")

    def link(self, channel: str, key: str = "e-evidence", rapporteur: str | None = None) -> None:
        """As the organizer: link `channel` to the group `key`, and appoint `rapporteur`."""
        assert f"(`{key}`)" in self.wg(ORGANIZER, channel, f"link {key}")
        if rapporteur is not None:
            appointed = self.wg(ORGANIZER, channel, f"rapporteur <@{rapporteur}|{rapporteur}>")
            assert f"<@{rapporteur}> is now the rapporteur" in appointed, appointed

    def open_modal(self, user: str, channel: str, text: str = "") -> dict[str, Any]:
        """`/recommend text`; the view as the app last set it (after its default-group update)."""
        before = set(self.emulator.views())
        ack = self.command(user, channel, "/recommend", text)
        opened = [v for k, v in self.emulator.views().items() if k not in before]
        assert len(opened) == 1, ack
        return opened[0]

    def submit_modal(
        self,
        user: str,
        view: dict[str, Any],
        *,
        text: str | None,
        title: str | None = None,
        rationale: str | None = None,
        group: str | None = "default",
        settle: bool = True,
    ) -> Any:
        """Submit the modal with these values; the raw HTTP response."""
        values: dict[str, Any] = {
            "text_block": {"text_input": {"type": "plain_text_input", "value": text}},
            "title_block": {"title_input": {"type": "plain_text_input", "value": title}},
            "rationale_block": {
                "rationale_input": {"type": "plain_text_input", "value": rationale}
            },
        }
        if group == "default":
            element = next(b for b in view["blocks"] if b.get("block_id") == "group_block")[
                "element"
            ]
            selected = element.get("initial_option")
        else:
            selected = (
                {"text": {"type": "plain_text", "text": group}, "value": group} if group else None
            )
        values["group_block"] = {
            "group_select": {"type": "static_select", "selected_option": selected}
        }
        response = self.slack.view_submission(
            user, view=view, values=values, user_name=f"name-{user}"
        )
        if settle:
            self.settle()
        return response

    def recommend(self, user: str, channel: str, text: str, **fields: Any) -> dict[str, Any]:
        """Open and submit a recommendation; return the posted card {channel, ts, message}."""
        before = len(self.posts())
        view = self.open_modal(user, channel)
        response = self.submit_modal(user, view, text=text, **fields)
        assert response.status == 200, response.text
        posts = self.posts()
        assert len(posts) == before + 1, response.text
        newest = max(self.emulator.messages(), key=lambda m: float(m["ts"]))
        return {"channel": newest["channel"], "ts": newest["ts"], "message": newest}

    def posts(self) -> list[dict[str, Any]]:
        """chat.postMessage calls that the emulator answered normally."""
        return [c for c in self.emulator.calls("chat.postMessage") if "fault" not in c]

    def vote(self, user: str, card: dict[str, Any], choice: str) -> Any:
        """Click a vote button on a card message."""
        response = self.slack.block_action(
            user,
            channel_id=card["channel"],
            message_ts=card["ts"],
            action_id=f"vote_{choice}",
            value=_button_value(card, f"vote_{choice}"),
            block_id="vote_buttons",
            user_name=f"name-{user}",
        )
        return response

    def card(self, card: dict[str, Any]) -> dict[str, Any]:
        """The card message as it stands now in the emulator."""
        for message in self.emulator.messages(card["channel"]):
            if message["ts"] == card["ts"]:
                return message
        raise AssertionError("card not found")

    def ephemerals(self, user: str) -> list[str]:
        """Texts of ephemeral messages sent to a user."""
        return [
            c["params"].get("text", "")
            for c in self.emulator.calls("chat.postEphemeral")
            if c["params"].get("user") == user
        ]


def _button_value(card: dict[str, Any], action_id: str) -> str:
    for block in card["message"]["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button on the card")


def card_text(message: dict[str, Any]) -> str:
    """All text of a message: top-level text and every block's text."""
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements", []):
            if isinstance(element, dict) and isinstance(element.get("text"), (str, dict)):
                value = element["text"]
                parts.append(value if isinstance(value, str) else value.get("text", ""))
    return "\n".join(parts)


def start_harness(emulator: Emulator, database_url: str, **overrides: Any) -> Harness:
    """Serve a fresh app on a free port."""
    settings = make_settings(database_url, emulator.api_url, **overrides)
    engine = make_engine(database_url, pool_size=20)
    app = create_app(settings, make_session_factory(engine))
    server = make_server(
        "127.0.0.1", 0, WebApp(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/slack/events"
    sender = SlackSender(url, SIGNING_SECRET, emulator_url=emulator.url)
    return Harness(emulator=emulator, app=app, url=url, slack=sender, server=server)


def modal_values(text: str, group_key: str) -> dict[str, Any]:
    """The state values of a recommendation form filled with a text and a group."""
    return {
        "text_block": {"text_input": {"type": "plain_text_input", "value": text}},
        "group_block": {
            "group_select": {"type": "static_select", "selected_option": {"value": group_key}}
        },
    }


def home_opened(user: str) -> dict[str, Any]:
    """The app_home_opened event Slack sends when a person opens the app's Home tab."""
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}


def rec_value(message: dict[str, Any]) -> str:
    """The recommendation id the vote buttons of a card message carry."""
    return next(
        e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    )


def dump(value: Any) -> str:
    """Every string the app sent, for 'nothing leaks' checks."""
    return json.dumps(value, ensure_ascii=False)
