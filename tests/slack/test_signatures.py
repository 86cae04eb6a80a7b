"""Request signatures through the served app: only Slack's signed, fresh requests get in."""

from __future__ import annotations

import time

import pytest

from bot.emulator import signature_headers
from storage import groups
from tests.harness import ORGANIZER, Harness

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BODY = f"command=/wg&text=link+e-evidence&user_id={ORGANIZER}&channel_id=C1&team_id=T1".encode()


def linked(harness: Harness) -> str | None:
    """The group the request's channel is linked to, as the record has it."""
    with harness.app.session_factory() as session:
        group = groups.group_for_channel(session, "C1")
        return group.key if group else None


def nothing_happened(harness: Harness) -> None:
    harness.settle()
    assert linked(harness) is None
    assert harness.emulator.calls() == []


def test_a_signed_fresh_request_gets_in(harness: Harness):
    response = harness.slack.raw(BODY, FORM)
    assert response.status == 200 and "(`e-evidence`)" in response.json()["text"]
    assert linked(harness) == "e-evidence"


def test_an_unsigned_request_is_refused(harness: Harness):
    assert harness.slack.unsigned(BODY, FORM).status == 401
    nothing_happened(harness)


@pytest.mark.parametrize("age", [301, 3600])
def test_a_stale_request_is_refused(harness: Harness, age: int):
    assert harness.slack.raw(BODY, FORM, timestamp=int(time.time()) - age).status == 401
    nothing_happened(harness)


def test_a_request_signed_with_another_secret_is_refused(harness: Harness):
    headers = {**FORM, **signature_headers("not-the-signing-secret", BODY)}
    assert harness.slack.unsigned(BODY, headers).status == 401
    nothing_happened(harness)


def test_a_body_changed_after_signing_is_refused(harness: Harness):
    headers = {**FORM, **signature_headers(harness.slack.signing_secret, BODY)}
    tampered = BODY.replace(b"e-evidence", b"victim-protection")
    assert harness.slack.unsigned(tampered, headers).status == 401
    nothing_happened(harness)
