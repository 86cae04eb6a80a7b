"""Slack's retried events are processed once, at no cost for the chat the app ignores."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import ProcessedRequest
from tests.harness import Harness


def processed(harness: Harness) -> int:
    with harness.app.session_factory() as session:
        return session.scalar(select(func.count()).select_from(ProcessedRequest)) or 0


def test_ordinary_chat_costs_no_deduplication_row(harness: Harness):
    before = processed(harness)
    for n in range(3):
        message = {"type": "message", "channel": "CCHAT", "user": "UDEL1", "text": f"hi {n}"}
        message["ts"] = f"1700000000.00000{n}"
        assert harness.slack.event(message).status == 200
    assert processed(harness) == before


def test_a_thread_reply_is_deduplicated_across_retries(harness: Harness):
    reply = {
        "type": "message",
        "channel": "CCHAT",
        "user": "UDEL1",
        "text": "a reply",
        "ts": "1700000001.000100",
        "thread_ts": "1700000000.000100",
    }
    assert harness.slack.event(reply, event_id="Ev1REPLY").status == 200
    assert harness.slack.event(reply, event_id="Ev1REPLY", retry_num=1).status == 200
    assert processed(harness) == 1
