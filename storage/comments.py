"""The discussion of a recommendation: replies in its card's thread, edits and deletions.

A reply counts while it is not deleted. Each change of the count bumps the recommendation's
tally_version, so its card is re-rendered (by the caller's refresh, or by the sweep).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.dialect import insert
from storage.models import Comment, Group, Recommendation, utcnow


@dataclass(frozen=True)
class Reply:
    """A message in a thread, as Slack reports it (its text already decoded)."""

    channel_id: str
    thread_ts: str  # the ts of the thread's first message: a card's message_ts
    ts: str
    user_id: str
    text: str
    at: datetime | None = None  # when it was posted; now if unknown


@dataclass(frozen=True)
class _Card:
    id: int
    group_key: str
    number: str


def record_reply(
    session: Session,
    *,
    reply: Reply,
    request_id: str | None = None,
    edited_at: datetime | None = None,
) -> int | None:
    """Record a reply to a card's thread; the recommendation whose count grew, or None.

    None when the thread is not a card's (one indexed lookup) or the reply is known already
    (a repeated delivery, or one deleted before it arrived): nothing is written then.
    """
    card = _card_of_thread(session, reply.channel_id, reply.thread_ts)
    if card is None:
        return None
    created = session.execute(
        insert(session, Comment.__table__)
        .values(
            recommendation_id=card.id,
            channel_id=reply.channel_id,
            ts=reply.ts,
            user_id=reply.user_id,
            text=_storable(reply.text),
            created_at=reply.at or utcnow(),
            edited_at=edited_at,
        )
        .on_conflict_do_nothing(index_elements=["channel_id", "ts"])
        .returning(Comment.id)
    )
    if created.scalar() is None:
        return None
    _changed(session, card, "comment", reply.user_id, reply.ts, request_id)
    return card.id


def edit(
    session: Session,
    *,
    reply: Reply,
    edited_at: datetime | None = None,
    request_id: str | None = None,
) -> int | None:
    """Follow an edit of a reply; the recommendation whose count grew, or None.

    A reply not recorded yet (its own delivery was lost) is recorded now, as edited; an edit
    of a deleted reply changes nothing, nor does an edit that leaves the text as it was.
    """
    comment = session.scalar(
        select(Comment).where(Comment.channel_id == reply.channel_id, Comment.ts == reply.ts)
    )
    edited_at = edited_at or utcnow()
    if comment is None:
        return record_reply(session, reply=reply, request_id=request_id, edited_at=edited_at)
    text = _storable(reply.text)
    if comment.deleted_at is not None or comment.text == text:
        return None
    comment.text = text
    comment.edited_at = edited_at
    card = _card(session, comment.recommendation_id)
    actor = Actor(comment.user_id, request_id=request_id)
    audit.record(
        session,
        actor=actor,
        action="comment_edit",
        group_key=card.group_key,
        target=card.number,
        ts=reply.ts,
    )
    session.flush()
    return None


def delete(
    session: Session,
    *,
    channel_id: str,
    ts: str,
    thread_ts: str | None = None,
    user_id: str | None = None,
    request_id: str | None = None,
) -> int | None:
    """Follow a reply's deletion; the recommendation whose count fell, or None.

    The row stays, text erased, marked deleted. A deletion that arrives before its reply
    (deliveries out of order) leaves that mark when `thread_ts` names a card's thread, so
    the reply, when it comes, does not count.
    """
    comment = session.scalar(
        select(Comment).where(Comment.channel_id == channel_id, Comment.ts == ts)
    )
    if comment is None:
        card = _card_of_thread(session, channel_id, thread_ts) if thread_ts else None
        if card is not None:
            session.execute(
                insert(session, Comment.__table__)
                .values(
                    recommendation_id=card.id,
                    channel_id=channel_id,
                    ts=ts,
                    user_id=user_id or "",
                    text="",
                    created_at=utcnow(),
                    deleted_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["channel_id", "ts"])
            )
        return None
    if comment.deleted_at is not None:
        return None
    comment.deleted_at = utcnow()
    comment.text = ""
    card = _card(session, comment.recommendation_id)
    _changed(session, card, "comment_delete", comment.user_id, ts, request_id)
    return card.id


def count(session: Session, recommendation_id: int) -> int:
    """How many replies the recommendation's discussion holds (deleted ones do not count)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.recommendation_id == recommendation_id, Comment.deleted_at.is_(None))
        )
        or 0
    )


def counts(session: Session, group_ids: Iterable[int]) -> dict[int, int]:
    """Replies per recommendation of these groups, in one aggregate query (none: absent)."""
    rows = session.execute(
        select(Comment.recommendation_id, func.count())
        .join(Recommendation, Recommendation.id == Comment.recommendation_id)
        .where(Recommendation.group_id.in_(list(group_ids)), Comment.deleted_at.is_(None))
        .group_by(Comment.recommendation_id)
    )
    return {rec_id: n for rec_id, n in rows}


def replies(session: Session, recommendation_id: int) -> list[Comment]:
    """The discussion's replies still standing, oldest first."""
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.recommendation_id == recommendation_id, Comment.deleted_at.is_(None))
            .order_by(Comment.ts)
        )
    )


def _card_of_thread(session: Session, channel_id: str, thread_ts: str) -> _Card | None:
    """The recommendation whose card starts this thread, if any."""
    row = session.execute(
        select(Recommendation.id, Group.key, Group.code, Recommendation.seq)
        .join(Group, Group.id == Recommendation.group_id)
        .where(Recommendation.channel_id == channel_id, Recommendation.message_ts == thread_ts)
        .limit(1)
    ).first()
    return _Card(row.id, row.key, f"{row.code}-{row.seq}") if row else None


def _card(session: Session, recommendation_id: int) -> _Card:
    row = session.execute(
        select(Group.key, Group.code, Recommendation.seq)
        .join(Group, Group.id == Recommendation.group_id)
        .where(Recommendation.id == recommendation_id)
    ).one()
    return _Card(recommendation_id, row.key, f"{row.code}-{row.seq}")


def _changed(
    session: Session, card: _Card, action: str, user_id: str, ts: str, request_id: str | None
) -> None:
    """The count changed: the card must show it, and the change is audited."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == card.id)
        .values(tally_version=Recommendation.tally_version + 1)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor=Actor(user_id, request_id=request_id),
        action=action,
        group_key=card.group_key,
        target=card.number,
        ts=ts,
    )
    session.flush()
    _expire_tally(session, card.id)


def _expire_tally(session: Session, recommendation_id: int) -> None:
    """Keep a Recommendation this session already holds in step with the plain UPDATE."""
    key = session.identity_key(Recommendation, recommendation_id)  # type: ignore[arg-type]
    held = session.identity_map.get(key)
    if held is not None:
        session.expire(held, ["tally_version"])


def _storable(text: str) -> str:
    """The text verbatim, but for NUL, which PostgreSQL cannot store (Slack never sends it)."""
    return text.replace("\x00", "")
