"""The discussion: replies to a card's thread recorded once, edits and deletions followed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from storage import audit, cards, comments, recommendations
from storage.comments import Reply
from storage.models import Comment, Recommendation
from tests.factories import linked_group, submitted

CARD_TS = "1700000000.000100"


def _card(
    session, channel: str = "CEE", ts: str = CARD_TS, key: str = "e-evidence", text: str = "Act."
) -> int:
    """A recommendation whose card is posted at (channel, ts)."""
    rec = submitted(session, key=key, text=text)
    recommendations.set_card(session, rec.id, channel, ts)
    session.flush()
    return rec.id


def _reply(ts: str, text: str = "Agreed, with 90 days.", user: str = "UDEL2", **fields) -> Reply:
    values = {"channel_id": "CEE", "thread_ts": CARD_TS, "ts": ts, "user_id": user, "text": text}
    values.update(fields)
    return Reply(**values)


def _version(session, rec_id: int) -> int:
    return session.scalar(select(Recommendation.tally_version).where(Recommendation.id == rec_id))


def test_a_reply_to_a_cards_thread_is_recorded_counted_and_shown(session):
    linked_group(session)
    rec_id = _card(session)
    before = _version(session, rec_id)
    posted = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

    changed = comments.record_reply(
        session, reply=_reply("1700000001.000200", "ຕົກລົງ <ok> & ✓", at=posted), request_id="Ev1"
    )

    assert changed == rec_id
    assert _version(session, rec_id) == before + 1  # the card must show the count
    (comment,) = comments.replies(session, rec_id)
    assert (comment.user_id, comment.text) == ("UDEL2", "ຕົກລົງ <ok> & ✓")  # verbatim
    assert comment.created_at.replace(tzinfo=UTC) == posted
    assert comment.edited_at is None and comment.deleted_at is None
    assert comments.count(session, rec_id) == 1
    assert cards.card_state(session, rec_id).comments == 1
    entry = audit.entries(session)[-1]
    assert (entry.action, entry.target, entry.group_key) == ("comment", "EE-1", "e-evidence")
    assert (entry.actor_user_id, entry.request_id) == ("UDEL2", "Ev1")


def test_the_same_reply_twice_counts_once(session):
    linked_group(session)
    rec_id = _card(session)
    assert comments.record_reply(session, reply=_reply("1700000001.000200")) == rec_id
    version = _version(session, rec_id)
    assert comments.record_reply(session, reply=_reply("1700000001.000200")) is None
    assert comments.count(session, rec_id) == 1
    assert _version(session, rec_id) == version


def test_replies_outside_a_cards_thread_are_not_recorded(session):
    linked_group(session)
    rec_id = _card(session)
    elsewhere = [
        _reply("1700000001.1", thread_ts="1600000000.000001"),  # another thread
        _reply("1700000001.2", channel_id="COTHER"),  # same ts, another channel
    ]
    for reply in elsewhere:
        assert comments.record_reply(session, reply=reply) is None
    assert session.scalar(select(func.count()).select_from(Comment)) == 0
    assert comments.count(session, rec_id) == 0


def test_an_edit_replaces_the_text_and_keeps_the_count(session):
    linked_group(session)
    rec_id = _card(session)
    comments.record_reply(session, reply=_reply("1700000001.000200", "first words"))
    version = _version(session, rec_id)
    when = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    assert (
        comments.edit(session, reply=_reply("1700000001.000200", "better"), edited_at=when) is None
    )

    (comment,) = comments.replies(session, rec_id)
    assert comment.text == "better" and comment.edited_at.replace(tzinfo=UTC) == when
    assert comments.count(session, rec_id) == 1 and _version(session, rec_id) == version
    assert audit.entries(session)[-1].action == "comment_edit"
    entries = len(audit.entries(session))
    comments.edit(session, reply=_reply("1700000001.000200", "better"))  # nothing changed
    assert len(audit.entries(session)) == entries


def test_an_edit_of_a_reply_never_seen_records_it(session):
    linked_group(session)
    rec_id = _card(session)
    assert comments.edit(session, reply=_reply("1700000001.000200", "late")) == rec_id
    (comment,) = comments.replies(session, rec_id)
    assert comment.text == "late" and comment.edited_at is not None


def test_a_deleted_reply_stops_counting_and_cannot_come_back(session):
    linked_group(session)
    rec_id = _card(session)
    comments.record_reply(session, reply=_reply("1700000001.000200", "oops"))
    comments.record_reply(session, reply=_reply("1700000002.000300", "stays"))
    version = _version(session, rec_id)

    assert comments.delete(session, channel_id="CEE", ts="1700000001.000200") == rec_id

    assert comments.count(session, rec_id) == 1 and _version(session, rec_id) == version + 1
    row = session.scalar(select(Comment).where(Comment.ts == "1700000001.000200"))
    assert row.deleted_at is not None and row.text == ""  # kept, its text erased
    assert audit.entries(session)[-1].action == "comment_delete"
    # Deleted twice, edited after, delivered again: nothing changes.
    assert comments.delete(session, channel_id="CEE", ts="1700000001.000200") is None
    assert comments.edit(session, reply=_reply("1700000001.000200", "again")) is None
    assert comments.record_reply(session, reply=_reply("1700000001.000200", "again")) is None
    assert comments.count(session, rec_id) == 1 and _version(session, rec_id) == version + 1
    assert [c.text for c in comments.replies(session, rec_id)] == ["stays"]


def test_a_deletion_before_its_reply_keeps_the_reply_from_counting(session):
    linked_group(session)
    rec_id = _card(session)
    gone = comments.delete(
        session, channel_id="CEE", ts="1700000001.000200", thread_ts=CARD_TS, user_id="UDEL2"
    )
    assert gone is None
    assert comments.record_reply(session, reply=_reply("1700000001.000200")) is None
    assert comments.count(session, rec_id) == 0
    # A deletion of a message in no card's thread leaves nothing behind.
    comments.delete(session, channel_id="CEE", ts="1700000009.1", thread_ts="1600000000.1")
    comments.delete(session, channel_id="CEE", ts="1700000009.2")
    assert session.scalar(select(func.count()).select_from(Comment)) == 1


def test_counts_per_recommendation_in_one_query(session):
    linked_group(session)
    linked_group(session, key="victim-protection", channel="CVP")
    first = _card(session)
    second = _card(session, channel="CVP", ts="1700000000.000900", key="victim-protection")
    quiet = _card(session, ts="1700000000.000500", text="Train judges.")
    for i in range(3):
        comments.record_reply(session, reply=_reply(f"1700000001.00000{i}"))
    comments.record_reply(
        session, reply=_reply("1700000001.9", channel_id="CVP", thread_ts="1700000000.000900")
    )
    comments.delete(session, channel_id="CEE", ts="1700000001.000000")
    group_ids = session.scalars(select(Recommendation.group_id).distinct()).all()

    assert comments.counts(session, group_ids) == {first: 2, second: 1}
    assert quiet not in comments.counts(session, group_ids)
