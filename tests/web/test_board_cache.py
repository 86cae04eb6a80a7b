"""bot.web.board.BoardPages called directly: which rendering of a page each request gets.

While votes stream in, a board that is behind is given the page rendered last if its record
was read under FRESH_ENOUGH ago, so that a hundred boards cost a couple of renders a second;
a page loaded afresh, and a board that already has the last rendering, get the current one.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.web import board as module
from bot.web.board import FRESH_ENOUGH, BoardPages
from storage import board_links
from storage.models import Choice
from storage.rules import AdoptionRule
from storage.sessions import transaction
from storage.votes import cast
from tests.factories import ORGANIZER, delegate, submitted


class Clock:
    """Stands in for time.monotonic in bot.web.board."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(module.time, "monotonic", clock)
    return clock


@pytest.fixture
def served(session_factory: sessionmaker[Session]) -> tuple[BoardPages, str, int]:
    """The pages, a valid token and a recommendation to vote on."""
    with transaction(session_factory) as session:
        token = board_links.create(session, actor=ORGANIZER)
        rec_id = submitted(session).id
    return BoardPages(session_factory, title="T", rule=AdoptionRule()), token, rec_id


def get(pages: BoardPages, token: str, etag: str = "") -> tuple[int, str, str]:
    """(status, ETag, body) of GET /board/<token>."""
    environ: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/board/{token}"}
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    answer: list[Any] = []
    body = b"".join(pages(environ, lambda status, headers: answer.extend([status, headers])))
    return int(answer[0].split()[0]), dict(answer[1])["ETag"], body.decode()


def vote(session_factory: sessionmaker[Session], rec_id: int, voter: str) -> None:
    with transaction(session_factory) as session:
        cast(session, actor=delegate(voter), recommendation_id=rec_id, choice=Choice.SUPPORT)


def test_a_board_that_is_behind_gets_the_last_rendering_while_it_is_fresh_enough(
    served, session_factory, clock
):
    pages, token, rec_id = served
    _, old, _ = get(pages, token)
    vote(session_factory, rec_id, "UV1")
    _, first, body = get(pages, token)  # loaded afresh: current
    assert first != old and "Support: 1" in body
    vote(session_factory, rec_id, "UV2")
    clock.now += FRESH_ENOUGH / 2
    status, etag, body = get(pages, token, old)  # behind: the last rendering will do
    assert (status, etag) == (200, first) and "Support: 1" in body
    status, etag, body = get(pages, token, first)  # has the last rendering: current
    assert status == 200 and etag != first and "Support: 2" in body
    assert get(pages, token, etag)[0] == 304


def test_past_fresh_enough_or_loaded_afresh_the_page_is_current(served, session_factory, clock):
    pages, token, rec_id = served
    _, old, _ = get(pages, token)
    vote(session_factory, rec_id, "UV1")
    _, first, _ = get(pages, token)
    vote(session_factory, rec_id, "UV2")
    _, fresh, body = get(pages, token)  # no If-None-Match: never a stale page
    assert fresh != first and "Support: 2" in body
    vote(session_factory, rec_id, "UV3")
    clock.now += FRESH_ENOUGH + 0.01
    _, etag, body = get(pages, token, old)
    assert etag not in (first, fresh) and "Support: 3" in body


def test_a_failure_answers_500_and_keeps_the_token_out_of_the_log(
    served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    pages, token, _ = served

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(module, "board_state", broken)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/board/{token}"}
    answer: list[Any] = []
    body = b"".join(pages(environ, lambda status, headers, *exc: answer.append(status)))
    assert answer == ["500 Internal Server Error"] and b"could not be shown" in body
    assert "the database went away" in caplog.text and token not in caplog.text
