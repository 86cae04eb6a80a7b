"""KeepAliveWebClient against a local HTTP/1.1 server: reuse, stale connections, errors."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.error import HTTPError, URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler, RetryHandler, builtin_handlers

from bot.slack.keepalive import KeepAliveWebClient

WAIT = 5.0
OK = {"ok": True, "user_id": "UBOT"}


@dataclass
class Reply:
    """What the server answers to one request."""

    status: int = 200
    body: dict | None = field(default_factory=lambda: dict(OK))
    headers: dict[str, str] = field(default_factory=dict)
    close_after: bool = False  # close the connection afterwards, without saying so
    silent: bool = False  # read the request, then close without answering


class Server(ThreadingHTTPServer):
    """Answers scripted replies (then {"ok": true}); counts connections and requests."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.replies: list[Reply] = []
        self.connections = 0
        self.requests: list[tuple[str, Message, bytes]] = []
        self.closed = threading.Semaphore(0)  # released once per connection the server closed

    def script(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def next_reply(self) -> Reply:
        with self.lock:
            return self.replies.pop(0) if self.replies else Reply()

    def shutdown_request(self, request: socket.socket) -> None:
        super().shutdown_request(request)
        self.closed.release()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.requests.append((self.path, self.headers, body))
        reply = self.server.next_reply()
        if reply.silent:
            self.close_connection = True
            return
        payload = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()
        if reply.close_after:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(WAIT)


def keepalive(server: Server, **kwargs) -> KeepAliveWebClient:
    kwargs.setdefault("retry_handlers", [])  # the transport's own retry, not slack_sdk's
    return KeepAliveWebClient(token="xoxb-test", base_url=server.url, timeout=5, **kwargs)


def plain(server: Server, **kwargs) -> WebClient:
    kwargs.setdefault("retry_handlers", [])
    return WebClient(token="xoxb-test", base_url=server.url, timeout=5, **kwargs)


BOTH = pytest.mark.parametrize("make", [keepalive, plain], ids=["keepalive", "plain"])


@pytest.fixture
def no_jitter(monkeypatch):
    """RateLimitErrorRetryHandler sleeps Retry-After plus up to a second of jitter: drop it."""
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))


def test_calls_from_one_thread_share_one_connection(server):
    client = keepalive(server)
    for _ in range(5):
        response = client.api_call("auth.test")
        assert response["ok"] is True and response["user_id"] == "UBOT"
    assert len(server.requests) == 5
    assert server.connections == 1


def test_plain_client_opens_a_connection_per_call(server):
    """The baseline the keep-alive client improves on (and proof the counter counts)."""
    client = plain(server)
    for _ in range(3):
        assert client.api_call("auth.test")["ok"] is True
    assert server.connections == 3


@BOTH
def test_requests_arrive_as_slack_sdk_builds_them(server, make):
    client = make(server)
    client.api_call("chat.postMessage", json={"channel": "C1", "text": "héllo"})
    client.api_call("users.info", params={"user": "U1"})
    (path1, headers1, body1), (path2, headers2, body2) = server.requests
    assert path1 == "/api/chat.postMessage"
    assert headers1["Authorization"] == "Bearer xoxb-test"
    assert headers1["Content-Type"].startswith("application/json")
    assert json.loads(body1) == {"channel": "C1", "text": "héllo"}
    assert path2 == "/api/users.info"
    assert headers2["Content-Type"] == "application/x-www-form-urlencoded"
    assert body2 == b"user=U1"


def test_each_thread_has_its_own_connection(server):
    client = keepalive(server)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                assert client.api_call("auth.test")["ok"] is True
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert errors == []
    assert len(server.requests) == 6
    assert server.connections == 2


def test_connection_close_header_is_honoured(server):
    client = keepalive(server)
    server.script(Reply(headers={"Connection": "close"}, close_after=True))
    assert client.api_call("auth.test")["ok"] is True
    assert server.closed.acquire(timeout=WAIT)
    assert client.api_call("auth.test")["ok"] is True
    assert client.api_call("auth.test")["ok"] is True
    assert server.connections == 2


def test_idle_connection_closed_by_server_is_retried_transparently(server):
    client = keepalive(server)
    server.script(Reply(close_after=True))  # closes without telling the client
    assert client.api_call("auth.test")["ok"] is True
    assert server.closed.acquire(timeout=WAIT)  # the kept connection is now dead
    response = client.api_call("auth.test")
    assert response["ok"] is True
    assert len(server.requests) == 2
    assert server.connections == 2
    assert client.api_call("auth.test")["ok"] is True  # and the new one is kept
    assert server.connections == 2


@BOTH
def test_fresh_connection_dropped_without_reply_is_not_retried(server, make):
    """Only a reused connection is retried; a fresh one fails as urllib fails."""
    client = make(server)
    server.script(Reply(silent=True))
    with pytest.raises(http.client.RemoteDisconnected):
        client.api_call("auth.test")
    assert len(server.requests) == 1
    assert client.api_call("auth.test")["ok"] is True  # the client recovers


@BOTH
def test_rate_limited_call_is_retried_by_slack_sdk_handler(server, make, no_jitter):
    client = make(server, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    server.script(
        Reply(status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "0"})
    )
    response = client.api_call("auth.test")
    assert response["ok"] is True
    assert response.status_code == 200
    assert len(server.requests) == 2


def test_rate_limit_retry_reuses_the_connection(server, no_jitter):
    client = keepalive(server, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    server.script(
        Reply(status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "0"})
    )
    assert client.api_call("auth.test")["ok"] is True
    assert server.connections == 1


@BOTH
def test_rate_limited_without_handler_raises_slack_api_error(server, make):
    client = make(server)
    server.script(
        Reply(status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "7"})
    )
    with pytest.raises(SlackApiError) as raised:
        client.api_call("auth.test")
    response = raised.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    assert response.headers["Retry-After"] == "7"
    assert len(server.requests) == 1


class Witness(RetryHandler):
    """Never retries; records what slack_sdk shows a retry handler."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=1)
        self.seen: list[tuple[int | None, type | None]] = []

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        self.seen.append((response and response.status_code, type(error) if error else None))
        return False


@BOTH
@pytest.mark.parametrize("status", [404, 429, 503])
def test_error_status_reaches_retry_handlers_as_http_error(server, make, status):
    """As with urllib: handlers that look at the error (not only the status) see HTTPError."""
    witness = Witness()
    client = make(server, retry_handlers=[witness])
    server.script(Reply(status=status, body={"ok": False, "error": "e"}))
    with pytest.raises(SlackApiError):
        client.api_call("auth.test")
    assert witness.seen == [(status, HTTPError)]


@BOTH
def test_server_error_raises_slack_api_error(server, make):
    client = make(server)
    server.script(Reply(status=500, body={"ok": False, "error": "internal_error"}))
    with pytest.raises(SlackApiError) as raised:
        client.api_call("auth.test")
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert client.api_call("auth.test")["ok"] is True  # and the next call is fine


@BOTH
def test_api_error_with_status_200_raises_slack_api_error(server, make):
    client = make(server)
    server.script(Reply(body={"ok": False, "error": "channel_not_found"}))
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", json={"channel": "CNONE", "text": "x"})
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "channel_not_found"


@BOTH
def test_unreachable_server_raises_url_error(make):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unreachable = SimpleNamespace(url=f"http://127.0.0.1:{port}/api/")
    client = make(unreachable)
    with pytest.raises(URLError):
        client.api_call("auth.test")
