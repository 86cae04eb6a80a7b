"""CardPosts against the emulator and a real database: a card posted, or the submitter told why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.card_post import CardPosts
from bot.delivery.cards import CardUpdates
from bot.delivery.jobs import Jobs
from bot.delivery.notices import Notices
from bot.emulator import Emulator
from bot.slack.outbound import Outbound
from storage import cards, recommendations, votes
from storage.models import Choice
from storage.sessions import transaction
from tests.factories import delegate, linked_group, submitted
from tests.harness import card_text

CHANNEL = "CEE"  # the group's channel, where its cards go
ORIGIN = "CFORM"  # where the submitter opened the form


@pytest.fixture
def slack(emulator: Emulator) -> Outbound:
    emulator.reset()
    emulator.add_channel(CHANNEL, is_member=True)
    return Outbound.connect("xoxb-card-post-test", emulator.api_url)


@pytest.fixture
def posts(slack: Outbound, session_factory: sessionmaker[Session]) -> Iterator[CardPosts]:
    jobs = Jobs(workers=1, card_workers=1)
    updates = CardUpdates(session_factory, jobs, slack.client, 0.05)
    yield CardPosts(
        session_factory=session_factory,
        client=slack.client,
        once=slack.once,
        notices=Notices(slack),
        updates=updates,
    )
    jobs.shutdown(wait=True)


@pytest.fixture
def rec_id(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory) as session:
        linked_group(session, channel=CHANNEL)
        return submitted(session, delegate("UDEL1"), text="Preserve logs for 180 days").id


def where(session_factory: sessionmaker[Session], rec_id: int) -> tuple[str | None, str | None]:
    with session_factory() as session:
        rec = recommendations.get(session, rec_id)
        return rec.channel_id, rec.message_ts


def told(emulator: Emulator) -> list[tuple[str, str, str]]:
    return [
        (c["params"]["channel"], c["params"]["user"], c["params"]["text"])
        for c in emulator.calls("chat.postEphemeral")
    ]


def test_a_posted_card_is_remembered_and_its_submitter_told_where(
    emulator: Emulator, posts: CardPosts, session_factory: sessionmaker[Session], rec_id: int
):
    with transaction(session_factory) as session:
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec_id, choice=Choice.OPPOSE)
    posts.post(rec_id, CHANNEL, "UDEL1", ORIGIN)
    (message,) = emulator.messages(CHANNEL)
    shown = card_text(message)
    assert "EE-1" in shown and "Preserve logs for 180 days" in shown
    assert "Support: 0 · Oppose: 1 · Abstain: 0" in shown  # the tally as stored
    assert where(session_factory, rec_id) == (CHANNEL, message["ts"])
    with session_factory() as session:
        assert not cards.is_stale(session, rec_id)
    assert told(emulator) == [
        (
            ORIGIN,
            "UDEL1",
            f":white_check_mark: Your recommendation *EE-1* is recorded and posted in <#{CHANNEL}>.",
        )
    ]


def test_without_the_forms_channel_the_submitter_is_told_in_the_cards(
    emulator: Emulator, posts: CardPosts, rec_id: int
):
    posts.post(rec_id, CHANNEL, "UDEL1", None)
    assert [(channel, user) for channel, user, _ in told(emulator)] == [(CHANNEL, "UDEL1")]


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived", "msg_too_long"])
def test_a_refused_post_tells_the_submitter_why_and_keeps_the_record(
    emulator: Emulator,
    posts: CardPosts,
    session_factory: sessionmaker[Session],
    rec_id: int,
    error: str,
):
    emulator.fail("chat.postMessage", error=error)
    posts.post(rec_id, CHANNEL, "UDEL1", ORIGIN)
    assert emulator.messages(CHANNEL) == []
    assert where(session_factory, rec_id) == (None, None)
    assert told(emulator) == [
        (
            ORIGIN,
            "UDEL1",
            f":warning: Your recommendation *EE-1* is recorded, but its card could not be "
            f"posted ({error}). An organizer can see it with `/wg status`; the outcome "
            "document includes it.",
        )
    ]
