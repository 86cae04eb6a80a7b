"""Fixtures for the Slack emulator tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient

from bot.emulator import Emulator

BOT_TOKEN = "xoxb-emulator-test"
APP_TOKEN = "xapp-emulator-test"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A running emulator, stopped after the test."""
    with Emulator() as emu:
        yield emu


@pytest.fixture
def client(emulator: Emulator) -> WebClient:
    """A real slack_sdk WebClient pointed at the emulator."""
    return WebClient(base_url=emulator.api_url, token=BOT_TOKEN, timeout=5)


def close_quickly(client: SocketModeClient) -> None:
    """Close a SocketModeClient without waiting out its 1 s message-queue poll."""
    closer = threading.Thread(target=client.close)
    closer.start()
    while closer.is_alive():
        client.message_queue.put(None)  # None is skipped by the client; it only wakes the poll
        closer.join(0.02)
