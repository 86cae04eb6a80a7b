"""The WSGI layer: a request whose timestamp is not a number fails verification (401)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.settings import Settings
from bot.slack.web import EVENTS_PATH, WebApp
from tests.factories import ORGANIZER

SECRET = "test-signing-secret"
BODY = b"command=%2Fwg&text=status&user_id=" + ORGANIZER.user_id.encode() + b"&channel_id=C1"
GARBAGE = ["abc", "", " ", "12.5", "-1", "1e9", "１２３", "0x10", "1700000000,1700000001"]


def call(web: WebApp, headers: dict[str, str], body: bytes = BODY) -> tuple[int, bytes]:
    environ: dict[str, Any] = {
        "PATH_INFO": EVENTS_PATH,
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    status: list[str] = []
    data = b"".join(web(environ, lambda line, _headers: status.append(line)))
    return int(status[0].split()[0]), data


def signed(timestamp: str, body: bytes = BODY) -> dict[str, str]:
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature or ""}


class Recorder:
    """Stands in for the Bolt app: records what reaches it."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def dispatch(self, request: Any) -> Any:
        from slack_bolt import BoltResponse

        self.requests.append(request)
        return BoltResponse(status=200, body="")


@pytest.mark.parametrize("timestamp", GARBAGE)
def test_a_timestamp_that_is_no_number_never_reaches_the_app(timestamp):
    recorder = Recorder()
    status, body = call(WebApp(recorder), signed(timestamp))  # type: ignore[arg-type]
    assert status == 401 and json.loads(body) == {"error": "invalid request"}
    assert recorder.requests == []


def test_a_numeric_timestamp_is_left_to_the_app():
    recorder = Recorder()
    status, _ = call(WebApp(recorder), signed("1700000000"))  # type: ignore[arg-type]
    assert status == 200 and len(recorder.requests) == 1


@pytest.fixture
def real_app(database_url: str) -> Iterator[WebApp]:
    from storage.engines import make_engine
    from storage.sessions import make_session_factory

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url="http://127.0.0.1:9/api/",
        database_url=database_url,
    )
    engine = make_engine(database_url, pool_size=2)
    app = create_app(settings, make_session_factory(engine))
    yield WebApp(app)
    app.jobs.shutdown(wait=True)
    engine.dispose()


@pytest.mark.parametrize("timestamp", ["abc", ""])
def test_garbage_timestamp_is_a_401_with_no_error_logged(real_app, caplog, timestamp):
    caplog.set_level(logging.INFO)
    for headers in (signed(timestamp), {"X-Slack-Request-Timestamp": timestamp}):
        status, _ = call(real_app, headers)
        assert status == 401
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_stale_signed_request_is_still_refused_by_bolt(real_app):
    status, _ = call(real_app, signed("1000000000"))
    assert status == 401
