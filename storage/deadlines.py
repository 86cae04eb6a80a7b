"""Deadlines: when a group's voting closes by itself, and the jobs that close it and remind.

`/wg deadline …` is read by `parse_deadline` (a pure function: the clock and the time zone
are passed in). Setting, moving or clearing a deadline schedules, moves or cancels its two
jobs (storage.schedule) in the same transaction: the automatic close at the deadline, and
the reminder some minutes before it. The close clears the deadline it served; a job whose
deadline was moved or cleared meanwhile finds another deadline on its group and does nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import audit
from storage import schedule as jobs
from storage.actors import Actor
from storage.errors import DomainError
from storage.groups import require_group_for_channel, require_rapporteur
from storage.models import Group, Recommendation, as_utc

CLOSE_KIND = "group_close"  # at the deadline: close the group
NOTICE_KIND = "deadline_closed"  # right after: tell the channel (retried until Slack takes it)
REMIND_KIND = "reminder"  # some minutes before: remind who has not voted
# The automatic close is audited under this actor, with detail by="deadline" and set_by.
DEADLINE_ACTOR = Actor("deadline")
FURTHEST = timedelta(days=366)  # a deadline further ahead is surely a typing mistake

_ABSOLUTE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|t)(\d{1,2}):(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_RELATIVE = re.compile(r"in\s+(\d{1,9})\s*(minutes?|mins?|m|hours?|hrs?|h)")


class BadDeadline(DomainError):
    """A deadline that cannot be set (params: text, problem).

    problem: "format" (unreadable), "past", "too_far" (over a year ahead), "no_such_time"
    (skipped by a clock change in the time zone), "closed" (voting is already closed).
    """


def parse_deadline(text: str, *, now: datetime, zone: ZoneInfo) -> datetime:
    """The moment `text` names, in UTC: `YYYY-MM-DD HH:MM`, `HH:MM` (its next occurrence),
    `in N minutes` / `in N hours` (`min`, `m`, `h`, `hrs` too). Wall times are in `zone`.

    Raises BadDeadline: unreadable, in the past (or now), over a year ahead, or skipped by
    a clock change. A wall time that occurs twice (clocks going back) is its first occurrence.
    """
    words = " ".join(text.lower().split())
    now = as_utc(now)
    if match := _RELATIVE.fullmatch(words):
        amount, unit = int(match[1]), match[2]
        delta = timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount)
        if delta > FURTHEST:
            raise BadDeadline(text=text, problem="too_far")
        moment = (now + delta).replace(microsecond=0)
    elif match := _ABSOLUTE.fullmatch(words):
        year, month, day, hour, minute = (int(part) for part in match.groups())
        try:
            moment = _wall_time(date(year, month, day), time(hour, minute), zone, text)
        except ValueError:
            raise BadDeadline(text=text, problem="format") from None
    elif match := _TIME.fullmatch(words):
        try:
            at = time(int(match[1]), int(match[2]))
        except ValueError:
            raise BadDeadline(text=text, problem="format") from None
        today = now.astimezone(zone).date()
        moment = _wall_time(today, at, zone, text)
        if moment <= now:
            moment = _wall_time(today + timedelta(days=1), at, zone, text)
    else:
        raise BadDeadline(text=text, problem="format")
    if moment <= now:
        raise BadDeadline(text=text, problem="past")
    if moment - now > FURTHEST:
        raise BadDeadline(text=text, problem="too_far")
    return moment


def _wall_time(day: date, at: time, zone: ZoneInfo, text: str) -> datetime:
    """`day` at `at` on the clocks of `zone`, in UTC; raises BadDeadline if no clock showed it."""
    local = datetime.combine(day, at, tzinfo=zone)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BadDeadline(text=text, problem="no_such_time")
    return moment


@dataclass(frozen=True)
class DeadlineChange:
    """A group's deadline after /wg deadline: what to show, and which cards to re-render."""

    group_key: str
    group_name: str
    channel_id: str | None
    deadline_at: datetime | None  # None: cleared
    zone: str | None
    changed: bool  # False: clearing a group that had no deadline
    remind_at: datetime | None  # when its reminder goes out (None: no reminder)


def set_deadline(
    session: Session,
    *,
    actor: Actor,
    channel_id: str,
    text: str,
    now: datetime,
    zone: str,
    remind_before: timedelta,
) -> DeadlineChange:
    """Set or move the deadline of the channel's group to the moment `text` names.

    Schedules (or moves) its automatic close, and its reminder `remind_before` earlier (at
    once if that is past; none if `remind_before` is zero). Raises ChannelNotLinked,
    NotPermitted (rapporteur or organizer), BadDeadline (nothing is changed then).
    """
    group = _locked_group(session, channel_id)
    require_rapporteur(actor, group, "deadline")
    if not group.is_open:
        raise BadDeadline(text=text, problem="closed", group=group.name)
    deadline_at = parse_deadline(text, now=now, zone=ZoneInfo(zone))
    previous = group.deadline_at
    group.deadline_at, group.deadline_zone = deadline_at, zone
    payload = {"deadline_at": deadline_at.isoformat(), "set_by": actor.user_id}
    jobs.schedule(session, kind=CLOSE_KIND, key=group.key, due_at=deadline_at, payload=payload)
    remind_at = None
    if remind_before > timedelta(0):
        remind_at = max(deadline_at - remind_before, as_utc(now))
        jobs.schedule(session, kind=REMIND_KIND, key=group.key, due_at=remind_at, payload=payload)
    else:
        jobs.cancel(session, kind=REMIND_KIND, key=group.key)
    _show_on_cards(session, group)
    local = deadline_at.astimezone(ZoneInfo(zone))
    audit.record(
        session,
        actor=actor,
        action="deadline",
        group_key=group.key,
        target=deadline_at.isoformat(),
        local=local.strftime("%Y-%m-%d %H:%M"),
        zone=zone,
        previous=previous and as_utc(previous).isoformat(),
    )
    session.flush()
    return _change(group, changed=True, remind_at=remind_at)


def clear_deadline(session: Session, *, actor: Actor, channel_id: str) -> DeadlineChange:
    """Remove the deadline of the channel's group and cancel its jobs (if it had one).

    Raises ChannelNotLinked, NotPermitted (rapporteur or organizer).
    """
    group = _locked_group(session, channel_id)
    require_rapporteur(actor, group, "deadline")
    if group.deadline_at is None:
        return _change(group, changed=False, remind_at=None)
    previous = as_utc(group.deadline_at).isoformat()
    group.deadline_at = group.deadline_zone = None
    jobs.cancel(session, kind=CLOSE_KIND, key=group.key)
    jobs.cancel(session, kind=REMIND_KIND, key=group.key)
    _show_on_cards(session, group)
    audit.record(
        session, actor=actor, action="deadline_clear", group_key=group.key, target=previous
    )
    session.flush()
    return _change(group, changed=True, remind_at=None)


@dataclass(frozen=True)
class ClosedByDeadline:
    """A group its deadline closed (or found closed already: `changed` False)."""

    group_key: str
    group_name: str
    channel_id: str | None
    deadline_at: datetime
    zone: str | None
    changed: bool


def close_at_deadline(
    session: Session, *, group_key: str, deadline_at: datetime, set_by: str | None = None
) -> ClosedByDeadline | None:
    """Close the group as `/wg close` would, if `deadline_at` is still its deadline.

    The deadline is cleared, the cards are due a re-render (their tally version moves) and
    the channel's notice is scheduled (NOTICE_KIND), all in this transaction; audited as a
    close by DEADLINE_ACTOR. None if the deadline was moved or cleared meanwhile (or this
    deadline already closed it): nothing changes then.
    """
    deadline_at = as_utc(deadline_at)
    group = session.scalars(
        select(Group).where(Group.key == group_key).with_for_update()
    ).one_or_none()
    if group is None or group.deadline_at is None or as_utc(group.deadline_at) != deadline_at:
        return None
    zone, changed = group.deadline_zone, group.is_open
    group.deadline_at = group.deadline_zone = None
    if changed:
        group.is_open = False
        _show_on_cards(session, group)
        audit.record(
            session,
            actor=DEADLINE_ACTOR,
            action="close",
            group_key=group.key,
            by="deadline",
            deadline=deadline_at.isoformat(),
            set_by=set_by,
        )
        jobs.schedule(
            session,
            kind=NOTICE_KIND,
            key=group.key,
            due_at=deadline_at,
            payload={"deadline_at": deadline_at.isoformat(), "zone": zone},
        )
    session.flush()
    return ClosedByDeadline(
        group.key, group.name, group.channel_id, deadline_at, zone, changed=changed
    )


@dataclass(frozen=True)
class GroupDeadline:
    """A group as its deadline's jobs need it."""

    key: str
    name: str
    channel_id: str | None
    is_open: bool
    deadline_at: datetime | None
    zone: str | None
    procedure: str | None  # None: the workshop's default


def group_deadline(session: Session, group_key: str) -> GroupDeadline | None:
    """The group's deadline and what its jobs show with it; None if no such group."""
    group = session.scalars(select(Group).where(Group.key == group_key)).one_or_none()
    if group is None:
        return None
    return GroupDeadline(
        key=group.key,
        name=group.name,
        channel_id=group.channel_id,
        is_open=group.is_open,
        deadline_at=group.deadline_at and as_utc(group.deadline_at),
        zone=group.deadline_zone,
        procedure=group.procedure,
    )


def _locked_group(session: Session, channel_id: str) -> Group:
    """The channel's group, locked against a concurrent close (PostgreSQL; SQLite has one
    writer anyway). Raises ChannelNotLinked."""
    group = require_group_for_channel(session, channel_id)
    session.refresh(group, with_for_update=True)
    return group


def _show_on_cards(session: Session, group: Group) -> None:
    """Every card of the group is due a re-render (the sweep does it after a crash too)."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.group_id == group.id)
        .values(tally_version=Recommendation.tally_version + 1)
    )


def _change(group: Group, *, changed: bool, remind_at: datetime | None) -> DeadlineChange:
    return DeadlineChange(
        group_key=group.key,
        group_name=group.name,
        channel_id=group.channel_id,
        deadline_at=group.deadline_at and as_utc(group.deadline_at),
        zone=group.deadline_zone,
        changed=changed,
        remind_at=remind_at,
    )
