"""The discussion: replies in a card's thread, through signed events against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.emulator import channel_events as ev
from bot.listeners.discussion import on_message
from bot.runtime.followups import Followups
from storage import comments
from storage.models import Comment, Recommendation
from storage.sessions import transaction
from tests.harness import Harness, card_text

CHANNEL = "CEEVID"


def _card(harness: Harness) -> dict[str, Any]:
    harness.link(CHANNEL)
    return harness.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")


def _send(harness: Harness, event: dict[str, Any]) -> None:
    response = harness.slack.event(ev.posted(CHANNEL, event) if "channel" not in event else event)
    assert response.status == 200, response.text
    harness.settle()


def _shown(harness: Harness, card: dict[str, Any]) -> str:
    return card_text(harness.card(card))


def _stored(harness: Harness) -> list[tuple[str, str, bool]]:
    """(user, text, deleted) of every recorded reply, oldest first."""
    with transaction(harness.app.session_factory) as session:
        rows = session.scalars(select(Comment).order_by(Comment.ts)).all()
        return [(c.user_id, c.text, c.deleted_at is not None) for c in rows]


def test_replies_are_recorded_and_counted_on_the_card(harness: Harness):
    card = _card(harness)
    assert "💬" not in _shown(harness, card)  # no line until someone replies

    first = ev.message(
        "UDEL2",
        "Agree with <@UDEL3>, see <https://x.example/a?b=1&amp;c|the law>",
        thread_ts=card["ts"],
    )
    _send(harness, first)

    assert "💬 1 comment" in _shown(harness, card)
    assert "💬 1 comments" not in _shown(harness, card)
    assert _stored(harness) == [
        ("UDEL2", "Agree with @UDEL3, see https://x.example/a?b=1&c", False)
    ]
    _send(harness, ev.message("UDEL3", "ຂ້ອຍເຫັນດີ & <!channel>", thread_ts=card["ts"]))
    assert "💬 2 comments" in _shown(harness, card)
    assert _stored(harness)[1] == ("UDEL3", "ຂ້ອຍເຫັນດີ & @channel", False)


def test_edits_are_followed_and_deletions_stop_counting(harness: Harness):
    card = _card(harness)
    reply = ev.message("UDEL2", "Ninety days", thread_ts=card["ts"])
    other = ev.message("UDEL3", "Too short", thread_ts=card["ts"])
    _send(harness, reply)
    _send(harness, other)
    assert "💬 2 comments" in _shown(harness, card)

    _send(harness, ev.edited(CHANNEL, reply, "Ninety days, <https://law.example|renewable>"))
    assert _stored(harness)[0] == ("UDEL2", "Ninety days, https://law.example", False)
    assert "💬 2 comments" in _shown(harness, card)

    _send(harness, ev.deleted(CHANNEL, other))
    assert "💬 1 comment" in _shown(harness, card)
    assert _stored(harness)[1] == ("UDEL3", "", True)
    _send(harness, ev.deleted(CHANNEL, reply))
    assert "💬" not in _shown(harness, card)  # none left: the line goes


def test_a_retried_event_counts_once(harness: Harness):
    card = _card(harness)
    event = ev.posted(CHANNEL, ev.message("UDEL2", "Once", thread_ts=card["ts"]))
    assert harness.slack.event(event, event_id="EvRETRY000001").status == 200
    retried = harness.slack.event(event, event_id="EvRETRY000001", retry_num=1)
    assert retried.status == 200
    harness.settle()
    assert len(_stored(harness)) == 1
    assert "💬 1 comment" in _shown(harness, card)


def test_bots_the_app_itself_and_other_threads_are_ignored(harness: Harness):
    card = _card(harness)
    updates = len(harness.emulator.calls("chat.update"))
    ignored = [
        ev.bot_message("Reservation recorded", thread_ts=card["ts"]),  # this app's own
        ev.bot_message("Translated", bot_id="BOTHER", thread_ts=card["ts"]),
        {**ev.message("UDEL2", "via an integration", thread_ts=card["ts"]), "bot_id": "B9"},
        ev.message("UDEL2", "a top-level message"),
        ev.message("UDEL2", "another thread", thread_ts="1600000000.000100"),
        ev.message("UDEL2", card["message"]["text"], ts=card["ts"], thread_ts=card["ts"]),
        {**ev.message("UDEL2", "joined"), "subtype": "channel_join"},
    ]
    for event in ignored:
        _send(harness, event)
    _send(harness, ev.edited(CHANNEL, ev.message("UDEL2", "top", ts="1600000000.1"), "edited"))
    _send(harness, ev.deleted(CHANNEL, ev.message("UDEL2", "top", ts="1600000000.2")))
    # The same reply in another channel's thread with the card's ts is not the card's.
    other = ev.posted("COTHER", ev.message("UDEL2", "elsewhere", thread_ts=card["ts"]))
    assert harness.slack.event(other).status == 200
    harness.settle()

    assert _stored(harness) == []
    assert len(harness.emulator.calls("chat.update")) == updates


def test_a_reply_in_a_private_channel_counts_too(harness: Harness):
    harness.link("GPRIVATE")
    card = harness.recommend("UDEL1", "GPRIVATE", "Share intelligence")
    event = ev.posted("GPRIVATE", ev.message("UDEL2", "Yes", thread_ts=card["ts"]))
    assert event["channel_type"] == "group"
    assert harness.slack.event(event).status == 200
    harness.settle()
    assert "💬 1 comment" in _shown(harness, card)


# --- the listener, called directly -----------------------------------------------------


class _Untouchable:
    """A session that fails the test if the listener uses it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the database was used ({name})")


class _Context(dict):
    bot_user_id = "UBOT"


@pytest.mark.parametrize(
    "event",
    [
        ev.posted(CHANNEL, ev.message("UDEL2", "top level")),
        ev.posted(CHANNEL, ev.bot_message("a bot", thread_ts="1700000000.1")),
        ev.posted(CHANNEL, ev.message("UBOT", "the app itself", thread_ts="1700000000.1")),
        ev.posted(CHANNEL, ev.message("UDEL2", "first of a thread", ts="17.1", thread_ts="17.1")),
        ev.edited(CHANNEL, ev.message("UDEL2", "top level"), "changed"),
        ev.deleted(CHANNEL, ev.message("UDEL2", "top level")),
        ev.posted(CHANNEL, ev.message("U" * 40, "overlong id", thread_ts="1700000000.1")),
        ev.posted(CHANNEL, ev.message("UDEL2", "bad ts", ts="x", thread_ts="1700000000.1")),
        {"type": "message", "subtype": "channel_topic", "channel": CHANNEL, "topic": "t"},
    ],
)
def test_messages_outside_a_discussion_cost_no_database_work(event: dict[str, Any]):
    class Cards:
        def refresh(self, recommendation_id: int) -> None:
            raise AssertionError("no card changed")

    context = _Context(session=_Untouchable(), followups=Followups(), request_id="Ev1")
    on_message(event, context, cards=Cards())  # type: ignore[arg-type]
    assert context["followups"].after_commit == []


def test_a_reply_queues_its_cards_refresh_after_the_commit(session_factory):
    from tests.factories import linked_group, submitted

    with transaction(session_factory) as session:
        linked_group(session)
        rec = submitted(session)
        rec.channel_id, rec.message_ts = "CEE", "1700000000.000100"
        rec_id = rec.id
    refreshed: list[int] = []

    class Cards:
        def refresh(self, recommendation_id: int) -> None:
            refreshed.append(recommendation_id)

    with transaction(session_factory) as session:
        context = _Context(session=session, followups=Followups(), request_id="Ev2")
        reply = ev.posted("CEE", ev.message("UDEL2", "yes", thread_ts="1700000000.000100"))
        on_message(reply, context, cards=Cards())  # type: ignore[arg-type]
        assert refreshed == []  # not before the commit
        for _, job in context["followups"].after_commit:
            job()
    assert refreshed == [rec_id]
    with transaction(session_factory) as session:
        assert comments.count(session, rec_id) == 1
        version = session.scalar(
            select(Recommendation.tally_version).where(Recommendation.id == rec_id)
        )
        assert version >= 1
        assert session.scalar(select(func.count()).select_from(Comment)) == 1
