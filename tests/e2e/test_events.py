"""Events: a delivery that Slack retries is processed once (bot.runtime.middleware)."""

from __future__ import annotations

from tests.harness import Harness, home_opened


def test_retried_event_is_processed_once(harness: Harness):
    for retry in (None, 1, 2):
        response = harness.slack.event(
            home_opened("UDEL1"),
            event_id="EvSame",
            retry_num=retry,
            retry_reason="http_timeout" if retry else None,
        )
        assert response.status == 200
    harness.settle()
    assert len(harness.emulator.calls("views.publish")) == 1
