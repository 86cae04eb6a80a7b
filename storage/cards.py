"""What a recommendation's card shows, and the lease that coalesces its updates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import Session

from storage.countries import country_name
from storage.models import Group, Person, Recommendation
from storage.recommendations import get
from storage.rules import Counts
from storage.votes import counts


@dataclass(frozen=True)
class CardState:
    """Everything a card renders, read in one go."""

    recommendation_id: int
    number: str
    title: str | None
    text: str
    rationale: str | None
    author_user_id: str
    author_name: str | None
    country_code: str | None
    country_name: str | None
    group_key: str
    group_name: str
    is_open: bool
    counts: Counts
    version: int
    channel_id: str | None
    message_ts: str | None


def card_state(session: Session, recommendation_id: int) -> CardState:
    """Read the card's content and the tally version it reflects."""
    rec = get(session, recommendation_id)
    author = session.get(Person, rec.author_user_id)
    return CardState(
        recommendation_id=rec.id,
        number=rec.number,
        title=rec.title,
        text=rec.text,
        rationale=rec.rationale,
        author_user_id=rec.author_user_id,
        author_name=author.name if author else None,
        country_code=rec.country_code,
        country_name=country_name(rec.country_code) if rec.country_code else None,
        group_key=rec.group.key,
        group_name=rec.group.name,
        is_open=rec.group.is_open,
        counts=counts(session, rec.id),
        version=rec.tally_version,
        channel_id=rec.channel_id,
        message_ts=rec.message_ts,
    )


def try_lease(session: Session, recommendation_id: int, *, now: float, until: float) -> bool:
    """Take the card's update slot if it is free and the card shows an older tally.

    At most one holder across instances; a card already up to date is left alone.
    """
    result = session.execute(_LEASE, {"rid": recommendation_id, "now": now, "until": until})
    return result.rowcount == 1


def release_lease(session: Session, recommendation_id: int, lease: float) -> None:
    """Free the card's update slot at once (its holder gave up), if `lease` still holds it."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == recommendation_id, Recommendation.card_lease_until == lease)
        .values(card_lease_until=0.0)
    )


def mark_shown(
    session: Session,
    recommendation_id: int,
    version: int,
    *,
    lease: float | None = None,
    free_at: float = 0.0,
) -> None:
    """Remember the tally version the card now shows; hand the slot on from `free_at`.

    The version is set even when a newer one was recorded: an update that took long may
    have landed after a newer one, so the card is treated as showing this version, and the
    next holder of the slot shows the latest again. At worst that is one update too many,
    never a card left behind. The slot is changed only while `lease` still holds it.
    """
    values: dict[str, object] = {"card_version": version}
    if lease is not None:
        values["card_lease_until"] = case(
            (Recommendation.card_lease_until == lease, free_at),
            else_=Recommendation.card_lease_until,
        )
    session.execute(
        update(Recommendation).where(Recommendation.id == recommendation_id).values(**values)
    )


def is_stale(session: Session, recommendation_id: int) -> bool:
    """Whether the card shows an older tally than the record holds."""
    row = session.execute(
        select(Recommendation.tally_version, Recommendation.card_version).where(
            Recommendation.id == recommendation_id
        )
    ).one()
    return row.tally_version > row.card_version


def group_card_ids(session: Session, group_key: str) -> list[int]:
    """The recommendations of a group that have a posted card."""
    return list(
        session.scalars(
            select(Recommendation.id)
            .join(Group)
            .where(Group.key == group_key, Recommendation.message_ts.is_not(None))
            .order_by(Recommendation.seq)
        )
    )


_RECS = Recommendation.__table__
_LEASE = (
    update(_RECS)
    .where(
        _RECS.c.id == bindparam("rid"),
        _RECS.c.card_lease_until <= bindparam("now"),
        _RECS.c.tally_version > _RECS.c.card_version,
    )
    .values(card_lease_until=bindparam("until"))
)
