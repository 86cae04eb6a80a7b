"""Amendments as their messages in a card's thread show them, and those messages owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import Amendment, AmendmentState, Recommendation
from storage.recommendations import get
from storage.reservations import delegation_name
from storage.texts import name_of


@dataclass(frozen=True)
class AmendmentView:
    """An amendment as its message in the card's thread shows it."""

    amendment_id: int
    number: str  # EE-3/A1
    recommendation_number: str  # EE-3
    base_version: int  # the version it amends…
    base_text: str  # …and its text
    text: str
    reason: str | None
    proposer_id: str
    proposer_name: str
    delegation_name: str | None
    state: AmendmentState
    decided_by_name: str | None
    reject_reason: str | None
    channel_id: str | None  # the card's channel, where its thread is
    card_ts: str | None
    thread_ts: str | None  # its own message in that thread


Closed = AmendmentView  # an amendment withdrawn with its recommendation


Closed = AmendmentView  # an amendment withdrawn with its recommendation


def mark_posted(session: Session, amendment_id: int, channel_id: str, thread_ts: str) -> None:
    """Remember the amendment's message in the card's thread."""
    session.execute(
        update(Amendment)
        .where(Amendment.id == amendment_id)
        .values(channel_id=channel_id, thread_ts=thread_ts)
    )


def owed(session: Session, *, now: float, older_than: float) -> list[AmendmentView]:
    """Amendments awaiting a decision whose thread message is still owed, proposed over
    `older_than` s ago (the request that stored one posts it; these lost it to a crash or a
    refusal), on cards that are posted."""
    before = datetime.fromtimestamp(now - older_than, UTC)
    rows = session.execute(
        select(Amendment, Recommendation)
        .join(Recommendation, Recommendation.id == Amendment.recommendation_id)
        .where(
            Amendment.thread_ts.is_(None),
            Amendment.state == AmendmentState.PROPOSED.value,
            Amendment.created_at < before,
            Recommendation.message_ts.is_not(None),
        )
        .order_by(Amendment.id)
    ).all()
    return [view_of(session, rec, amendment) for amendment, rec in rows]


def view(session: Session, amendment_id: int) -> AmendmentView:
    """The amendment as its thread message shows it; raises NotFound."""
    amendment = session.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound(what="amendment")
    return view_of(session, get(session, amendment.recommendation_id), amendment)


def label(recommendation_number: str, number: int) -> str:
    """An amendment's number as people write it: `EE-3/A1`."""
    return f"{recommendation_number}/A{number}"


def number_of(rec: Recommendation, amendment: Amendment) -> str:
    """An amendment's number: `EE-3/A1`."""
    return label(rec.number, amendment.number)


def view_of(session: Session, rec: Recommendation, amendment: Amendment) -> AmendmentView:
    """The amendment of `rec` as its thread message shows it."""
    return AmendmentView(
        amendment_id=amendment.id,
        number=number_of(rec, amendment),
        recommendation_number=rec.number,
        base_version=amendment.base_version,
        base_text=amendment.base_text,
        text=amendment.text,
        reason=amendment.reason,
        proposer_id=amendment.user_id,
        proposer_name=name_of(session, amendment.user_id) or amendment.user_id,
        delegation_name=delegation_name(amendment.delegation) if amendment.delegation else None,
        state=AmendmentState(amendment.state),
        decided_by_name=name_of(session, amendment.decided_by),
        reject_reason=amendment.reject_reason,
        channel_id=amendment.channel_id or rec.channel_id,
        card_ts=rec.message_ts,
        thread_ts=amendment.thread_ts,
    )
