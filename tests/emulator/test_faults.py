"""Fault injection, as seen by slack_sdk's retry handlers."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from http.client import RemoteDisconnected
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.emulator import Emulator, EmulatorClient
from tests.emulator.conftest import BOT_TOKEN

FAST = FixedValueRetryIntervalCalculator(0.01)


def test_429_carries_retry_after(emulator: Emulator) -> None:
    emulator.fail("auth.test", retry_after=7)
    request = urllib.request.Request(
        emulator.api_url + "auth.test",
        data=b"",
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 429
    assert err.value.headers["Retry-After"] == "7"
    assert b'"ratelimited"' in err.value.read()


def test_rate_limit_handler_honours_retry_after(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    # Only the handler module's view of time/random is replaced: it "sleeps" instantly.
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=sleeps.append))
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    client = WebClient(
        base_url=emulator.api_url,
        token=BOT_TOKEN,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    emulator.fail("chat.postMessage", retry_after=3)
    answer = client.chat_postMessage(channel="C1", text="after the storm")
    assert answer["ok"]
    assert sleeps == [3], "the handler waited exactly Retry-After seconds"
    first, second = emulator.calls("chat.postMessage")
    assert first["fault"] == {"status": 429, "retry_after": 3}
    assert "fault" not in second and second["response"]["ok"]
    assert len(emulator.messages("C1")) == 1, "the rate-limited attempt stored nothing"

    emulator.fail("chat.postMessage", retry_after=1, times=3)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="still limited")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
    assert sleeps == [3, 1, 1]


def test_server_errors(emulator: Emulator) -> None:
    emulator.fail("chat.postMessage", status=500, times=2)
    plain = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    with pytest.raises(SlackApiError) as err:
        plain.chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 500
    retrying = WebClient(
        base_url=emulator.api_url,
        token=BOT_TOKEN,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)],
    )
    assert retrying.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.get("fault", {}).get("status") for c in emulator.calls()] == [500, 500, None]


def test_error_fault_answers_ok_false(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("chat.update", error="cant_update_message")
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel="C1", ts="1.2", text="x")
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == "cant_update_message"


def test_dropped_connection_is_retried_by_default_handler(emulator: Emulator) -> None:
    client = WebClient(
        base_url=emulator.api_url,
        token=BOT_TOKEN,
        retry_handlers=[ConnectionErrorRetryHandler(interval_calculator=FAST)],
    )
    emulator.fail("chat.postMessage", drop=True)
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    first, second = emulator.calls("chat.postMessage")
    assert first["fault"] == {"drop": True}
    assert "fault" not in second

    emulator.fail("chat.postMessage", drop=True, times=2)
    with pytest.raises((RemoteDisconnected, ConnectionResetError, urllib.error.URLError)):
        client.chat_postMessage(channel="C1", text="y")


def test_delay_makes_client_time_out(emulator: Emulator) -> None:
    impatient = WebClient(base_url=emulator.api_url, token=BOT_TOKEN, timeout=0.1)
    emulator.fail("auth.test", delay=0.3)
    with pytest.raises(TimeoutError):
        impatient.auth_test()
    emulator.fail("auth.test", delay=0.15)
    started = time.monotonic()
    patient = WebClient(base_url=emulator.api_url, token=BOT_TOKEN, timeout=5)
    assert patient.auth_test()["ok"]
    assert time.monotonic() - started >= 0.15
    assert emulator.calls("auth.test")[-1]["fault"] == {"status": 200, "delay": 0.15}


def test_faults_are_per_method_and_counted(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("users.info", error="user_not_found", times=2)
    assert client.auth_test()["ok"]
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.users_info(user="U1")
    assert client.users_info(user="U1")["ok"]
    emulator.fail("users.info", error="x")
    emulator.reset()
    assert client.users_info(user="U1")["ok"], "reset clears queued faults"


def test_a_rate_limit_window_answers_429_with_the_rest_of_it(
    emulator: Emulator, client: WebClient
) -> None:
    emulator.rate_limit("chat.postEphemeral", 2.5)
    for _ in range(3):  # every call inside the window, not a counted number of them
        with pytest.raises(SlackApiError) as refused:
            client.chat_postEphemeral(channel="C1", user="U1", text="hi")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers["retry-after"] in ("3", "2")
    assert client.chat_postMessage(channel="C1", text="other methods are free")["ok"]
    emulator.reset()
    assert client.chat_postEphemeral(channel="C1", user="U1", text="hi")["ok"], "reset ends it"


def test_a_rate_limit_window_ends(emulator: Emulator, client: WebClient) -> None:
    EmulatorClient(emulator.url).rate_limit("chat.postEphemeral", 0.3)  # the control API
    with pytest.raises(SlackApiError):
        client.chat_postEphemeral(channel="C1", user="U1", text="hi")
    time.sleep(0.35)
    assert client.chat_postEphemeral(channel="C1", user="U1", text="hi")["ok"]
    faults = [c.get("fault") for c in emulator.calls("chat.postEphemeral")]
    assert faults == [{"status": 429, "retry_after": 1}, None]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"seconds": 2}, "method_required"),
        ({"method": "chat.update", "seconds": 0}, "invalid_seconds"),
    ],
)
def test_a_rate_limit_without_method_or_seconds_is_refused(emulator: Emulator, body, error) -> None:
    request = urllib.request.Request(
        emulator.url + "/_emulator/rate_limits",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400 and error.encode() in refused.value.read()
