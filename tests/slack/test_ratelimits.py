"""What Slack said about waiting: read from a 429, remembered per method."""

from __future__ import annotations

import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.slack.ratelimits import DEFAULT_RETRY_AFTER, RateLimits, retry_after


def _refusal(status: int, headers: dict, error: str = "ratelimited") -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postEphemeral",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers,
        status_code=status,
    )
    return SlackApiError("refused", response)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"retry-after": "30"}, 30.0),
        (429, {"Retry-After": ["7"]}, 7.0),  # as slack_sdk's retry machinery keeps headers
        (429, {}, DEFAULT_RETRY_AFTER),
        (429, {"retry-after": "soon"}, DEFAULT_RETRY_AFTER),
        (200, {"retry-after": "30"}, None),  # ok:false for another reason
        (500, {}, None),
    ],
)
def test_retry_after(status, headers, expected):
    assert retry_after(_refusal(status, headers)) == expected


def test_a_method_waits_for_the_longest_it_was_told_and_others_do_not():
    limits = RateLimits()
    assert limits.wait("chat.postEphemeral") == 0.0
    limits.note("chat.postEphemeral", 30)
    limits.note("chat.postEphemeral", 1)  # a shorter answer does not shorten the wait
    assert 29 < limits.wait("chat.postEphemeral") <= 30
    assert limits.wait("chat.update") == 0.0
    limits.note("chat.update", 0.05)
    time.sleep(0.06)
    assert limits.wait("chat.update") == 0.0
