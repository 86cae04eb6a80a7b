"""The WSGI application: POST /slack/events for Slack, GET /healthz for load balancers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import BoltRequest, BoltResponse

from bot.runtime.unit_of_work import RapporteurApp
from bot.web.board import BOARD_PREFIX

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000  # Slack's payloads are far smaller; refuse anything larger
UNAUTHORIZED = b'{"error": "invalid request"}'  # what Bolt answers a failed verification

StartResponse = Callable[..., Any]


class WebApp:
    """Route WSGI requests to the Bolt app; answer 4xx for anything malformed."""

    def __init__(self, app: RapporteurApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _reply(start_response, 200, b"ok", "text/plain")
        if path.startswith(BOARD_PREFIX) and self.app.board is not None:
            return self.app.board(environ, start_response)  # the plenary board (bot.web.board)
        if path != EVENTS_PATH:
            return _reply(start_response, 404, b"not found", "text/plain")
        if method != "POST":
            return _reply(start_response, 405, b"method not allowed", "text/plain")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, 400, b"bad content length", "text/plain")
        if length > MAX_BODY:
            return _reply(start_response, 413, b"payload too large", "text/plain")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        if timestamp is not None and not (timestamp.isascii() and timestamp.isdigit()):
            # slack_sdk's verifier calls int() on it and its ValueError would surface as a
            # server error; a timestamp that is not a number cannot carry a valid signature.
            return _reply(start_response, 401, UNAUTHORIZED, "application/json")
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            text = body.decode("utf-8")
            request = BoltRequest(
                body=text,
                query=parse_qs(environ.get("QUERY_STRING", "")),
                headers=_headers(environ),
            )
        except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError):
            return _reply(start_response, 400, b"malformed request", "text/plain")
        response = self.app.dispatch(request)
        return _bolt_reply(start_response, response)


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _reply(start_response: StartResponse, status: int, body: bytes, kind: str) -> list[bytes]:
    start_response(
        f"{status} {_REASONS.get(status, 'OK')}",
        [("Content-Type", kind), ("Content-Length", str(len(body)))],
    )
    return [body]


def _bolt_reply(start_response: StartResponse, response: BoltResponse) -> list[bytes]:
    body = response.body if isinstance(response.body, str) else json.dumps(response.body)
    data = body.encode("utf-8")
    headers = [
        (name, value)
        for name, values in response.headers.items()
        if name.lower() != "content-length"
        for value in values
    ]
    headers.append(("Content-Length", str(len(data))))
    start_response(f"{response.status} {_REASONS.get(response.status, 'OK')}", headers)
    return [data]


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    500: "Internal Server Error",
}
