"""The deadline jobs with a clock the test moves: the automatic close, the reminders.

A deadline is set through signed requests; the scheduler then runs with a controllable
clock (no sleeping): its `run_due` is called as the clock passes the reminder time and
the deadline, on one instance or two sharing the database, or on a "restarted" one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.delivery.cards import CardUpdates
from bot.delivery.deadlines import DeadlineJobs, DeadlineRules
from bot.delivery.scheduler import Scheduler
from bot.emulator import Emulator
from storage import audit
from storage import schedule as jobs
from storage.deadlines import CLOSE_KIND, NOTICE_KIND, REMIND_KIND, group_deadline
from storage.models import Group, Participant, Person, Role, utcnow
from storage.sessions import transaction
from tests.harness import BOT_TOKEN, ORGANIZER, Harness, card_text, home_opened, start_harness

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"
ZONE = "Asia/Ho_Chi_Minh"
PERMALINK = re.compile(r"<https://emulator\.slack/archives/CEEVID/p\d+\|\*(EE-\d+)\*>")


class Clock:
    """A clock the test moves by hand, from the real time the deadline was set at."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def to(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture
def harness(emulator: Emulator, database_url: str) -> Iterator[Harness]:
    emulator.reset()
    harness = start_harness(emulator, database_url, workshop_timezone=ZONE)
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    yield harness
    harness.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def deadline_jobs(harness: Harness, clock: Clock, *, remind_minutes: int = 60) -> DeadlineJobs:
    """The deadline handlers on the test's clock, with the app's database and job pool."""
    factory = harness.app.session_factory
    client = WebClient(base_url=harness.emulator.api_url, token=BOT_TOKEN, timeout=5)
    rules = DeadlineRules(ZONE, timedelta(minutes=remind_minutes), clock=clock)
    return DeadlineJobs(
        factory, client, CardUpdates(factory, harness.app.jobs, client, 0.05), rules
    )


def scheduler(harness: Harness, clock: Clock, instance: str = "i1", **kw: Any) -> Scheduler:
    handlers = deadline_jobs(harness, clock, **kw).handlers()
    return Scheduler(harness.app.session_factory, handlers, instance_id=instance, clock=clock)


def drain(*schedulers: Scheduler) -> int:
    """Run every due job (a notice falls due as its close runs) on live instances.

    Each instance heartbeats first, at the clock's time, as its heartbeat thread would
    have: an instance silent for 15 s by the clock is dead, and its jobs taken over.
    """
    for each in schedulers:
        each.heartbeat()
    ran, total = 1, 0
    while ran:
        ran = sum(s.run_due() for s in schedulers)
        total += ran
    return total


def deadline(harness: Harness) -> datetime:
    with transaction(harness.app.session_factory) as session:
        group = group_deadline(session, "e-evidence")
    assert group is not None and group.deadline_at is not None
    return group.deadline_at


def is_open(harness: Harness) -> bool:
    with transaction(harness.app.session_factory) as session:
        return group_deadline(session, "e-evidence").is_open


def closes(harness: Harness) -> list[Any]:
    with transaction(harness.app.session_factory) as session:
        return [e for e in audit.entries(session, group_key="e-evidence") if e.action == "close"]


def notices(harness: Harness) -> list[str]:
    return [
        c["params"]["text"]
        for c in harness.posts()
        if c["params"].get("channel") == CHANNEL and "Voting is now closed" in c["params"]["text"]
    ]


def dms(harness: Harness) -> dict[str, list[str]]:
    """Direct messages sent, per person."""
    sent: dict[str, list[str]] = {}
    for call in harness.posts():
        channel = call["params"].get("channel", "")
        if channel.startswith("U"):
            sent.setdefault(channel, []).append(call["params"]["text"])
    return sent


def reminded_of(text: str) -> list[str]:
    return PERMALINK.findall(text)


def seat(harness: Harness, user_id: str, delegation: str, role: Role = Role.DELEGATE) -> None:
    """Put a matched person on the participant list of the group (as an import would)."""
    with transaction(harness.app.session_factory) as session:
        session.add(
            Participant(
                email=f"{user_id.lower()}@example.org",
                name=user_id,
                delegation=delegation,
                role=role.value,
                group_key="e-evidence",
                user_id=user_id,
            )
        )
        person = session.get(Person, user_id) or Person(user_id=user_id)
        person.delegation, person.role = delegation, role.value
        session.add(person)


def procedure(harness: Harness, value: str) -> None:
    with transaction(harness.app.session_factory) as session:
        session.query(Group).filter(Group.key == "e-evidence").one().procedure = value


# --- the automatic close ---------------------------------------------------------------


def test_the_app_closes_the_group_at_its_deadline_as_wg_close_would(harness: Harness):
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 1 minute")
    kinds = set(harness.app.background.scheduler.handlers)
    assert {CLOSE_KIND, NOTICE_KIND, REMIND_KIND} <= kinds  # wired in create_app
    clock = Clock()
    app_scheduler = Scheduler(
        harness.app.session_factory,
        harness.app.background.scheduler.handlers,
        instance_id="app",
        clock=clock,
    )
    when = deadline(harness)
    clock.to(when - timedelta(seconds=1))
    drain(app_scheduler)
    assert is_open(harness) and notices(harness) == []
    assert harness.slack.event(home_opened("UV1")).status == 200
    harness.settle()
    homes_before = len(publishes(harness, "UV1"))
    clock.to(when)
    drain(app_scheduler)
    harness.settle()
    assert not is_open(harness)
    harness.settle()  # the Home refresh is coalesced: settle waits for delayed work too
    assert len(publishes(harness, "UV1")) > homes_before  # the voter's Home shows it closed
    shown = card_text(harness.card(card))
    assert "Voting is closed" in shown and "Voting closes by itself" not in shown
    assert "Support: 1" in shown
    (notice,) = notices(harness)
    assert "Voting is now closed in *Electronic evidence*" in notice
    assert f"({ZONE})" in notice
    (entry,) = closes(harness)
    assert entry.actor_user_id == "deadline"
    assert entry.detail["by"] == "deadline" and entry.detail["set_by"] == RAPPORTEUR
    # Exactly as after /wg close: a click is refused, and /wg reopen opens it again.
    harness.vote("UV2", {**card, "message": harness.card(card)}, "oppose")
    harness.settle()
    assert any("closed" in text for text in harness.ephemerals("UV2"))
    assert "open again" in harness.wg(RAPPORTEUR, CHANNEL, "reopen")
    harness.settle()
    assert "Voting closes by itself" not in card_text(harness.card(card))  # served


def publishes(harness: Harness, user_id: str) -> list[Any]:
    return [
        c for c in harness.emulator.calls("views.publish") if c["params"].get("user_id") == user_id
    ]


def test_two_instances_close_once_and_tell_the_channel_once(harness: Harness, clock: Clock):
    harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 30 minutes")
    first, second = scheduler(harness, clock, "i1"), scheduler(harness, clock, "i2")
    clock.to(deadline(harness) + timedelta(seconds=1))
    with ThreadPoolExecutor(2) as pool:
        for _ in range(3):
            list(pool.map(lambda s: drain(s), [first, second]))
    harness.settle()
    assert not is_open(harness)
    assert len(closes(harness)) == 1
    assert len(notices(harness)) == 1
    with transaction(harness.app.session_factory) as session:
        assert jobs.get(session, kind=CLOSE_KIND, key="e-evidence").state == "done"
        assert jobs.get(session, kind=NOTICE_KIND, key="e-evidence").state == "done"


def test_a_deadline_that_passed_while_no_instance_ran_closes_at_the_next_start(
    harness: Harness, clock: Clock
):
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 2 hours")
    before = scheduler(harness, clock, "before-the-outage")
    assert drain(before) == 0  # nothing due yet
    before.stop()
    clock.to(deadline(harness) + timedelta(hours=5))  # every instance was down meanwhile
    after = scheduler(harness, clock, "after-the-restart")
    assert drain(after) == 3  # the reminder (too late: nothing sent), the close, its notice
    harness.settle()
    assert not is_open(harness)
    assert len(notices(harness)) == 1 and len(closes(harness)) == 1
    assert "Voting is closed" in card_text(harness.card(card))
    assert dms(harness) == {}  # nobody is reminded of a deadline that has passed


def test_a_refused_notice_is_retried_until_the_channel_is_told(harness: Harness, clock: Clock):
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 30 minutes")
    runner = scheduler(harness, clock)
    clock.to(deadline(harness))
    harness.emulator.fail("chat.postMessage", error="channel_not_found", times=1)
    drain(runner)
    assert not is_open(harness) and notices(harness) == []
    with transaction(harness.app.session_factory) as session:
        notice = jobs.get(session, kind=NOTICE_KIND, key="e-evidence")
    assert notice.state == "pending" and "SlackRefused" in notice.last_error
    clock.to(notice.due_at)
    drain(runner)
    assert len(notices(harness)) == 1 and len(closes(harness)) == 1


def test_a_moved_deadline_closes_at_the_new_time_and_a_cleared_one_never(
    harness: Harness, clock: Clock
):
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 30 minutes")
    first = deadline(harness)
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 90 minutes")
    runner = scheduler(harness, clock, remind_minutes=0)
    clock.to(first + timedelta(minutes=1))
    drain(runner)
    assert is_open(harness)
    clock.to(deadline(harness))
    drain(runner)
    assert not is_open(harness)
    harness.wg(RAPPORTEUR, CHANNEL, "reopen")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 30 minutes")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline clear")
    clock.to(clock.now + timedelta(hours=2))
    assert drain(runner) == 0
    assert is_open(harness) and len(closes(harness)) == 1


# --- reminders -------------------------------------------------------------------------


def test_reminders_by_vote_list_what_each_person_has_not_voted_on_with_links(
    harness: Harness, clock: Clock
):
    first = harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points", title="")
    second = harness.recommend(
        "UAUTHOR", CHANNEL, "Share <templates> & forms", title="Templates & forms"
    )
    harness.vote("UV1", first, "support")
    harness.vote("UDONE", first, "oppose")
    harness.vote("UDONE", second, "abstain")
    harness.settle()
    seat(harness, "ULISTED", "VN")
    seat(harness, "UOBS", "INTERPOL", Role.OBSERVER)
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 3 hours")
    runner = scheduler(harness, clock)
    clock.to(deadline(harness) - timedelta(minutes=61))
    assert drain(runner) == 0
    clock.to(deadline(harness) - timedelta(minutes=60))
    assert drain(runner) == 1
    sent = dms(harness)
    assert set(sent) == {"UAUTHOR", "UV1", "ULISTED"}  # not UDONE, not the observer
    assert all(len(texts) == 1 for texts in sent.values())
    assert reminded_of(sent["UAUTHOR"][0]) == ["EE-1", "EE-2"]
    assert reminded_of(sent["UV1"][0]) == ["EE-2"]
    text = sent["ULISTED"][0]
    assert "Voting in *Electronic evidence* closes at" in text and "in 1 hour" in text
    assert "Designate 24/7 contact points" in text  # no title: the first words
    assert "Templates &amp; forms" in text and "<templates>" not in text
    assert len(harness.emulator.calls("chat.getPermalink")) == 2  # once per card per run
    assert is_open(harness)


def test_each_person_is_reminded_once_per_deadline_across_instances_and_again_if_moved(
    harness: Harness, clock: Clock
):
    card = harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    seat(harness, "ULISTED", "VN")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    clock.to(utcnow())  # closer than 60: at once
    first, second = scheduler(harness, clock, "i1"), scheduler(harness, clock, "i2")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda s: drain(s), [first, second]))
    assert {user: len(texts) for user, texts in dms(harness).items()} == {
        "UAUTHOR": 1,
        "ULISTED": 1,
    }
    # The same reminder run again (a retry, a lease taken over): nobody twice.
    with transaction(harness.app.session_factory) as session:
        job = jobs.get(session, kind=REMIND_KIND, key="e-evidence")
        jobs.schedule(
            session, kind=REMIND_KIND, key="e-evidence", due_at=job.due_at, payload=job.payload
        )
    assert drain(second) == 1
    assert {user: len(texts) for user, texts in dms(harness).items()} == {
        "UAUTHOR": 1,
        "ULISTED": 1,
    }
    # A moved deadline is another deadline: whoever still has not voted is reminded again.
    harness.vote("ULISTED", card, "support")
    harness.settle()
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 50 minutes")
    clock.to(utcnow())
    drain(first, second)
    assert {user: len(texts) for user, texts in dms(harness).items()} == {
        "UAUTHOR": 2,
        "ULISTED": 1,
    }


def test_by_delegation_a_delegation_that_voted_is_not_reminded(harness: Harness, clock: Clock):
    procedure(harness, "delegation")
    for user, delegation in (("UVN1", "VN"), ("UVN2", "VN"), ("UTH1", "TH"), ("UAUTHOR", "KH")):
        seat(harness, user, delegation)
    first = harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points")
    harness.recommend("UAUTHOR", CHANNEL, "Share templates")
    harness.vote("UVN1", first, "support")  # Viet Nam's ballot on EE-1
    harness.settle()
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    clock.to(utcnow())
    drain(scheduler(harness, clock))
    sent = dms(harness)
    assert reminded_of(sent["UVN1"][0]) == ["EE-2"]
    assert reminded_of(sent["UVN2"][0]) == ["EE-2"]  # their delegation voted on EE-1
    assert reminded_of(sent["UTH1"][0]) == ["EE-1", "EE-2"]
    assert "Your delegation has not voted" in sent["UVN2"][0]


def test_by_consensus_nobody_is_reminded(harness: Harness, clock: Clock):
    procedure(harness, "consensus")
    seat(harness, "UVN1", "VN")
    harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    clock.to(utcnow())
    assert drain(scheduler(harness, clock)) == 1  # the reminder ran, and found nobody
    assert dms(harness) == {}


def test_no_reminders_when_reminder_minutes_before_is_zero(
    emulator: Emulator, database_url: str, clock: Clock
):
    emulator.reset()
    harness = start_harness(
        emulator, database_url, workshop_timezone=ZONE, reminder_minutes_before=0
    )
    try:
        harness.link(CHANNEL, rapporteur=RAPPORTEUR)
        harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points")
        harness.wg(ORGANIZER, CHANNEL, "deadline in 45 minutes")
        runner = scheduler(harness, clock, remind_minutes=0)
        clock.to(deadline(harness) - timedelta(seconds=1))
        assert drain(runner) == 0
        clock.to(deadline(harness))
        assert drain(runner) == 2  # the close and its notice
        assert dms(harness) == {}
    finally:
        harness.close()


def test_a_refused_reminder_is_sent_again_and_the_others_not_twice(harness: Harness, clock: Clock):
    harness.recommend("UAUTHOR", CHANNEL, "Designate 24/7 contact points")
    seat(harness, "UA", "VN")
    seat(harness, "UB", "TH")
    harness.wg(RAPPORTEUR, CHANNEL, "deadline in 45 minutes")
    clock.to(utcnow())
    harness.emulator.fail("chat.postMessage", error="user_not_found", times=1)
    runner = scheduler(harness, clock)
    drain(runner)
    assert sum(len(t) for t in dms(harness).values()) == 2  # one of three was refused
    with transaction(harness.app.session_factory) as session:
        job = jobs.get(session, kind=REMIND_KIND, key="e-evidence")
    assert job.state == "pending" and "1 of 3 reminders" in job.last_error
    clock.to(job.due_at)
    drain(runner)
    assert {user: len(texts) for user, texts in dms(harness).items()} == {
        "UAUTHOR": 1,
        "UA": 1,
        "UB": 1,
    }
