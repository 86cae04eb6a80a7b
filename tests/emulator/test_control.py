"""The HTTP control API (EmulatorClient) and the ``python -m bot.emulator`` entry point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator, EmulatorClient
from tests.emulator.conftest import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_control_client_mirrors_the_emulator(emulator: Emulator, client: WebClient) -> None:
    remote = EmulatorClient(emulator.api_url)
    assert remote.url == emulator.url and remote.api_url == emulator.api_url
    ts = client.chat_postMessage(channel="C1", text="hello")["ts"]
    client.auth_test()
    assert [c["method"] for c in remote.calls()] == ["chat.postMessage", "auth.test"]
    assert remote.calls("auth.test")[0]["token"] == BOT_TOKEN
    assert remote.messages("C1")[0]["ts"] == ts
    assert remote.messages("C2") == []

    remote.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="again")
    assert err.value.response["error"] == "channel_not_found"

    url = remote.response_url(channel_id="C1", message_ts=ts)
    assert url.startswith(emulator.url + "/response/")
    remote.reset()
    assert remote.calls() == [] and emulator.messages() == []
    assert remote.upload_bytes("F404") is None


def test_control_wait_for_polls(emulator: Emulator, client: WebClient) -> None:
    remote = EmulatorClient(emulator.url)
    timer = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late"))
    timer.start()
    try:
        [call] = remote.wait_for(
            "chat.postMessage", predicate=lambda c: c["params"]["text"] == "late"
        )
    finally:
        timer.join()
    assert call["params"]["channel"] == "C1"
    with pytest.raises(TimeoutError, match=r"chat\.postMessage"):
        remote.wait_for("chat.postMessage", count=2, timeout=0.1)


def test_cli_runs_in_foreground_and_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.emulator", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        api_url = proc.stdout.readline().strip()
        assert api_url.startswith("http://127.0.0.1:") and api_url.endswith("/api/")
        assert WebClient(base_url=api_url, token=BOT_TOKEN).auth_test()["ok"]
        assert EmulatorClient(api_url).calls("auth.test")[0]["response"]["ok"] is True
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
