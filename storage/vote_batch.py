"""The statements of a vote batch (storage.votes.cast_many): its reads, its writes, click order."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from storage.dialect import insert_for
from storage.models import AuditEntry, Group, Person, Procedure, Recommendation, Role, Vote
from storage.tallies import latest_ballots, not_observer

# A batch's stored clicks by (card, voter), each with the delegation it was cast for.
Clicks = dict[int, list[tuple[tuple[int, str], str | None]]]

_RECS, _GROUPS, _PEOPLE, _VOTES = (m.__table__ for m in (Recommendation, Group, Person, Vote))
CARDS = (  # each card with its group, and the batch's voters' earlier votes on it
    select(
        _RECS.c.id,
        _RECS.c.seq,
        _RECS.c.status,  # withdrawn and merged recommendations take no votes
        _GROUPS.c.code,
        _GROUPS.c.key.label("group_key"),
        _GROUPS.c.name.label("group_name"),
        _GROUPS.c.is_open,
        _GROUPS.c.procedure,
        _GROUPS.c.ballots,  # secret ballots: the audit entry names no choice
        _VOTES.c.voter_user_id,
        _VOTES.c.choice,
    )
    .join(_GROUPS, _GROUPS.c.id == _RECS.c.group_id)
    .outerjoin(
        _VOTES,
        and_(
            _VOTES.c.recommendation_id == _RECS.c.id,
            _VOTES.c.voter_user_id.in_(bindparam("user_ids", expanding=True)),
        ),
    )
    .where(_RECS.c.id.in_(bindparam("ids", expanding=True)))
)
VOTERS = select(  # with what the procedures need: the confirmed delegation and the role
    _PEOPLE.c.user_id,
    _PEOPLE.c.name,
    _PEOPLE.c.country_code,
    _PEOPLE.c.delegation,
    _PEOPLE.c.role,
).where(_PEOPLE.c.user_id.in_(bindparam("user_ids", expanding=True)))
_BALLOTS = (  # the clicks of these delegations on these cards, with their voters' names
    select(
        _VOTES.c.recommendation_id,
        _VOTES.c.delegation,
        _VOTES.c.choice,
        _VOTES.c.voter_user_id,
        _VOTES.c.seq,
        _VOTES.c.updated_at,
        _PEOPLE.c.name.label("voter_name"),
    )
    .outerjoin(_PEOPLE, _PEOPLE.c.user_id == _VOTES.c.voter_user_id)
    .where(
        _VOTES.c.recommendation_id.in_(bindparam("ids", expanding=True)),
        _VOTES.c.delegation.in_(bindparam("delegations", expanding=True)),
        not_observer(_VOTES.c.voter_user_id),
    )
)
BUMP_TALLY = (
    update(_RECS)
    .where(_RECS.c.id == bindparam("rid"))
    .values(tally_version=_RECS.c.tally_version + bindparam("n"))
)
AUDIT = AuditEntry.__table__.insert().inline()  # no RETURNING of the new id: not needed
_CARD = bindparam("b_rid")
# The card's tally_version, as this transaction's bump left it (locked until the commit).
_TALLY_NOW = select(_RECS.c.tally_version).where(_RECS.c.id == _CARD).scalar_subquery()


@cache
def upsert(dialect: str) -> Any:
    """Insert the vote, or replace an earlier one (never by an older click).

    Its seq is the card's tally_version after the batch's bump (BUMP_TALLY, sent first),
    less `b_back`.
    """
    statement = (
        insert_for(dialect, _VOTES)
        .values(
            recommendation_id=_CARD,
            voter_user_id=bindparam("b_uid"),
            choice=bindparam("b_choice"),
            country_code=bindparam("b_country"),
            delegation=bindparam("b_delegation"),
            updated_at=bindparam("b_at"),
            seq=_TALLY_NOW - bindparam("b_back"),
        )
        .inline()  # no RETURNING of the new id
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["recommendation_id", "voter_user_id"],
        set_={
            "choice": excluded.choice,
            "country_code": excluded.country_code,
            "delegation": excluded.delegation,
            "seq": excluded.seq,
            "updated_at": excluded.updated_at,
        },
        where=or_(_VOTES.c.choice != excluded.choice, _VOTES.c.seq < excluded.seq),
    )


def held_ballots(
    connection: Connection,
    procedures: dict[int, Procedure],
    confirmed: dict[str, tuple[str | None, str | None]],
) -> dict[tuple[int, str], tuple[str, str, str]]:
    """(card, delegation): (choice, user id, voter's name) of the ballots the batch may replace.

    Read only for cards whose group decides by delegation, and only the batch's voters'
    delegations: a batch of clicks in groups deciding by vote costs no read more.
    """
    cards = sorted(r for r, p in procedures.items() if p is Procedure.DELEGATION)
    codes = sorted({d for d, role in confirmed.values() if d and role != Role.OBSERVER})
    if not cards or not codes:
        return {}
    rows = connection.execute(_BALLOTS, {"ids": cards, "delegations": codes}).all()
    voters = {row.voter_user_id: row.voter_name or row.voter_user_id for row in rows}
    return {
        (rec_id, b.delegation): (b.choice.value, b.user_id, voters[b.user_id])
        for rec_id, ballots in latest_ballots(rows).items()
        for b in ballots
    }


def number_clicks(stored: dict[tuple[int, str], dict[str, Any]], clicks: Clicks) -> dict[int, int]:
    """Give each stored click its place in its card's order; returns each card's tally bump.

    A click's seq is its card's tally_version after the bump, less `b_back`: the number of
    later clicks in the batch for the same delegation, so that within a batch too a
    delegation's latest click is its ballot. Usually every card moves on by one.
    """
    bumps: dict[int, int] = {}
    for rid in sorted(clicks):
        later: Counter[str] = Counter()
        numbered: set[tuple[int, str]] = set()
        for key, delegation in reversed(clicks[rid]):
            if key not in numbered:  # a person's last click in the batch is the one stored
                numbered.add(key)
                stored[key]["b_back"] = later[delegation] if delegation else 0
            if delegation:
                later[delegation] += 1
        bumps[rid] = max(later.values(), default=1)
    return bumps
