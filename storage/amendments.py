"""Amendments: a new text proposed for a recommendation, accepted or rejected.

Anyone who may vote in the group proposes one (the full text, which must differ, and an
optional reason) while the group is open; it is numbered in its recommendation (`EE-3/A1`).
Its author, the group's rapporteur or an organizer accepts it (it becomes the next version,
as an edit does) or rejects it (with an optional reason). One proposed against a text that
changed since is accepted only by someone who has seen the newer text (`seen_version`).
Amendments still awaiting a decision when their recommendation is withdrawn or merged are
withdrawn. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.amendment_views import AmendmentView, Closed, number_of, view_of
from storage.errors import NotFound
from storage.limits import TEXT_MAX, clean_optional, clean_required
from storage.models import Amendment, AmendmentState, Cause, Recommendation, utcnow
from storage.recommendations import get
from storage.texts import (
    Refusal,
    Refused,
    Voter,
    lock,
    name_of,
    new_version,
    require_decider,
    require_open,
    require_voter,
    voters,
)

REASON_MAX = 1000
FIELD = "amendment"  # how InvalidInput names the proposed text (templates/messages/labels.toml)
_ACTIONS = {  # the audit log's name for each decision
    AmendmentState.ACCEPTED: "amendment_accept",
    AmendmentState.REJECTED: "amendment_reject",
    AmendmentState.WITHDRAWN: "amendment_withdraw",
}


@dataclass(frozen=True)
class AmendForm:
    """What the amendment form opens with: the text standing now, and its version."""

    recommendation_id: int
    number: str
    text: str
    version: int


@dataclass(frozen=True)
class Pending:
    """An amendment awaiting a decision, and whether its text's base changed since."""

    amendment: AmendmentView
    stale: bool  # the recommendation's text changed since it was proposed
    current_text: str
    current_version: int


@dataclass(frozen=True)
class Decided:
    """An accepted or rejected amendment, as what follows the commit needs it."""

    amendment: AmendmentView
    recommendation_id: int
    version: int  # the recommendation's version now
    changed: bool  # accepting made a new version
    voters: tuple[Voter, ...] = ()  # who had voted before, to be told


def amend_form(session: Session, *, actor: Actor, recommendation_id: int) -> AmendForm:
    """What the form shows; raises Refused (may not vote; withdrawn, merged), VotingClosed."""
    rec = get(session, recommendation_id)
    require_open(session, rec)
    require_voter(session, actor, rec)
    return AmendForm(rec.id, rec.number, rec.text, rec.version)


def propose(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    base_version: int,
    text: str | None,
    reason: str | None,
) -> AmendmentView:
    """Store a proposed amendment, numbered in its recommendation. Raises InvalidInput,
    Refused (may not vote; the same text; the text changed since the form opened; withdrawn,
    merged), VotingClosed, NotFound."""
    text = clean_required(FIELD, text, TEXT_MAX)
    reason = clean_optional("reason", reason, REASON_MAX)
    rec = lock(session, get(session, recommendation_id))
    require_open(session, rec)
    delegation = require_voter(session, actor, rec)
    if rec.version != base_version:
        raise Refused(Refusal.CHANGED, number=rec.number, version=rec.version)
    if text == rec.text:
        raise Refused(Refusal.SAME_TEXT, number=rec.number)
    last = session.scalar(
        select(func.max(Amendment.number)).where(Amendment.recommendation_id == rec.id)
    )
    amendment = Amendment(
        recommendation_id=rec.id,
        number=(last or 0) + 1,
        text=text,
        reason=reason,
        user_id=actor.user_id,
        delegation=delegation,
        base_version=rec.version,
        base_text=rec.text,
        state=AmendmentState.PROPOSED.value,
        channel_id=rec.channel_id,
    )
    session.add(amendment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="amendment_propose",
        group_key=rec.group.key,
        target=number_of(rec, amendment),
        base_version=rec.version,
    )
    session.flush()
    return view_of(session, rec, amendment)


def pending(session: Session, *, actor: Actor, amendment_id: int, action: str) -> Pending:
    """Check the actor may decide on it now (`action`: accept or reject). Raises Refused
    (not the author, rapporteur or an organizer; decided already; withdrawn, merged),
    VotingClosed, NotFound."""
    amendment = _get(session, amendment_id)
    rec = get(session, amendment.recommendation_id)
    _require_pending(session, actor, rec, amendment, action)
    stale = rec.version != amendment.base_version
    return Pending(view_of(session, rec, amendment), stale, rec.text, rec.version)


def accept(
    session: Session, *, actor: Actor, amendment_id: int, seen_version: int | None = None
) -> Decided:
    """Accept it: its text becomes the recommendation's next version (voters to be told).

    If the text changed since it was proposed, `seen_version` must be the version standing
    now (the person saw it); otherwise raises Refused (CHANGED). Raises as `pending` does.
    """
    amendment = _get(session, amendment_id)
    rec = lock(session, get(session, amendment.recommendation_id))
    _require_pending(session, actor, rec, amendment, "accept")
    if rec.version != amendment.base_version and seen_version != rec.version:
        raise Refused(Refusal.CHANGED, number=rec.number, version=rec.version)
    earlier: tuple[Voter, ...] = ()
    changed = amendment.text != rec.text
    if changed:
        earlier = voters(session, rec)
        new_version(
            session,
            rec,
            actor=actor,
            text=amendment.text,
            title=rec.title,
            rationale=rec.rationale,
            cause=Cause.AMENDMENT,
            delegation=amendment.delegation,
            amendment_id=amendment.id,
            by=amendment.user_id,
        )
    _decide(session, actor, rec, amendment, AmendmentState.ACCEPTED, version=rec.version)
    return Decided(view_of(session, rec, amendment), rec.id, rec.version, changed, earlier)


def reject(session: Session, *, actor: Actor, amendment_id: int, reason: str | None) -> Decided:
    """Reject it, with an optional reason. Raises InvalidInput, and as `pending` does."""
    reason = clean_optional("reason", reason, REASON_MAX)
    amendment = _get(session, amendment_id)
    rec = lock(session, get(session, amendment.recommendation_id))
    _require_pending(session, actor, rec, amendment, "reject")
    amendment.reject_reason = reason
    _decide(session, actor, rec, amendment, AmendmentState.REJECTED, reason=reason)
    return Decided(view_of(session, rec, amendment), rec.id, rec.version, False)


def close_pending(session: Session, rec: Recommendation, *, actor: Actor) -> tuple[Closed, ...]:
    """Withdraw the recommendation's amendments still awaiting a decision (it was withdrawn
    or merged); each as its thread message should now show it."""
    waiting = session.scalars(
        select(Amendment)
        .where(
            Amendment.recommendation_id == rec.id,
            Amendment.state == AmendmentState.PROPOSED.value,
        )
        .order_by(Amendment.number)
    ).all()
    for amendment in waiting:
        _decide(session, actor, rec, amendment, AmendmentState.WITHDRAWN, because=rec.status)
    return tuple(view_of(session, rec, amendment) for amendment in waiting)


def _get(session: Session, amendment_id: int) -> Amendment:
    amendment = session.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound(what="amendment")
    return amendment


def _require_pending(
    session: Session, actor: Actor, rec: Recommendation, amendment: Amendment, action: str
) -> None:
    require_decider(actor, rec, action)
    require_open(session, rec)
    if amendment.state != AmendmentState.PROPOSED:
        raise Refused(
            Refusal.DECIDED,
            number=number_of(rec, amendment),
            state=amendment.state,
            by=name_of(session, amendment.decided_by),
        )


def _decide(
    session: Session,
    actor: Actor,
    rec: Recommendation,
    amendment: Amendment,
    state: AmendmentState,
    **detail: object,
) -> None:
    amendment.state = state.value
    amendment.decided_by, amendment.decided_at = actor.user_id, utcnow()
    audit.record(
        session,
        actor=actor,
        action=_ACTIONS[state],
        group_key=rec.group.key,
        target=number_of(rec, amendment),
        **detail,
    )
    session.flush()
