"""response_url POSTs: recorded, and applied to stored messages like Slack does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.emulator import Emulator


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    """POST JSON and return (status, text) without raising on errors."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_response_url_is_recorded(emulator: Emulator) -> None:
    url = emulator.response_url()
    assert url.startswith(emulator.url + "/response/")
    assert url != emulator.response_url()
    answer = WebhookClient(url).send(text="Working on it", response_type="ephemeral")
    assert (answer.status_code, answer.body) == (200, "ok")
    [call] = emulator.calls("response_url")
    assert call["params"] == {"text": "Working on it", "response_type": "ephemeral", "url": url}


def test_replace_and_delete_original(emulator: Emulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="vote?")["ts"]
    url = emulator.response_url(channel_id="C1", message_ts=ts)
    assert post_json(url, {"replace_original": True, "text": "voted"}) == (200, "ok")
    [message] = emulator.messages("C1")
    assert (message["text"], message["updates"]) == ("voted", 1)
    assert post_json(url, {"delete_original": True}) == (200, "ok")
    assert emulator.messages("C1") == []


def test_in_channel_response_posts_a_message(emulator: Emulator) -> None:
    url = emulator.response_url(channel_id="C5", user_id="U1")
    assert post_json(url, {"response_type": "in_channel", "text": "for all"})[0] == 200
    assert [m["text"] for m in emulator.messages("C5")] == ["for all"]


def test_response_url_limits(emulator: Emulator) -> None:
    url = emulator.response_url()
    for _ in range(5):
        assert post_json(url, {"text": "x"})[0] == 200
    status, text = post_json(url, {"text": "sixth"})
    assert status == 404 and "used_url" in text
    assert post_json(emulator.url + "/response/forged", {"text": "x"})[0] == 404
    status, text = post_json(
        emulator.response_url(),
        {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]},
    )
    assert status == 400 and "invalid_blocks" in text
    assert len(emulator.calls("response_url")) == 8


def test_response_url_faults(emulator: Emulator) -> None:
    emulator.fail("response_url", status=500)
    url = emulator.response_url()
    assert post_json(url, {"text": "x"})[0] == 500
    assert post_json(url, {"text": "x"}) == (200, "ok")
    with pytest.raises(TimeoutError):
        emulator.wait_for("response_url", count=3, timeout=0.05)
