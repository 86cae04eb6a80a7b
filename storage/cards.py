"""What a recommendation's card shows, and the lease that coalesces its updates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, or_, select, update
from sqlalchemy.orm import Session

from storage.comments import count as comment_count
from storage.countries import country_name
from storage.instances import ALIVE_WITHIN
from storage.models import Group, Instance, Person, Procedure, Recommendation, as_utc
from storage.objections import Standing, standing
from storage.recommendations import get
from storage.reservations import codes as reservation_codes
from storage.rules import Counts, procedure_of
from storage.tallies import DelegationBallot, Tally, tally
from storage.texts import TextLife
from storage.texts import life as text_life
from storage.visibility import of_group


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
    # How the group decides; `counts` are under it (by delegation: delegations' ballots).
    procedure: Procedure = Procedure.VOTE
    ballots: tuple[DelegationBallot, ...] = ()  # by delegation: each delegation's, by code
    objections: tuple[Standing, ...] = ()  # by consensus: the standing ones
    # When voting closes by itself (storage.deadlines), and the zone it was set in.
    deadline_at: datetime | None = None
    deadline_zone: str | None = None
    reservations: tuple[str, ...] = ()  # codes of the delegations holding one, sorted
    comments: int = 0  # replies in the card's thread (storage.comments)
    # Its version, whether withdrawn or merged, what it covers (storage.texts).
    life: TextLife = field(default_factory=TextLife)
    # What its group's tallies show (storage.visibility): while `withheld`, `counts` and
    # `ballots` are left empty and only `cast` (votes, or ballots by delegation) is shown.
    withheld: bool = False
    cast: int = 0
    secret: bool = False  # secret ballots: the card says so


def card_state(session: Session, recommendation_id: int) -> CardState:
    """Read the card's content and the tally version it reflects."""
    rec = get(session, recommendation_id)
    author = session.get(Person, rec.author_user_id)
    procedure = procedure_of(session, rec.group.procedure)
    votes = tally(session, rec.id, procedure)
    shown = of_group(session, rec.group)
    cast = votes.counts.cast
    if shown.withheld:  # only how many have voted, until voting closes
        votes = Tally(Counts())
    objecting = (
        standing(session, [rec.id]).get(rec.id, ()) if procedure is Procedure.CONSENSUS else ()
    )
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
        counts=votes.counts,
        version=rec.tally_version,
        channel_id=rec.channel_id,
        message_ts=rec.message_ts,
        procedure=procedure,
        ballots=votes.ballots,
        objections=objecting,
        deadline_at=rec.group.deadline_at and as_utc(rec.group.deadline_at),
        deadline_zone=rec.group.deadline_zone,
        reservations=reservation_codes(session, rec.id),
        comments=comment_count(session, rec.id),
        life=text_life(session, rec),
        withheld=shown.withheld,
        cast=cast,
        secret=shown.secret,
    )


def try_lease(
    session: Session,
    recommendation_id: int,
    *,
    now: float,
    until: float,
    owner: str | None = None,
) -> bool:
    """Take the card's slot (to post or update it) if it is free and the card is behind.

    At most one holder across instances; a card already up to date is left alone. A slot
    held by an instance that stopped heartbeating (storage.instances) is free, whatever its
    expiry: the work a dead instance had in hand is taken over within seconds.
    """
    params = {
        "rid": recommendation_id,
        "now": now,
        "until": until,
        "owner": owner,
        "alive_since": datetime.fromtimestamp(now, UTC) - ALIVE_WITHIN,
    }
    return session.execute(_LEASE, params).rowcount == 1


def release_lease(
    session: Session, recommendation_id: int, lease: float, *, retry_at: float = 0.0
) -> None:
    """Hand the card's slot back (its holder gave up), if `lease` still holds it.

    With `retry_at`, nobody takes it before then: a card Slack refused is tried again
    later (by the next click or the sweep), not in a tight loop.
    """
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == recommendation_id, Recommendation.card_lease_until == lease)
        .values(card_lease_until=retry_at, card_lease_owner=None)
    )


@dataclass(frozen=True)
class Unposted:
    """A stored recommendation whose card is not in Slack yet."""

    recommendation_id: int
    channel_id: str
    author_user_id: str
    created_at: float  # Unix time: where to start looking for a card that may be there


def unposted(session: Session, *, now: float, older_than: float) -> list[Unposted]:
    """Recommendations of linked groups with no card, submitted over `older_than` s ago,
    whose slot is free: their post was lost (a crash) or refused, and is due again."""
    before = datetime.fromtimestamp(now - older_than, UTC)
    rows = session.execute(
        select(
            Recommendation.id,
            Group.channel_id,
            Recommendation.author_user_id,
            Recommendation.created_at,
        )
        .join(Group)
        .where(
            Recommendation.message_ts.is_(None),
            Group.channel_id.is_not(None),
            Recommendation.created_at < before,
            _free_at(now),
        )
        .order_by(Recommendation.id)
    )
    return [
        Unposted(row.id, row.channel_id, row.author_user_id, as_utc(row.created_at).timestamp())
        for row in rows
    ]


def behind(session: Session, *, now: float) -> list[int]:
    """Posted cards that show an older state than the record, with their slot free."""
    return list(
        session.scalars(
            select(Recommendation.id)
            .where(
                Recommendation.message_ts.is_not(None),
                Recommendation.tally_version > Recommendation.card_version,
                _free_at(now),
            )
            .order_by(Recommendation.id)
        )
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


def _slot_free(now: object, alive_since: object) -> ColumnElement[bool]:
    """The slot is free: its time is up, or its holder stopped heartbeating."""
    return or_(
        Recommendation.card_lease_until <= now,
        and_(
            Recommendation.card_lease_owner.is_not(None),
            ~exists().where(
                Instance.id == Recommendation.card_lease_owner,
                Instance.heartbeat_at >= alive_since,
            ),
        ),
    )


def _free_at(now: float) -> ColumnElement[bool]:
    return _slot_free(now, datetime.fromtimestamp(now, UTC) - ALIVE_WITHIN)


_RECS = Recommendation.__table__
_LEASE = (
    update(_RECS)
    .where(
        _RECS.c.id == bindparam("rid"),
        _RECS.c.tally_version > _RECS.c.card_version,
        _slot_free(bindparam("now"), bindparam("alive_since")),
    )
    .values(card_lease_until=bindparam("until"), card_lease_owner=bindparam("owner"))
)
