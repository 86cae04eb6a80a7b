"""delivery.names against the emulator: full names and emails from Slack profiles, stored;
people matched to the participant list at first use (once) and by users.lookupByEmail."""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.names import FirstUse, look_up_emails, refresh_name
from bot.emulator import Emulator
from storage import participants, people
from storage.models import Participant, Person
from storage.sessions import transaction
from tests.factories import delegate


@pytest.fixture
def client(emulator: Emulator) -> WebClient:
    emulator.reset()
    return WebClient(base_url=emulator.api_url, token="xoxb-names-test", timeout=5)


def stored_name(session_factory: sessionmaker[Session], user_id: str) -> str | None:
    with session_factory() as session:
        person = session.get(Person, user_id)
        return person.name if person else None


def known(session_factory: sessionmaker[Session], user_id: str, name: str) -> None:
    with transaction(session_factory) as session:
        people.remember(session, user_id, name)


def test_the_profiles_real_name_is_stored_over_the_handle(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    known(session_factory, "UDEL1", "lan.nguyen")
    emulator.add_user("UDEL1", profile={"real_name": "Nguyễn Thị Lan"})
    refresh_name(client, session_factory, "UDEL1")
    assert stored_name(session_factory, "UDEL1") == "Nguyễn Thị Lan"
    (call,) = emulator.calls("users.info")
    assert call["params"]["user"] == "UDEL1"


def test_a_person_not_seen_before_is_remembered_with_their_name(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    emulator.add_user("UNEW", profile={"real_name": "Somchai Prasert"})
    refresh_name(client, session_factory, "UNEW")
    assert stored_name(session_factory, "UNEW") == "Somchai Prasert"


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"real_name": "Kim Min-jun", "profile": {"real_name": ""}}, "Kim Min-jun"),
        ({"real_name": "", "profile": {"real_name": "", "display_name": "minjun"}}, "minjun"),
    ],
)
def test_the_name_falls_back_to_the_users_then_the_display_name(
    emulator: Emulator,
    client: WebClient,
    session_factory: sessionmaker[Session],
    user: dict,
    expected: str,
):
    emulator.add_user("UKR", **user)
    refresh_name(client, session_factory, "UKR")
    assert stored_name(session_factory, "UKR") == expected


def test_a_blank_profile_leaves_the_name_alone(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    known(session_factory, delegate().user_id, "Delegate One")
    emulator.add_user("UDEL1", real_name=" ", profile={"real_name": "", "display_name": "   "})
    refresh_name(client, session_factory, "UDEL1")
    assert stored_name(session_factory, "UDEL1") == "Delegate One"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"error": "user_not_found"}, "user_not_found"),
        ({"status": 500, "times": 5}, "internal_error"),
    ],
)
def test_a_failed_lookup_is_logged_and_changes_nothing(
    emulator: Emulator,
    client: WebClient,
    session_factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
    fault: dict,
    reason: str,
):
    known(session_factory, "UDEL1", "Delegate One")
    emulator.fail("users.info", **fault)
    caplog.set_level(logging.INFO)
    refresh_name(client, session_factory, "UDEL1")
    assert stored_name(session_factory, "UDEL1") == "Delegate One"
    (record,) = [r for r in caplog.records if r.getMessage() == "users.info failed"]
    assert record.levelno == logging.INFO  # best effort: not worth a warning
    assert (record.user, record.error) == ("UDEL1", reason)  # type: ignore[attr-defined]


# --- matching people to the participant list -------------------------------------------


def listed(session_factory: sessionmaker[Session], *emails: str) -> None:
    """Participants waiting for a match, one per email."""
    with transaction(session_factory) as session:
        for email in emails:
            session.add(Participant(email=email, name=f"Listed {email}", delegation="TH"))


def confirmed(session_factory: sessionmaker[Session], user_id: str) -> str | None:
    with session_factory() as session:
        person = session.get(Person, user_id)
        return person.delegation if person else None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def first_use(client: WebClient, session_factory: sessionmaker[Session]) -> tuple[FirstUse, Clock]:
    clock = Clock()
    return FirstUse(client, session_factory, retry_after=30.0, clock=clock), clock


def test_first_use_matches_a_listed_person_once(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    listed(session_factory, "user.udel1@example.org")
    matcher, _ = first_use(client, session_factory)
    assert matcher.due("UDEL1")
    matcher("UDEL1")
    assert confirmed(session_factory, "UDEL1") == "TH"
    assert len(emulator.calls("users.info")) == 1
    assert not matcher.due("UDEL1")
    matcher("UDEL1")  # a second job queued meanwhile does nothing
    assert len(emulator.calls("users.info")) == 1


def test_first_use_without_a_waiting_list_asks_slack_nothing_and_looks_again_later(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    matcher, clock = first_use(client, session_factory)
    matcher("UDEL1")
    assert emulator.calls("users.info") == []
    assert not matcher.due("UDEL1")
    clock.now += 29.0
    assert not matcher.due("UDEL1")
    clock.now += 1.0
    assert matcher.due("UDEL1")
    listed(session_factory, "user.udel1@example.org")  # a list imported meanwhile
    matcher("UDEL1")
    assert confirmed(session_factory, "UDEL1") == "TH"


def test_a_known_email_settles_the_person_without_asking_slack(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    with transaction(session_factory) as session:
        participants.note_email(session, "UDEL1", "lan@example.org")
    listed(session_factory, "someone.else@example.org")
    matcher, clock = first_use(client, session_factory)
    matcher("UDEL1")
    clock.now += 3600
    assert not matcher.due("UDEL1")  # a later import matches them by the known email
    assert emulator.calls("users.info") == []
    assert confirmed(session_factory, "UDEL1") is None


def test_a_failed_users_info_is_tried_again_after_a_while(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    listed(session_factory, "user.udel1@example.org")
    emulator.fail("users.info", error="user_not_found")
    matcher, clock = first_use(client, session_factory)
    matcher("UDEL1")
    assert confirmed(session_factory, "UDEL1") is None and not matcher.due("UDEL1")
    clock.now += 30.0
    assert matcher.due("UDEL1")
    matcher("UDEL1")
    assert confirmed(session_factory, "UDEL1") == "TH"


def test_refresh_name_stores_the_email_and_matches(
    emulator: Emulator, client: WebClient, session_factory: sessionmaker[Session]
):
    listed(session_factory, "lan@example.org")
    emulator.add_user("ULAN", profile={"real_name": "Nguyễn Thị Lan", "email": "Lan@Example.org"})
    refresh_name(client, session_factory, "ULAN")
    assert confirmed(session_factory, "ULAN") == "TH"
    with session_factory() as session:
        person = session.get(Person, "ULAN")
        assert person is not None
        assert (person.email, person.name) == ("lan@example.org", "Listed lan@example.org")


def test_look_up_emails_finds_accounts_and_stops_at_a_refusal(
    emulator: Emulator, client: WebClient
):
    emulator.add_user("USOK", profile={"email": "sok@example.org"})
    found = look_up_emails(
        client, ["SOK@example.org", "nobody@example.org", "user.ux1@example.org"]
    )
    assert found.found == {"SOK@example.org": "USOK", "user.ux1@example.org": "UX1"}
    assert found.failure is None
    emulator.fail("users.lookupByEmail", error="missing_scope")
    stopped = look_up_emails(client, ["sok@example.org", "user.ux1@example.org"])
    assert (stopped.found, stopped.failure) == ({}, "missing_scope")
    assert len(emulator.calls("users.lookupByEmail")) == 4  # the refusal stopped the rest
