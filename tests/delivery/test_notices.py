"""Notices against the emulator: ephemeral where possible, else a direct message; paced waits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.delivery.coalescer import DeliverLater
from bot.delivery.notices import EPHEMERAL, Notices
from bot.emulator import Emulator
from bot.slack.outbound import Outbound

TOKEN = "xoxb-notices-test"


@pytest.fixture
def slack(emulator: Emulator) -> Outbound:
    emulator.reset()
    return Outbound.connect(TOKEN, emulator.api_url)


@pytest.fixture
def notices(slack: Outbound) -> Notices:
    return Notices(slack)


def sent(emulator: Emulator, method: str) -> list[dict[str, Any]]:
    """What the app asked of `method`: (channel, user, text) of each call."""
    return [
        {k: c["params"].get(k) for k in ("channel", "user", "text") if k in c["params"]}
        for c in emulator.calls(method)
    ]


def test_an_ephemeral_message_goes_to_the_person_in_the_channel(
    emulator: Emulator, notices: Notices
):
    assert notices.ephemeral("CEE", "UDEL1", "Only you can see this.") is True
    assert sent(emulator, "chat.postEphemeral") == [
        {"channel": "CEE", "user": "UDEL1", "text": "Only you can see this."}
    ]
    assert emulator.calls("chat.postMessage") == []


@pytest.mark.parametrize("error", ["user_not_in_channel", "channel_not_found", "not_in_channel"])
def test_a_refused_ephemeral_falls_back_to_a_direct_message(
    emulator: Emulator, notices: Notices, error: str
):
    emulator.fail("chat.postEphemeral", error=error)
    assert notices.ephemeral("CEE", "UDEL1", "Your card is posted.") is True
    (refused,) = emulator.calls("chat.postEphemeral")
    assert refused["fault"]["error"] == error
    assert sent(emulator, "chat.postMessage") == [
        {"channel": "UDEL1", "text": "Your card is posted."}
    ]


def test_without_a_channel_the_message_is_direct(emulator: Emulator, notices: Notices):
    assert notices.ephemeral(None, "UDEL1", "Hello") is True
    assert emulator.calls("chat.postEphemeral") == []
    assert sent(emulator, "chat.postMessage") == [{"channel": "UDEL1", "text": "Hello"}]


def test_false_when_slack_refuses_both(emulator: Emulator, notices: Notices):
    emulator.fail("chat.postEphemeral", error="user_not_in_channel")
    emulator.fail("chat.postMessage", error="cannot_dm_bot")
    assert notices.ephemeral("CEE", "UDEL1", "Hello") is False
    assert [c["fault"]["error"] for c in emulator.calls()] == [
        "user_not_in_channel",
        "cannot_dm_bot",
    ]


def test_paced_ephemeral_is_sent_at_once_when_slack_allows(emulator: Emulator, notices: Notices):
    assert notices.paced_ephemeral("CEE", "UV1", "Your vote is recorded.") is True
    assert sent(emulator, "chat.postEphemeral") == [
        {"channel": "CEE", "user": "UV1", "text": "Your vote is recorded."}
    ]


def test_paced_ephemeral_waits_while_slack_rate_limits(
    emulator: Emulator, slack: Outbound, notices: Notices
):
    emulator.rate_limit("chat.postEphemeral", 30)
    with pytest.raises(DeliverLater) as first:
        notices.paced_ephemeral("CEE", "UV1", "Your vote is recorded.")
    assert 29 <= first.value.after <= 30  # the Retry-After Slack gave
    assert len(emulator.calls("chat.postEphemeral")) == 1  # no retry in the calling thread
    assert 29 <= slack.rate_limits.wait(EPHEMERAL) <= 30
    # The method stays closed: the next voter's confirmation waits without asking Slack,
    # and is not sent as a direct message instead.
    with pytest.raises(DeliverLater) as second:
        notices.paced_ephemeral("CEE", "UV2", "Your vote is recorded.")
    assert 28 <= second.value.after <= 30
    assert len(emulator.calls("chat.postEphemeral")) == 1
    assert emulator.calls("chat.postMessage") == []


def test_paced_ephemeral_refused_otherwise_falls_back_to_a_direct_message(
    emulator: Emulator, slack: Outbound, notices: Notices
):
    emulator.fail("chat.postEphemeral", error="user_not_in_channel")
    assert notices.paced_ephemeral("CEE", "UV1", "Your vote is recorded.") is True
    assert sent(emulator, "chat.postMessage") == [
        {"channel": "UV1", "text": "Your vote is recorded."}
    ]
    assert slack.rate_limits.wait(EPHEMERAL) == 0.0


def test_the_plain_ephemeral_is_not_held_back_by_a_rate_limit(emulator: Emulator, notices: Notices):
    # Slack rate-limits for one second: the patient client rides it out and delivers.
    emulator.rate_limit("chat.postEphemeral", 1)
    assert notices.ephemeral("CEE", "UDEL1", "Your card is posted.") is True
    calls = emulator.calls("chat.postEphemeral")
    assert "fault" in calls[0] and "fault" not in calls[-1]
    assert emulator.calls("chat.postMessage") == []
