"""Fixtures for end-to-end tests: one emulator per session, one app per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator import Emulator
from tests.e2e.harness import Harness, start_harness


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """The Slack Web API emulator."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def harness(emulator: Emulator, database_url: str) -> Iterator[Harness]:
    """The real app served on a local port, on a fresh database, emulator reset."""
    emulator.reset()
    harness = start_harness(emulator, database_url)
    yield harness
    harness.close()
