"""CardUpdates against the emulator and a real database: a card shows the stored tally."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.cards import CardUpdates
from bot.delivery.jobs import Jobs
from bot.emulator import Emulator
from storage import cards, recommendations, votes
from storage.models import Choice
from storage.sessions import transaction
from tests.factories import delegate, linked_group, submitted
from tests.harness import card_text

CHANNEL = "CEE"
INTERVAL = 0.05  # between two updates of one card
WAIT = 10.0


@pytest.fixture
def client(emulator: Emulator) -> WebClient:
    emulator.reset()
    return WebClient(base_url=emulator.api_url, token="xoxb-cards-test", timeout=5)


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    pool = Jobs(workers=2, card_workers=2)
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def updates(session_factory: sessionmaker[Session], jobs: Jobs, client: WebClient) -> CardUpdates:
    return CardUpdates(session_factory, jobs, client, INTERVAL)


@pytest.fixture
def rec_id(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory) as session:
        linked_group(session)
        return submitted(session).id


def posted(client: WebClient, session_factory: sessionmaker[Session], rec_id: int) -> str:
    """A card message in the channel, as first posted (no votes), noted on the record."""
    message = client.chat_postMessage(channel=CHANNEL, text="EE-1 · Support: 0")
    with transaction(session_factory) as session:
        recommendations.set_card(session, rec_id, CHANNEL, message["ts"])
    return message["ts"]


def vote(session_factory: sessionmaker[Session], rec_id: int, **choices: Choice) -> None:
    with transaction(session_factory) as session:
        for user_id, choice in choices.items():
            votes.cast(session, actor=delegate(user_id), recommendation_id=rec_id, choice=choice)


def settled(jobs: Jobs) -> None:
    deadline = time.monotonic() + WAIT
    while jobs.pending():
        assert time.monotonic() < deadline, "card updates did not settle"
        time.sleep(0.01)


def shown(emulator: Emulator, ts: str) -> str:
    (message,) = [m for m in emulator.messages(CHANNEL) if m["ts"] == ts]
    return card_text(message)


def test_refresh_updates_the_message_to_the_stored_tally(
    emulator: Emulator,
    client: WebClient,
    session_factory: sessionmaker[Session],
    jobs: Jobs,
    updates: CardUpdates,
    rec_id: int,
):
    ts = posted(client, session_factory, rec_id)
    vote(session_factory, rec_id, UV1=Choice.SUPPORT, UV2=Choice.SUPPORT, UV3=Choice.OPPOSE)
    updates.refresh(rec_id)
    settled(jobs)
    (update,) = emulator.calls("chat.update")
    assert (update["params"]["channel"], update["params"]["ts"]) == (CHANNEL, ts)
    text = shown(emulator, ts)
    assert "Support: 2 · Oppose: 1 · Abstain: 0" in text and "EE-1" in text
    with session_factory() as session:
        assert not cards.is_stale(session, rec_id)


def test_a_second_refresh_while_the_card_is_fresh_does_nothing(
    emulator: Emulator,
    client: WebClient,
    session_factory: sessionmaker[Session],
    jobs: Jobs,
    updates: CardUpdates,
    rec_id: int,
):
    ts = posted(client, session_factory, rec_id)
    vote(session_factory, rec_id, UV1=Choice.ABSTAIN)
    updates.refresh(rec_id)
    settled(jobs)
    updates.refresh(rec_id)
    settled(jobs)
    assert len(emulator.calls("chat.update")) == 1
    # A vote since: the next refresh shows it.
    vote(session_factory, rec_id, UV1=Choice.OPPOSE)
    updates.refresh(rec_id)
    settled(jobs)
    assert len(emulator.calls("chat.update")) == 2
    assert "Support: 0 · Oppose: 1 · Abstain: 0" in shown(emulator, ts)


def test_a_card_not_posted_yet_is_left_to_its_post(
    emulator: Emulator,
    session_factory: sessionmaker[Session],
    jobs: Jobs,
    updates: CardUpdates,
    rec_id: int,
):
    vote(session_factory, rec_id, UV1=Choice.SUPPORT)
    updates.refresh(rec_id)
    settled(jobs)
    assert emulator.calls("chat.update") == []
    with session_factory() as session:
        assert cards.is_stale(session, rec_id)  # posting it will show the tally


def test_a_refused_update_is_told_and_the_card_stays_behind(
    emulator: Emulator,
    client: WebClient,
    session_factory: sessionmaker[Session],
    jobs: Jobs,
    updates: CardUpdates,
    rec_id: int,
):
    ts = posted(client, session_factory, rec_id)
    vote(session_factory, rec_id, UV1=Choice.SUPPORT)
    emulator.fail("chat.update", error="message_not_found")
    failed: list[str] = []
    updates.refresh(rec_id, on_failure=failed.append)
    settled(jobs)
    assert failed == ["EE-1"]
    assert [c["fault"]["error"] for c in emulator.calls("chat.update")] == ["message_not_found"]
    assert "Support: 0" in shown(emulator, ts)
    with session_factory() as session:
        assert cards.is_stale(session, rec_id)
