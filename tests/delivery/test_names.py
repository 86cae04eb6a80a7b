"""refresh_name: a person's full name from their Slack profile (emulator), stored."""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.names import refresh_name
from bot.emulator import Emulator
from storage import people
from storage.models import Person
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
