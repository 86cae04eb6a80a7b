"""The audit log: entries as recorded, oldest first, filtered by group and by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage import audit
from storage.actors import Actor
from storage.models import AuditEntry

START = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)


def _record(session, action: str, group_key: str | None, minutes: int, **detail) -> None:
    actor = Actor(f"U{action.upper()}", request_id=f"r-{action}")
    audit.record(session, actor=actor, action=action, group_key=group_key, target="T", **detail)
    session.flush()
    # Pin the time so that the order and the `since` filter are tested, not the clock.
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.action == action)
        .values(at=START + timedelta(minutes=minutes))
    )


def test_an_entry_keeps_who_what_and_the_request(session):
    actor = Actor("UA1", name="Ann", request_id="req-1")
    audit.record(
        session, actor=actor, action="link", group_key="e-evidence", target="C1", note="x", n=2
    )
    session.flush()
    (entry,) = audit.entries(session)
    assert (entry.actor_user_id, entry.action, entry.group_key, entry.target) == (
        "UA1",
        "link",
        "e-evidence",
        "C1",
    )
    assert entry.detail == {"note": "x", "n": 2}
    assert entry.request_id == "req-1"
    assert entry.at is not None


def test_entries_are_oldest_first(session):
    _record(session, "second", "e-evidence", 10)
    _record(session, "first", "e-evidence", 5)
    _record(session, "third", None, 20)
    assert [e.action for e in audit.entries(session)] == ["first", "second", "third"]


def test_entries_of_one_group_from_a_moment_on(session):
    _record(session, "early", "e-evidence", 0)
    _record(session, "other", "financial-investigation", 5)
    _record(session, "late", "e-evidence", 10)
    assert [e.action for e in audit.entries(session, group_key="e-evidence")] == [
        "early",
        "late",
    ]
    since = START + timedelta(minutes=5)
    assert [e.action for e in audit.entries(session, since=since)] == ["other", "late"]
    assert [e.action for e in audit.entries(session, group_key="e-evidence", since=since)] == [
        "late"
    ]
    assert audit.entries(session, group_key="victim-protection") == []
