"""Submitting recommendations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.errors import InvalidInput, NotFound, VotingClosed
from storage.groups import group_by_key
from storage.limits import RATIONALE_MAX, TEXT_MAX, TITLE_MAX, clean_optional, clean_required
from storage.models import Group, Recommendation
from storage.people import remember


@dataclass(frozen=True)
class Draft:
    """What a person typed into the recommendation form."""

    group_key: str | None
    text: str | None
    title: str | None = None
    rationale: str | None = None


def validate(draft: Draft) -> tuple[str, str, str | None, str | None]:
    """Check a draft's fields; raises InvalidInput naming the first bad field."""
    found = problems(draft)
    if found:
        raise found[0]
    assert draft.group_key and draft.text
    title = clean_optional("title", draft.title, TITLE_MAX)
    rationale = clean_optional("rationale", draft.rationale, RATIONALE_MAX)
    return draft.group_key, draft.text, title, rationale


def problems(draft: Draft) -> list[InvalidInput]:
    """Every bad field of a draft, in the form's order (empty if it can be submitted)."""
    fields = (
        (clean_required, "text", draft.text, TEXT_MAX),
        (clean_optional, "title", draft.title, TITLE_MAX),
        (clean_optional, "rationale", draft.rationale, RATIONALE_MAX),
    )
    found: list[InvalidInput] = []
    for clean, field, value, limit in fields:
        try:
            clean(field, value, limit)
        except InvalidInput as problem:
            found.append(problem)
    if not draft.group_key:
        found.append(InvalidInput("group", "empty"))
    return found


def submit(
    session: Session, *, actor: Actor, draft: Draft, submission_key: str | None
) -> tuple[Recommendation, bool]:
    """Store a recommendation and number it within its group.

    Returns (recommendation, created). A submission already accepted under the same key, or
    the same text by the same author in the same group, is returned with created=False.
    Raises InvalidInput, UnknownGroup, VotingClosed.
    """
    group_key, text, title, rationale = validate(draft)
    group = group_by_key(session, group_key)
    if submission_key:
        existing = session.scalar(
            select(Recommendation).where(Recommendation.submission_key == submission_key)
        )
        if existing is not None:
            return existing, False
    duplicate = session.scalar(
        select(Recommendation).where(
            Recommendation.group_id == group.id,
            Recommendation.author_user_id == actor.user_id,
            Recommendation.text == text,
        )
    )
    if duplicate is not None:
        return duplicate, False
    if not group.is_open:
        raise VotingClosed(group=group.name)
    person = remember(session, actor.user_id, actor.name)
    seq = _next_seq(session, group)
    recommendation = Recommendation(
        group_id=group.id,
        seq=seq,
        title=title,
        text=text,
        rationale=rationale,
        author_user_id=actor.user_id,
        country_code=person.country_code,
        submission_key=submission_key,
    )
    try:
        with session.begin_nested():
            session.add(recommendation)
            session.flush()
    except IntegrityError:
        # The same modal was accepted concurrently by another worker.
        existing = session.scalar(
            select(Recommendation).where(Recommendation.submission_key == submission_key)
        )
        if existing is None:
            raise
        return existing, False
    audit.record(
        session,
        actor=actor,
        action="submit",
        group_key=group.key,
        target=recommendation.number,
    )
    session.flush()
    return recommendation, True


def _next_seq(session: Session, group: Group) -> int:
    """Allocate the group's next number atomically (safe across instances)."""
    seq = session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(next_seq=Group.next_seq + 1)
        .returning(Group.next_seq)
    ).scalar_one()
    session.refresh(group, ["next_seq"])
    return seq - 1


def get(session: Session, recommendation_id: int) -> Recommendation:
    """The recommendation with this id; raises NotFound."""
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise NotFound(what="recommendation")
    return recommendation


def set_card(session: Session, recommendation_id: int, channel_id: str, message_ts: str) -> None:
    """Remember where the recommendation's card was posted."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .values(channel_id=channel_id, message_ts=message_ts)
    )
