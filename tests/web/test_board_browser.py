"""The board in a real browser: Debian's chromium driven by Playwright (no download of its own).

Every script renders (the text as typed, in the Noto families), a vote shows within 3 s, the
arrow keys move between groups, nothing scrolls sideways at 1280×720, motion can be turned
off, and a revoked link answers 404 — and takes the open board off the screen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import recommendations
from storage.recommendations import Draft
from storage.sessions import transaction
from tests.factories import delegate
from tests.harness import ORGANIZER
from tests.web import plenary
from tests.web.conftest import CHROMIUM, LAUNCH_ARGS, SCREEN, Board

NOTO = ("Noto Sans", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Thai", "Noto Sans CJK KR")
LONG_WORD = "https://evidence.example.org/" + "preservation-request-" * 20

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium for the module's tests (a fresh page each)."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A page the size of a projector's screen."""
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def workshop(session_factory: sessionmaker[Session]) -> plenary.Plenary:
    """The plenary workshop, plus one recommendation made of a single very long word."""
    with transaction(session_factory) as session:
        built = plenary.build(session)
        draft = Draft(group_key="victim-protection", text=LONG_WORD, title=LONG_WORD[:150])
        recommendations.submit(session, actor=delegate(), draft=draft, submission_key="long")
    return built


def test_every_script_renders_as_typed_in_the_noto_families(board: Board, workshop, page):
    page.goto(board.url(board.new_link()))
    shown = page.inner_text("main")
    for title, text in plenary.TEXTS.values():
        expected = " ".join((title or text).split())
        if title is None:
            expected = expected.split()[0]
        assert expected in shown, expected
    assert plenary.HOSTILE.split(" & ")[0] in shown  # markup is text, never run
    assert page.locator("main script, main b").count() == 0
    families = page.eval_on_selector(".headline", "e => getComputedStyle(e).fontFamily")
    for family in NOTO:
        assert f'"{family}"' in families or family == families.split(",")[0]
    assert families.index("Noto Sans Khmer") < families.index("sans-serif")


def test_a_vote_shows_on_the_open_board_within_3_seconds(board: Board, page):
    harness = board.harness
    harness.link("CVP", key="victim-protection")
    card = harness.recommend("UDEL1", "CVP", "Screen the people found in fraud compounds")
    problems: list[str] = []  # a script error or a policy violation would stop updates
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(board.url(board.new_link(), "victim-protection"))
    item = page.locator('.rec[data-number="VP-1"]')
    assert "Support: 0 · Oppose: 0 · Abstain: 0" in item.inner_text()
    assert harness.vote("UV1", card, "support").status == 200
    started = time.monotonic()
    sync_api.expect(item).to_contain_text("Support: 1 · Oppose: 0", timeout=5000)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed
    assert "Adopted so far" in item.inner_text()
    assert problems == []


def test_the_arrow_keys_move_between_groups(board: Board, workshop, page):
    token = board.new_link()
    page.goto(board.url(token))
    for key, path, heading in (
        ("ArrowRight", "/e-evidence", "Electronic evidence EE"),
        ("ArrowRight", "/financial-investigation", "Financial investigation FI"),
        ("ArrowLeft", "/e-evidence", "Electronic evidence EE"),
        ("ArrowLeft", "", "Regional Thematic Workshop"),
        ("ArrowLeft", "/victim-protection", "Victim and witness protection VP"),
        ("ArrowRight", "", "Regional Thematic Workshop"),
    ):
        with page.expect_navigation():
            page.keyboard.press(key)
        assert page.url == board.url(token) + path
        assert page.inner_text("h1").startswith(heading)
    page.goto(board.url(token, "asset-confiscation"))
    assert page.inner_text("h1").startswith("Asset confiscation")


def test_no_page_scrolls_sideways_at_1280_by_720(board: Board, workshop, page):
    token = board.new_link()
    for rest in ((), *((key,) for key in plenary.CHANNELS)):
        page.goto(board.url(token, *rest))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SCREEN["width"], (rest, width)
    assert LONG_WORD[:40] in page.inner_text("main")  # the long word is there, wrapped


def test_reduced_motion_turns_transitions_off(board: Board, workshop, page):
    token = board.new_link()
    page.goto(board.url(token))
    assert page.eval_on_selector(".rec", "e => getComputedStyle(e).transitionDuration") != "0s"
    page.emulate_media(reduced_motion="reduce")
    assert page.eval_on_selector(".rec", "e => getComputedStyle(e).transitionDuration") == "0s"


def test_a_revoked_link_gets_404_and_leaves_the_screen(board: Board, workshop, page):
    token = board.new_link()
    assert page.goto(board.url(token)).status == 200
    assert "Revoked 1 board link" in board.harness.wg(ORGANIZER, "CANY", "board revoke")
    sync_api.expect(page).to_have_title("Not found", timeout=5000)
    assert "EE-1" not in page.content()
    response = page.goto(board.url(token, "e-evidence"))
    assert response.status == 404
    assert "EE-1" not in page.content()
