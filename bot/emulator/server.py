"""The Slack Web API emulator: a local, thread-safe stand-in for slack.com."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self

from bot.emulator import responseurl
from bot.emulator.httpd import EmulatorHTTPServer
from bot.emulator.socketmode import SocketModeServer
from bot.emulator.state import Call, Predicate, State, make_fault


class Emulator:
    """Local Slack Web API + Socket Mode emulator; point ``WebClient(base_url=...)`` at ``api_url``."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, tokens: Iterable[str] | None = None
    ) -> None:
        self.host = host
        self._requested_port = port
        self.tokens: set[str] | None = set(tokens) if tokens is not None else None
        self.state = State()
        self._httpd: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._socket = SocketModeServer(host, self._record_socket)

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> Self:
        """Start serving in a daemon thread; return self."""
        if self._httpd is not None:
            return self
        self._httpd = EmulatorHTTPServer((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="slack-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the HTTP and WebSocket servers."""
        self._socket.stop()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        """Start the emulator."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the emulator."""
        self.stop()

    @property
    def port(self) -> int:
        """The bound HTTP port."""
        if self._httpd is None:
            raise RuntimeError("emulator is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)`` (ends with ``/api/``)."""
        return f"{self.url}/api/"

    # -- inspection --------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Return recorded calls (copies), optionally only those of ``method``."""
        return self.state.list_calls(method)

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return stored messages (ts, text, blocks, updates, ...), optionally for one channel."""
        return self.state.list_messages(channel)

    def uploads(self) -> list[dict[str, Any]]:
        """Return completed uploads with their bytes under ``content``."""
        with self.state.lock:
            done = [u for u in self.state.uploads.values() if u.completed]
            return [u.to_dict(with_content=True) for u in done]

    def upload_bytes(self, file_id: str) -> bytes | None:
        """Return the bytes received for a file id (completed or not), or None."""
        with self.state.lock:
            upload = self.state.uploads.get(file_id)
            return None if upload is None else upload.content

    def views(self) -> dict[str, dict[str, Any]]:
        """Return stored views (modals and home tabs) by view id."""
        with self.state.lock:
            return copy.deepcopy(self.state.views)

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """Return the latest published home view for a user, or None."""
        with self.state.lock:
            view_id = self.state.home_views.get(user_id)
            return copy.deepcopy(self.state.views.get(view_id or ""))

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Predicate | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls of ``method`` (matching ``predicate``) are recorded."""
        return self.state.wait_for(method, count, timeout, predicate)

    # -- control -----------------------------------------------------------------

    def reset(self) -> None:
        """Clear calls, messages, views, uploads, faults and response URLs."""
        self.state.reset()

    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        error: str | None = None,
        after_effect: bool = False,
    ) -> None:
        """Queue ``times`` faults for a Web API method, ``"upload"`` or ``"response_url"``.

        Without other options the fault is HTTP 500; ``retry_after`` implies 429; ``error``
        answers HTTP 200 ``ok: false``; ``delay`` alone sleeps then answers normally.
        ``after_effect=True``: the method does its work first (e.g. chat.postMessage stores
        the message), then answers with the fault (HTTP 500 unless told otherwise) or drops
        the connection: the request reached Slack but its answer was lost.
        """
        fault = make_fault(
            status=status,
            retry_after=retry_after,
            delay=delay,
            drop=drop,
            error=error,
            after_effect=after_effect,
        )
        self.state.add_fault(method, fault, times)

    def rate_limit(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` with a 429 (Retry-After: the rest) for ``seconds``."""
        self.state.rate_limit(method, seconds)

    def response_url(
        self,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """Return a fresh response URL; pass channel/message to let replace/delete act on it."""
        return responseurl.issue(
            self.state, self.url, channel_id=channel_id, message_ts=message_ts, user_id=user_id
        )

    def add_user(self, user_id: str, **fields: Any) -> None:
        """Override fields of the deterministic users.info answer for ``user_id``."""
        with self.state.lock:
            self.state.users.setdefault(user_id, {}).update(fields)

    def add_channel(self, channel_id: str, **fields: Any) -> None:
        """Override fields of the deterministic conversations.info answer for ``channel_id``."""
        with self.state.lock:
            self.state.channels.setdefault(channel_id, {}).update(fields)

    # -- Socket Mode ---------------------------------------------------------------

    def socket_url(self) -> str:
        """Issue a one-time WebSocket URL (what apps.connections.open returns)."""
        return self._socket.issue_url()

    def socket_send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        timeout: float = 5.0,
        accepts_response_payload: bool | None = None,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> dict[str, Any]:
        """Deliver an envelope to the connected client and return its ack (TimeoutError if none)."""
        return self._socket.send(
            envelope_type,
            payload,
            envelope_id=envelope_id,
            timeout=timeout,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )

    def socket_wait_connected(self, timeout: float = 5.0, count: int = 1) -> int:
        """Wait until ``count`` Socket Mode clients are connected; return the connection count."""
        return self._socket.wait_connected(timeout, count)

    def socket_connections(self) -> int:
        """Return the number of live Socket Mode connections."""
        return self._socket.connection_count()

    def socket_drop(self, reason: str | None = None) -> int:
        """Break live connections (TCP reset, or a Slack ``disconnect`` message with ``reason``)."""
        return self._socket.drop(reason)

    def _record_socket(self, method: str, params: dict[str, Any]) -> None:
        """Record a Socket Mode event as a call (``socket.connect``, ``socket.ack``, ...)."""
        self.state.record(method, params, None)
