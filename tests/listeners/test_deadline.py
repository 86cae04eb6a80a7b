"""`/wg deadline`: through signed requests against the emulator (channel, cards, refusals)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.emulator import Emulator
from storage import schedule as jobs
from storage.deadlines import CLOSE_KIND, REMIND_KIND, group_deadline
from storage.models import utcnow
from storage.sessions import transaction
from tests.harness import ORGANIZER, Harness, card_text, start_harness

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"
ZONE = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(ZONE)


@pytest.fixture
def harness(emulator: Emulator, database_url: str) -> Iterator[Harness]:
    """The app with the workshop in Ho Chi Minh City, a group linked, a card posted."""
    emulator.reset()
    harness = start_harness(emulator, database_url, workshop_timezone=ZONE)
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    yield harness
    harness.close()


def stored_deadline(harness: Harness) -> datetime | None:
    with transaction(harness.app.session_factory) as session:
        group = group_deadline(session, "e-evidence")
    assert group is not None
    return group.deadline_at


def job(harness: Harness, kind: str):
    with transaction(harness.app.session_factory) as session:
        return jobs.get(session, kind=kind, key="e-evidence")


def channel_posts(harness: Harness) -> list[str]:
    """Texts posted in the group's channel other than cards."""
    return [
        c["params"].get("text", "")
        for c in harness.posts()
        if c["params"].get("channel") == CHANNEL and not c["params"].get("blocks")
    ]


def hh_mm(moment: datetime) -> str:
    return moment.astimezone(HCM).strftime("%H:%M")


def when(moment: datetime) -> str:
    """`16:00`, or `16:00 on 2026-11-27` when that is not today in the workshop's zone."""
    local = moment.astimezone(HCM)
    if local.date() == utcnow().astimezone(HCM).date():
        return hh_mm(moment)
    return f"{hh_mm(moment)} on {local.date().isoformat()}"


def test_in_45_minutes_tells_the_channel_and_the_cards_show_it(harness: Harness):
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    before = utcnow()
    reply = harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    deadline_at = stored_deadline(harness)
    assert deadline_at is not None
    assert (
        timedelta(minutes=45, seconds=-1)
        <= deadline_at - before
        <= timedelta(minutes=45, seconds=5)
    )
    told = f"Voting in Electronic evidence closes at {when(deadline_at)} ({ZONE}), in 45 minutes"
    assert told in reply
    assert "reminder" in reply and "now" in reply  # closer than REMINDER_MINUTES_BEFORE (60)
    (notice,) = channel_posts(harness)
    assert told in notice
    shown = card_text(harness.card(card))
    day = deadline_at.astimezone(HCM).date().isoformat()
    assert f"Voting closes by itself at {hh_mm(deadline_at)} on {day} ({ZONE})" in shown
    close, remind = job(harness, CLOSE_KIND), job(harness, REMIND_KIND)
    assert close.due_at == deadline_at and close.state == "pending"
    assert remind.due_at <= utcnow()  # at once


@pytest.mark.parametrize("text", ["in 90 min", "in 2 h", "in 1 minute", "in 3 hours"])
def test_relative_forms(harness: Harness, text: str):
    minutes = {"in 90 min": 90, "in 2 h": 120, "in 1 minute": 1, "in 3 hours": 180}[text]
    shown = {90: "1 hour 30 minutes", 120: "2 hours", 1: "1 minute", 180: "3 hours"}[minutes]
    before = utcnow()
    reply = harness.wg(RAPPORTEUR, CHANNEL, f"deadline {text}")
    deadline_at = stored_deadline(harness)
    assert deadline_at - before >= timedelta(minutes=minutes, seconds=-1)
    assert f"closes at {when(deadline_at)} ({ZONE}), in {shown}" in reply
    assert f"in {shown}" in channel_posts(harness)[0]


def test_hh_mm_is_the_next_such_time_and_a_date_is_shown_when_not_today(harness: Harness):
    now = utcnow().astimezone(HCM)
    later = (now + timedelta(hours=3)).strftime("%H:%M")
    reply = harness.wg(ORGANIZER, CHANNEL, f"deadline {later}")
    deadline_at = stored_deadline(harness)
    assert hh_mm(deadline_at) == later
    assert timedelta(hours=2, minutes=58) < deadline_at - utcnow() <= timedelta(hours=3)
    local_day = deadline_at.astimezone(HCM).date()
    when = later if local_day == now.date() else f"{later} on {local_day.isoformat()}"
    assert f"closes at {when} ({ZONE}), in " in reply
    # An earlier wall time than now is tomorrow's.
    earlier = (now - timedelta(hours=1)).strftime("%H:%M")
    reply = harness.wg(ORGANIZER, CHANNEL, f"deadline {earlier}")
    moved = stored_deadline(harness)
    assert timedelta(hours=22, minutes=58) < moved - utcnow() <= timedelta(hours=23)
    moved_day = moved.astimezone(HCM).date()
    when = earlier if moved_day == now.date() else f"{earlier} on {moved_day.isoformat()}"
    assert f"closes at {when} ({ZONE})" in reply
    assert job(harness, CLOSE_KIND).due_at == moved  # moved, not added
    assert job(harness, REMIND_KIND).due_at == moved - timedelta(minutes=60)


def test_a_date_and_time(harness: Harness):
    day = (utcnow().astimezone(HCM) + timedelta(days=2)).date().isoformat()
    reply = harness.wg(RAPPORTEUR, CHANNEL, f"deadline {day} 10:30")
    deadline_at = stored_deadline(harness)
    assert deadline_at.astimezone(HCM).strftime("%Y-%m-%d %H:%M") == f"{day} 10:30"
    assert f"Voting in Electronic evidence closes at 10:30 on {day} ({ZONE}), in " in reply
    assert "60 minutes before" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deadline 2020-01-01 10:00", "is in the past"),
        ("deadline in 0 minutes", "is in the past"),
        ("deadline whenever", "I can't read `whenever` as a deadline"),
        ("deadline 25:00", "I can't read `25:00`"),
        ("deadline in 5 days", "I can't read `in 5 days`"),
        ("deadline 2099-01-01 10:00", "more than a year ahead"),
    ],
)
def test_bad_deadlines_are_refused_with_an_example_and_change_nothing(
    harness: Harness, text: str, expected: str
):
    reply = harness.wg(RAPPORTEUR, CHANNEL, text)
    assert expected in reply
    assert "Nothing was changed" in reply
    assert "`/wg deadline in 45 minutes`" in reply and ZONE in reply
    assert "/wg deadline 20" in reply  # an example with today's date: YYYY-MM-DD HH:MM
    assert stored_deadline(harness) is None
    assert job(harness, CLOSE_KIND) is None
    assert channel_posts(harness) == []


def test_what_a_person_typed_is_shown_escaped(harness: Harness):
    reply = harness.wg(RAPPORTEUR, CHANNEL, "deadline <!channel> & <@U1>")
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in reply
    assert "<!channel>" not in reply


def test_only_the_rapporteur_or_an_organizer_in_a_linked_channel(harness: Harness):
    refusal = harness.wg("UDEL1", CHANNEL, "deadline in 45 minutes")
    assert "Only the rapporteur of Electronic evidence or an organizer" in refusal
    assert "`deadline`" in refusal
    assert "not linked" in harness.wg(ORGANIZER, "CNOWHERE", "deadline in 45 minutes")
    assert "Only the rapporteur" in harness.wg("UDEL1", CHANNEL, "deadline clear")
    assert stored_deadline(harness) is None
    assert channel_posts(harness) == []


def test_a_closed_group_gets_no_deadline(harness: Harness):
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    reply = harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    assert "is closed" in reply and "/wg reopen" in reply
    assert stored_deadline(harness) is None


def test_clear_tells_the_channel_and_the_cards_drop_the_deadline(harness: Harness):
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    assert "There is no deadline" in harness.wg(RAPPORTEUR, CHANNEL, "deadline clear")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 2 hours")
    assert "Voting closes by itself" in card_text(harness.card(card))
    reply = harness.wg(ORGANIZER, CHANNEL, "deadline CLEAR")
    assert "Deadline cleared" in reply
    assert stored_deadline(harness) is None
    assert job(harness, CLOSE_KIND) is None and job(harness, REMIND_KIND) is None
    assert "deadline in Electronic evidence is cleared" in channel_posts(harness)[-1]
    assert "Voting closes by itself" not in card_text(harness.card(card))


def test_usage_and_help(harness: Harness):
    usage = harness.wg(RAPPORTEUR, CHANNEL, "deadline")
    assert "Usage" in usage and "`/wg deadline clear`" in usage and ZONE in usage
    assert "/wg deadline in 45 minutes" in harness.wg("UDEL1", CHANNEL, "help")


def test_reminders_off_no_reminder_is_mentioned_or_scheduled(emulator: Emulator, database_url: str):
    emulator.reset()
    harness = start_harness(emulator, database_url, reminder_minutes_before=0)
    try:
        harness.link(CHANNEL, rapporteur=RAPPORTEUR)
        reply = harness.wg(RAPPORTEUR, CHANNEL, "deadline in 2 hours")
        assert "(UTC), in 2 hours" in reply  # the default zone
        assert "reminder" not in reply
        assert job(harness, REMIND_KIND) is None and job(harness, CLOSE_KIND) is not None
    finally:
        harness.close()
