"""attempt: a Web API call that may fail gives its value, or its reason, logged."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.slack.clients import Attempt, attempt, failure_reason


def refusal(status: int, data: dict) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data=data,
        headers={},
        status_code=status,
    )
    return SlackApiError("refused", response)


def raising(error: BaseException):
    def call() -> object:
        raise error

    return call


def test_a_call_that_succeeds_gives_its_value_and_logs_nothing(caplog):
    caplog.set_level(logging.DEBUG, logger="bot.slack.clients")
    answer = {"ok": True, "ts": "1.000001"}
    outcome = attempt("card not posted", lambda: answer, card="EE-1")
    assert outcome == Attempt(value=answer) and outcome.ok and outcome.error is None
    assert caplog.records == []


@pytest.mark.parametrize(
    ("error", "reason", "may_have_acted"),
    [
        (refusal(200, {"ok": False, "error": "channel_not_found"}), "channel_not_found", False),
        (refusal(500, {"ok": False}), "500", True),
        (TimeoutError("timed out"), "TimeoutError", True),
        (ConnectionResetError(104, "reset by peer"), "ConnectionResetError", True),
        (OSError("no route"), "OSError", True),
    ],
)
def test_a_refusal_or_a_lost_connection_gives_its_reason_logged(
    caplog, error, reason, may_have_acted
):
    caplog.set_level(logging.DEBUG, logger="bot.slack.clients")
    outcome = attempt("card not posted", raising(error), card="EE-1")
    assert outcome == Attempt(error=reason, may_have_acted=may_have_acted)
    assert not outcome.ok and outcome.value is None
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and record.getMessage() == "card not posted"
    assert record.error == reason and record.card == "EE-1"  # type: ignore[attr-defined]
    assert failure_reason(error) == reason


def test_the_caller_chooses_the_level_of_the_log_line(caplog):
    caplog.set_level(logging.DEBUG, logger="bot.slack.clients")
    attempt("users.info failed", raising(TimeoutError()), level=logging.INFO, user="UDEL1")
    (record,) = caplog.records
    assert record.levelno == logging.INFO and record.user == "UDEL1"  # type: ignore[attr-defined]


def test_any_other_error_is_not_swallowed(caplog):
    with pytest.raises(KeyError):
        attempt("card not posted", raising(KeyError("ts")))
    assert caplog.records == []
