"""The board's fixtures: the real app served with PUBLIC_URL set, and HTTP as a browser sends it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.harness import ORGANIZER, Harness, start_harness

# Debian's chromium, as Playwright drives it here (Playwright's own browser download is not
# available): headless, and quiet on the network.
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREEN = {"width": 1280, "height": 720}  # a projector
PUBLIC_URL = "https://rapporteur.example.org"
TITLE = "Regional Thematic Workshop on High-Tech Crime — ព្រឹត្តិការណ៍ · 전자 증거"
LINK = re.compile(re.escape(PUBLIC_URL) + r"/board/([A-Za-z0-9_-]+)$", re.MULTILINE)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, headers (lower-case names) and body text."""

    status: int
    headers: dict[str, str]
    text: str


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    """One request, any status."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode("utf-8")
            return Answer(response.status, _lower(response.headers.items()), body)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8")
        return Answer(error.code, _lower(error.headers.items()), body)


def _lower(items: object) -> dict[str, str]:
    return {name.lower(): value for name, value in items}  # type: ignore[attr-defined]


class Board:
    """The served app, and the ways to its board."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.base = harness.url.removesuffix("/slack/events")

    def new_link(self) -> str:
        """`/wg board` as the organizer; the token of the link it answers with."""
        answer = self.harness.wg(ORGANIZER, "CANY", "board")
        found = LINK.search(answer)
        assert found, answer
        return found[1]

    def url(self, token: str, *rest: str) -> str:
        """Where the served app shows the board of `token` (or a group's, or an asset)."""
        return "/".join([f"{self.base}/board/{token}", *rest])

    def get(self, token: str, *rest: str, **kwargs: object) -> Answer:
        """GET a board page."""
        return fetch(self.url(token, *rest), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def board_harness(emulator: Emulator, database_url: str) -> Iterator[Harness]:
    """The real app with PUBLIC_URL and a workshop title in several scripts."""
    emulator.reset()
    harness = start_harness(emulator, database_url, public_url=PUBLIC_URL, workshop_title=TITLE)
    yield harness
    harness.close()


@pytest.fixture
def board(board_harness: Harness) -> Board:
    """The served board."""
    return Board(board_harness)
