"""Slack Web API clients, each made for when it is used, and one guarded way to call them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler, RetryIntervalCalculator
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.handler import default_interval_calculator

from bot.slack.keepalive import KeepAliveWebClient

log = logging.getLogger(__name__)
T = TypeVar("T")

# chat.update is rate-limited per workspace; a burst can see many 429s in a row.
RATE_LIMIT_RETRIES = 10


def background_client(token: str, base_url: str) -> WebClient:
    """A client for work after the ack: rides out 429s, 5xx and dropped connections."""
    return _client(token, base_url, timeout=10, rate_limit_retries=RATE_LIMIT_RETRIES, retries=4)


def once_client(token: str, base_url: str) -> WebClient:
    """A client for calls that must not be repeated blindly (posting a card): it rides out
    429s (Slack did nothing), but a 5xx or a dropped connection may have come after Slack
    acted, so the caller looks before it tries again."""
    return _client(token, base_url, timeout=10, rate_limit_retries=RATE_LIMIT_RETRIES, retries=0)


def paced_client(token: str, base_url: str) -> WebClient:
    """A client for coalesced messages: a 429 is raised at once (see bot.slack.ratelimits)."""
    return _client(token, base_url, timeout=10, rate_limit_retries=0, retries=4)


def request_client(token: str, base_url: str) -> WebClient:
    """A client for calls made before the ack (views.open): must answer well within 3 s.

    Two tries of at most 1 s with 0.1 s between them (slack_sdk's default wait between
    retries adds up to a second of jitter), so even a failing call leaves time to answer.
    """
    return _client(
        token,
        base_url,
        timeout=1.0,
        rate_limit_retries=0,
        retries=1,
        interval=FixedValueRetryIntervalCalculator(fixed_internal=0.1),
    )


def _client(
    token: str,
    base_url: str,
    *,
    timeout: float,
    rate_limit_retries: int,
    retries: int,
    interval: RetryIntervalCalculator = default_interval_calculator,
) -> WebClient:
    handlers: list[RetryHandler] = [
        ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=interval),
        ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=interval),
    ]
    if rate_limit_retries:
        handlers.insert(0, RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    return KeepAliveWebClient(
        token=token, base_url=base_url, timeout=timeout, retry_handlers=handlers
    )


def failure_reason(error: SlackApiError | OSError) -> str:
    """What went wrong with a Web API call, for a log line or a message to the person."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error.response.status_code)
    return type(error).__name__


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What a guarded Web API call gave: its value, or why it failed."""

    value: T | None = None
    error: str | None = None
    # The call failed in a way that may have come after Slack acted on it (a 5xx, a lost
    # connection): a caller about to repeat a post looks first.
    may_have_acted: bool = False

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None


def attempt(
    what: str, call: Callable[[], T], *, level: int = logging.WARNING, **context: object
) -> Attempt[T]:
    """Make a Web API call that may fail (after the client's own retries) without raising.

    A refusal (SlackApiError) or a lost connection (OSError: timeouts, resets) is logged as
    `what` with its reason and returned; the caller decides whom to tell.
    """
    try:
        return Attempt(value=call())
    except (SlackApiError, OSError) as error:
        reason = failure_reason(error)
        log.log(level, what, extra={**context, "error": reason})
        unknown = isinstance(error, OSError) or error.response.status_code >= 500
        return Attempt(error=reason, may_have_acted=unknown)
