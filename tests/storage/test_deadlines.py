"""Deadlines: every form `/wg deadline` reads, and setting, moving, clearing and closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage import audit, deadlines, groups
from storage import schedule as jobs
from storage.deadlines import BadDeadline, parse_deadline
from storage.errors import ChannelNotLinked, NotPermitted
from storage.models import Group, Recommendation
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted

HCM = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7 all year
PARIS = ZoneInfo("Europe/Paris")  # clocks change
# 15:15 in Ho Chi Minh City on 26 November 2026.
NOW = datetime(2026, 11, 26, 8, 15, tzinfo=UTC)


def at(text: str, zone: ZoneInfo = HCM, now: datetime = NOW) -> datetime:
    return parse_deadline(text, now=now, zone=zone)


def local(moment: datetime, zone: ZoneInfo = HCM) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26 16:00", "2026-11-26 16:00:00"),
        ("2026-11-27 09:30", "2026-11-27 09:30:00"),
        ("2026-11-27T9:05", "2026-11-27 09:05:00"),
        ("16:00", "2026-11-26 16:00:00"),  # later today
        ("15:15", "2026-11-27 15:15:00"),  # now: the next one is tomorrow's
        ("09:00", "2026-11-27 09:00:00"),  # passed today: tomorrow
        ("9:00", "2026-11-27 09:00:00"),
        ("00:00", "2026-11-27 00:00:00"),
        ("23:59", "2026-11-26 23:59:00"),
        ("in 45 minutes", "2026-11-26 16:00:00"),
        ("in 1 minute", "2026-11-26 15:16:00"),
        ("in 90 min", "2026-11-26 16:45:00"),
        ("in 90 mins", "2026-11-26 16:45:00"),
        ("in 5m", "2026-11-26 15:20:00"),
        ("in 2 h", "2026-11-26 17:15:00"),
        ("in 2h", "2026-11-26 17:15:00"),
        ("in 1 hour", "2026-11-26 16:15:00"),
        ("in 3 hours", "2026-11-26 18:15:00"),
        ("in 2 hrs", "2026-11-26 17:15:00"),
        ("  IN   45   MINUTES ", "2026-11-26 16:00:00"),
    ],
)
def test_every_form_names_its_moment_in_the_workshop_zone(text: str, expected: str):
    moment = at(text)
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    assert local(moment) == expected


def test_relative_deadlines_keep_whole_seconds():
    now = NOW.replace(second=23, microsecond=456789)
    assert at("in 45 minutes", now=now) == datetime(2026, 11, 26, 9, 0, 23, tzinfo=UTC)


def test_the_same_words_mean_other_moments_in_other_zones():
    assert at("16:00", ZoneInfo("UTC")) == datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    assert at("16:00", HCM) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert at("2026-11-26 18:00", ZoneInfo("Asia/Seoul")) == datetime(
        2026, 11, 26, 9, 0, tzinfo=UTC
    )
    # `in N minutes` needs no zone.
    assert at("in 45 minutes", ZoneInfo("UTC")) == at("in 45 minutes", HCM)


def test_hh_mm_rolls_over_midnight_in_the_workshop_zone_not_in_utc():
    # 23:30 in Ho Chi Minh City is 16:30 UTC: "01:00" is tomorrow there (18:00 UTC today).
    late = datetime(2026, 11, 26, 16, 30, tzinfo=UTC)
    assert local(at("01:00", now=late)) == "2026-11-27 01:00:00"
    assert at("01:00", now=late) == datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "16h",
        "4pm",
        "25:00",
        "16:60",
        "2026-02-30 10:00",
        "2026-13-01 10:00",
        "26/11/2026 16:00",
        "in minutes",
        "in -5 minutes",
        "in 5 days",
        "in 5 seconds",
        "in 5",
        "16:00 please",
        "in 1234567890 minutes",
    ],
)
def test_unreadable_text_is_refused_as_format(text: str):
    with pytest.raises(BadDeadline) as refused:
        at(text)
    assert refused.value.params == {"text": text, "problem": "format"}


@pytest.mark.parametrize(
    "text", ["2026-11-26 15:00", "2026-11-26 15:15", "2025-01-01 00:00", "in 0 minutes"]
)
def test_a_moment_in_the_past_or_now_is_refused(text: str):
    with pytest.raises(BadDeadline) as refused:
        at(text)
    assert refused.value.params["problem"] == "past"


@pytest.mark.parametrize("text", ["2028-01-01 10:00", "in 9000 hours", "in 999999 minutes"])
def test_a_moment_over_a_year_ahead_is_refused(text: str):
    with pytest.raises(BadDeadline) as refused:
        at(text)
    assert refused.value.params["problem"] == "too_far"


def test_clock_changes_a_time_skipped_is_refused_a_time_repeated_is_its_first():
    spring = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # Paris skips 02:00–03:00 on the 28th
    with pytest.raises(BadDeadline) as refused:
        at("2027-03-28 02:30", PARIS, spring)
    assert refused.value.params["problem"] == "no_such_time"
    assert at("2027-03-28 03:30", PARIS, spring) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    autumn = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # 02:00–03:00 twice on the 25th
    assert at("2026-10-25 02:30", PARIS, autumn) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # Ho Chi Minh City has no clock changes: every wall time exists once.
    assert at("2027-03-28 02:30", HCM, spring) == datetime(2027, 3, 27, 19, 30, tzinfo=UTC)


# --- setting, moving, clearing -----------------------------------------------------------


def set_deadline(session, text: str, *, actor=RAPPORTEUR, before: int = 60):
    return deadlines.set_deadline(
        session,
        actor=actor,
        channel_id="CEE",
        text=text,
        now=NOW,
        zone="Asia/Ho_Chi_Minh",
        remind_before=timedelta(minutes=before),
    )


def test_setting_schedules_the_close_and_the_reminder_and_is_audited(session):
    linked_group(session)
    rec = submitted(session)
    version = rec.tally_version
    change = set_deadline(session, "17:00")
    deadline_at = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert change.deadline_at == deadline_at and change.zone == "Asia/Ho_Chi_Minh"
    assert change.group_name == "Electronic evidence" and change.channel_id == "CEE"
    assert change.remind_at == deadline_at - timedelta(minutes=60)
    close = jobs.get(session, kind=deadlines.CLOSE_KIND, key="e-evidence")
    remind = jobs.get(session, kind=deadlines.REMIND_KIND, key="e-evidence")
    assert close is not None and close.due_at == deadline_at and close.state == "pending"
    assert remind is not None and remind.due_at == deadline_at - timedelta(minutes=60)
    assert close.payload == {"deadline_at": deadline_at.isoformat(), "set_by": RAPPORTEUR.user_id}
    session.refresh(rec)
    assert rec.tally_version == version + 1  # the card must show the deadline
    (entry,) = [e for e in audit.entries(session) if e.action == "deadline"]
    assert entry.actor_user_id == RAPPORTEUR.user_id and entry.group_key == "e-evidence"
    assert entry.detail["local"] == "2026-11-26 17:00"
    assert entry.detail["zone"] == "Asia/Ho_Chi_Minh"


def test_a_deadline_closer_than_the_reminder_time_reminds_at_once(session):
    linked_group(session)
    change = set_deadline(session, "in 45 minutes")
    assert change.remind_at == NOW
    assert jobs.get(session, kind=deadlines.REMIND_KIND, key="e-evidence").due_at == NOW


def test_no_reminder_when_reminders_are_off(session):
    linked_group(session)
    set_deadline(session, "16:00")
    change = set_deadline(session, "17:00", before=0)
    assert change.remind_at is None
    assert jobs.get(session, kind=deadlines.REMIND_KIND, key="e-evidence") is None
    assert jobs.get(session, kind=deadlines.CLOSE_KIND, key="e-evidence") is not None


def test_moving_moves_both_jobs_and_clearing_cancels_them(session):
    linked_group(session)
    set_deadline(session, "16:00")
    set_deadline(session, "2026-11-27 10:00", actor=ORGANIZER)
    moved = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert jobs.get(session, kind=deadlines.CLOSE_KIND, key="e-evidence").due_at == moved
    remind = jobs.get(session, kind=deadlines.REMIND_KIND, key="e-evidence")
    assert remind.due_at == moved - timedelta(hours=1)
    assert remind.payload["deadline_at"] == moved.isoformat()
    entries = [e for e in audit.entries(session) if e.action == "deadline"]
    assert entries[-1].detail["previous"] == datetime(2026, 11, 26, 9, tzinfo=UTC).isoformat()
    cleared = deadlines.clear_deadline(session, actor=RAPPORTEUR, channel_id="CEE")
    assert cleared.changed and cleared.deadline_at is None
    assert jobs.get(session, kind=deadlines.CLOSE_KIND, key="e-evidence") is None
    assert jobs.get(session, kind=deadlines.REMIND_KIND, key="e-evidence") is None
    group = groups.group_by_key(session, "e-evidence")
    assert group.deadline_at is None and group.deadline_zone is None
    assert [e.action for e in audit.entries(session)][-1] == "deadline_clear"
    again = deadlines.clear_deadline(session, actor=RAPPORTEUR, channel_id="CEE")
    assert not again.changed
    assert [e.action for e in audit.entries(session)].count("deadline_clear") == 1


def test_only_the_rapporteur_or_an_organizer_in_a_linked_channel(session):
    with pytest.raises(ChannelNotLinked):
        set_deadline(session, "16:00")
    linked_group(session)
    for attempt in (
        lambda: set_deadline(session, "16:00", actor=delegate()),
        lambda: deadlines.clear_deadline(session, actor=delegate(), channel_id="CEE"),
    ):
        with pytest.raises(NotPermitted) as refused:
            attempt()
        assert refused.value.params["needed"] == "rapporteur"
    # A delegate's unreadable deadline is refused for the role first, not the words.
    with pytest.raises(NotPermitted):
        set_deadline(session, "whenever", actor=delegate())
    assert groups.group_by_key(session, "e-evidence").deadline_at is None
    assert jobs.unfinished(session) == []


def test_bad_words_or_a_closed_group_change_nothing(session):
    linked_group(session)
    with pytest.raises(BadDeadline):
        set_deadline(session, "2026-11-26 10:00")
    assert groups.group_by_key(session, "e-evidence").deadline_at is None
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    with pytest.raises(BadDeadline) as refused:
        set_deadline(session, "16:00")
    assert refused.value.params["problem"] == "closed"
    assert refused.value.params["group"] == "Electronic evidence"
    assert jobs.unfinished(session) == []


# --- the automatic close ---------------------------------------------------------------


def test_the_deadline_closes_the_group_once_as_wg_close_would(session):
    linked_group(session)
    rec = submitted(session)
    change = set_deadline(session, "16:00")
    version = session.scalar(
        select(Recommendation.tally_version).where(Recommendation.id == rec.id)
    )
    closed = deadlines.close_at_deadline(
        session, group_key="e-evidence", deadline_at=change.deadline_at, set_by="URAP1"
    )
    assert closed is not None and closed.changed and closed.group_name == "Electronic evidence"
    assert closed.zone == "Asia/Ho_Chi_Minh" and closed.channel_id == "CEE"
    group = groups.group_by_key(session, "e-evidence")
    assert not group.is_open and group.deadline_at is None
    session.refresh(rec)
    assert rec.tally_version == version + 1
    (entry,) = [e for e in audit.entries(session) if e.action == "close"]
    assert entry.actor_user_id == "deadline"
    assert entry.detail == {
        "by": "deadline",
        "deadline": change.deadline_at.isoformat(),
        "set_by": "URAP1",
    }
    notice = jobs.get(session, kind=deadlines.NOTICE_KIND, key="e-evidence")
    assert notice is not None and notice.due_at == change.deadline_at
    assert notice.payload["zone"] == "Asia/Ho_Chi_Minh"
    # Run again (a retry, another instance): nothing more happens.
    assert (
        deadlines.close_at_deadline(session, group_key="e-evidence", deadline_at=change.deadline_at)
        is None
    )
    assert [e.action for e in audit.entries(session)].count("close") == 1


def test_a_moved_or_cleared_deadline_does_not_close(session):
    linked_group(session)
    first = set_deadline(session, "16:00").deadline_at
    set_deadline(session, "17:00")
    assert deadlines.close_at_deadline(session, group_key="e-evidence", deadline_at=first) is None
    assert groups.group_by_key(session, "e-evidence").is_open
    deadlines.clear_deadline(session, actor=RAPPORTEUR, channel_id="CEE")
    second = datetime(2026, 11, 26, 10, tzinfo=UTC)
    assert deadlines.close_at_deadline(session, group_key="e-evidence", deadline_at=second) is None
    assert groups.group_by_key(session, "e-evidence").is_open


def test_a_group_closed_by_hand_before_its_deadline_is_left_closed_quietly(session):
    linked_group(session)
    deadline_at = set_deadline(session, "16:00").deadline_at
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    closed = deadlines.close_at_deadline(session, group_key="e-evidence", deadline_at=deadline_at)
    assert closed is not None and not closed.changed
    assert groups.group_by_key(session, "e-evidence").deadline_at is None
    assert jobs.get(session, kind=deadlines.NOTICE_KIND, key="e-evidence") is None
    assert [e.action for e in audit.entries(session)].count("close") == 1  # the hand's


def test_group_deadline_reads_what_the_jobs_need(session):
    linked_group(session)
    assert deadlines.group_deadline(session, "nope") is None
    set_deadline(session, "16:00")
    group = deadlines.group_deadline(session, "e-evidence")
    assert group.deadline_at == datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert group.zone == "Asia/Ho_Chi_Minh" and group.is_open and group.procedure is None
    stored = session.scalar(select(Group.deadline_at).where(Group.key == "e-evidence"))
    assert stored is not None
