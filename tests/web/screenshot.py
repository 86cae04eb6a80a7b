"""The README's picture of the board: ``python -m tests.web.screenshot docs/images/board.png``.

Serves the real app on a throwaway SQLite database holding the plenary workshop
(tests/web/plenary.py), asks for a link as an organizer would, and photographs the page at
1280×720 in Debian's chromium.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from bot.emulator import Emulator
from storage.engines import make_engine
from storage.groups import seed_groups
from storage.schema import upgrade
from storage.sessions import make_session_factory, transaction
from tests.harness import ORGANIZER, start_harness
from tests.web import plenary
from tests.web.conftest import CHROMIUM, LAUNCH_ARGS, SCREEN

MORNING = datetime(2026, 8, 20, 7, 0, tzinfo=UTC)  # the second day in Da Nang, 14:00 local
# The picture shows what a workshop says, not the markup the tests slip in.
REALISTIC = {"FI-2": (None, "Freeze the proceeds held in crypto-asset wallets without delay")}


def main(argv: list[str]) -> None:
    """Write the screenshot to argv[0]."""
    out = Path(argv[0] if argv else "docs/images/board.png")
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/board.db"
        engine = make_engine(url, pool_size=1)
        upgrade(engine)
        with transaction(make_session_factory(engine)) as session:
            seed_groups(session)
            plenary.build(session, now=MORNING, texts=REALISTIC)
        engine.dispose()
        with Emulator() as emulator:
            harness = start_harness(emulator, url, public_url="https://rapporteur.example.org")
            try:
                answer = harness.wg(ORGANIZER, "CANY", "board")
                token = re.search(r"/board/([A-Za-z0-9_-]+)", answer)
                assert token, answer
                page_url = harness.url.removesuffix("/slack/events") + f"/board/{token[1]}"
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=str(CHROMIUM), args=LAUNCH_ARGS
                    )
                    page = browser.new_page(viewport=SCREEN)
                    page.goto(page_url)
                    page.screenshot(path=str(out))
                    browser.close()
            finally:
                harness.close()
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
