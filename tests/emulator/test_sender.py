"""SlackSender: signed requests as Slack sends them, checked raw and against a real Bolt app."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.emulator import (
    Emulator,
    SlackSender,
    signature_headers,
    state_value_select,
    state_value_text,
)
from tests.emulator.conftest import BOT_TOKEN

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class AppServer:
    """A local HTTP endpoint that captures requests and hands them to a callback."""

    def __init__(self, respond: Any) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers.items())
                outer.requests.append({"headers": headers, "body": body})
                status, out_headers, text = respond(body, headers)
                data = text.encode()
                self.send_response(status)
                for key, value in out_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/slack/events"
        threading.Thread(target=self.httpd.serve_forever, args=(0.01,), daemon=True).start()

    def close(self) -> None:
        """Stop the server."""
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def capture() -> Iterator[AppServer]:
    """An endpoint answering 200 "" to everything."""
    server = AppServer(lambda body, headers: (200, {}, ""))
    yield server
    server.close()


@pytest.fixture
def bolt_app(emulator: Emulator) -> Iterator[AppServer]:
    """A real Bolt app (talking to the emulator) behind an HTTP endpoint."""
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    app = App(signing_secret=SECRET, client=client)

    @app.command("/report")
    def report(ack, respond, command) -> None:  # type: ignore[no-untyped-def]
        ack()
        respond(f"Report queued for {command['user_id']}: {command['text']}")

    @app.action("approve")
    def approve(ack, body, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        respond(replace_original=True, text=f"Approved by {body['user']['id']}")

    @app.view("report_modal")
    def submit(ack, view) -> None:  # type: ignore[no-untyped-def]
        summary = view["state"]["values"]["summary"]["text"]["value"]
        if not summary:
            ack(response_action="errors", errors={"summary": "Required"})
        else:
            ack()

    @app.event("app_mention")
    def mention(event, say) -> None:  # type: ignore[no-untyped-def]
        say(f"Hello <@{event['user']}>")

    def respond(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
        response = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        flat = {k: v[0] for k, v in response.headers.items() if k.lower() != "content-length"}
        return response.status, flat, response.body

    server = AppServer(respond)
    yield server
    server.close()


def assert_signed(request: dict[str, Any], secret: str = SECRET) -> None:
    """Assert a captured request carries a valid v0 signature."""
    verifier = SignatureVerifier(secret)
    assert verifier.is_valid_request(request["body"], request["headers"])


def test_signature_headers_match_slack_sdk() -> None:
    headers = signature_headers(SECRET, b"a=1", timestamp=1531420618)
    assert headers["X-Slack-Request-Timestamp"] == "1531420618"
    expected = SignatureVerifier(SECRET).generate_signature(timestamp="1531420618", body=b"a=1")
    assert headers["X-Slack-Signature"] == expected and expected.startswith("v0=")


def test_command_request_shape(emulator: Emulator, capture: AppServer) -> None:
    sender = SlackSender(capture.url, SECRET, emulator_url=emulator.url)
    assert sender.command("U1", "C1", "/report", "wg 3").status == 200
    [request] = capture.requests
    assert_signed(request)
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    fields = dict(urllib.parse.parse_qsl(request["body"].decode()))
    assert fields["command"] == "/report" and fields["text"] == "wg 3"
    assert fields["team_id"] == "T0EMULATOR" and fields["user_id"] == "U1"
    assert fields["response_url"].startswith(emulator.url + "/response/")
    assert len(fields["trigger_id"].split(".")) == 3
    for key in ("token", "team_domain", "channel_name", "user_name", "api_app_id"):
        assert fields[key]


def test_event_request_shape_and_retries(capture: AppServer) -> None:
    sender = SlackSender(capture.url, SECRET)
    sender.event({"type": "app_mention", "user": "U1", "text": "hi"}, event_id="Ev1")
    sender.event({"type": "app_mention"}, retry_num=1, retry_reason="http_timeout")
    first, retry = capture.requests
    assert_signed(first)
    envelope = json.loads(first["body"])
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev1"
    assert envelope["event"]["event_ts"] and envelope["event_time"] > 0
    assert first["headers"]["Content-Type"] == "application/json"
    assert "X-Slack-Retry-Num" not in first["headers"]
    assert retry["headers"]["X-Slack-Retry-Num"] == "1"
    assert retry["headers"]["X-Slack-Retry-Reason"] == "http_timeout"


def test_raw_stale_and_unsigned(capture: AppServer) -> None:
    sender = SlackSender(capture.url, SECRET)
    sender.raw(b"{}", {"Content-Type": "application/json"}, timestamp=int(time.time()) - 600)
    sender.unsigned(b"payload=%7B%7D")
    stale, unsigned = capture.requests
    verifier = SignatureVerifier(SECRET)
    assert not verifier.is_valid_request(stale["body"], stale["headers"]), "too old"
    assert (
        verifier.generate_signature(
            timestamp=stale["headers"]["X-Slack-Request-Timestamp"], body=b"{}"
        )
        == stale["headers"]["X-Slack-Signature"]
    )
    assert "X-Slack-Signature" not in unsigned["headers"]


def test_bolt_rejects_bad_signatures(bolt_app: AppServer) -> None:
    forged = SlackSender(bolt_app.url, "not-the-secret")
    assert forged.command("U1", "C1", "/report").status == 401
    honest = SlackSender(bolt_app.url, SECRET)
    assert honest.unsigned(b"command=%2Freport").status == 401
    stale = honest.raw(b"command=%2Freport", timestamp=int(time.time()) - 600)
    assert stale.status == 401


def test_bolt_command_then_respond(emulator: Emulator, bolt_app: AppServer) -> None:
    sender = SlackSender(bolt_app.url, SECRET, emulator_url=emulator.url)
    answer = sender.command("U1", "C1", "/report", "wg3")
    assert answer.status == 200 and answer.elapsed < 3, "Slack needs the ack within 3 s"
    [call] = emulator.wait_for("response_url")
    assert call["params"]["text"] == "Report queued for U1: wg3"


def test_bolt_block_action_replaces_message(emulator: Emulator, bolt_app: AppServer) -> None:
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    approve = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Approve"},
        "action_id": "approve",
        "value": "draft-7",
    }
    blocks = [{"type": "actions", "block_id": "decide", "elements": [approve]}]
    ts = client.chat_postMessage(channel="C1", text="Approve?", blocks=blocks)["ts"]
    sender = SlackSender(bolt_app.url, SECRET, emulator_url=emulator.url)
    assert sender.block_action("U9", channel_id="C1", message_ts=ts, action_id="approve").ok
    payload = json.loads(
        dict(urllib.parse.parse_qsl(bolt_app.requests[0]["body"].decode()))["payload"]
    )
    [action] = payload["actions"]
    assert (action["block_id"], action["value"], action["type"]) == ("decide", "draft-7", "button")
    assert payload["message"]["blocks"] == blocks and payload["container"]["message_ts"] == ts
    emulator.wait_for("response_url")
    [message] = emulator.messages("C1")
    assert (message["text"], message["updates"]) == ("Approved by U9", 1)


def test_bolt_view_submission(emulator: Emulator, bolt_app: AppServer) -> None:
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    view = {
        "type": "modal",
        "callback_id": "report_modal",
        "private_metadata": "wg=3",
        "title": {"type": "plain_text", "text": "Report"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "summary",
                "label": {"type": "plain_text", "text": "Summary"},
                "element": {"type": "plain_text_input", "action_id": "text"},
            },
            {
                "type": "input",
                "block_id": "lang",
                "label": {"type": "plain_text", "text": "Language"},
                "element": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [{"text": {"type": "plain_text", "text": "EN"}, "value": "en"}],
                },
            },
        ],
    }
    view_id = client.views_open(trigger_id="1.2.3", view=view)["view"]["id"]
    sender = SlackSender(bolt_app.url, SECRET, emulator_url=emulator.url)
    empty = {"summary": {"text": state_value_text("")}, "lang": {"pick": state_value_select("en")}}
    rejected = sender.view_submission("U1", view=view_id, values=empty)
    assert rejected.json() == {"response_action": "errors", "errors": {"summary": "Required"}}
    filled = {**empty, "summary": {"text": state_value_text("Done")}}
    assert sender.view_submission("U1", view=view_id, values=filled).status == 200
    submitted = json.loads(
        dict(urllib.parse.parse_qsl(bolt_app.requests[-1]["body"].decode()))["payload"]
    )
    assert submitted["view"]["id"] == view_id
    assert submitted["view"]["private_metadata"] == "wg=3"
    assert submitted["view"]["state"]["values"]["lang"]["pick"]["selected_option"]["value"] == "en"
    with pytest.raises(ValueError, match="no input block"):
        sender.view_submission("U1", view=view_id, values={"nope": {}})


def test_bolt_event_posts_message(emulator: Emulator, bolt_app: AppServer) -> None:
    sender = SlackSender(bolt_app.url, SECRET, emulator_url=emulator.url)
    challenge = sender.url_verification("abc")
    assert challenge.json() == {"challenge": "abc"}
    event = {"type": "app_mention", "user": "U5", "text": "<@U0EMUBOT> hi", "channel": "C3"}
    assert sender.event(event).status == 200
    [call] = emulator.wait_for("chat.postMessage")
    assert (call["params"]["channel"], call["params"]["text"]) == ("C3", "Hello <@U5>")
