"""Socket Mode: a WebSocket server speaking Slack's envelope protocol (hello, envelopes, acks)."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.emulator.state import APP_ID

Recorder = Callable[[str, dict[str, Any]], Any]
log = logging.getLogger(__name__)


class SocketModeServer:
    """Runs a ``websockets`` threading server and tracks connections, envelopes and acks."""

    def __init__(self, host: str, record: Recorder, ping_interval: float = 0.2) -> None:
        self.host = host
        self.ping_interval = ping_interval
        self._record = record
        self._cond = threading.Condition()
        self._tickets: set[str] = set()
        self._conns: list[ServerConnection] = []  # live, eligible for envelopes
        self._draining: set[ServerConnection] = set()  # dropped or told to disconnect
        self._acks: dict[str, dict[str, Any]] = {}
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------

    def ensure_started(self) -> None:
        """Start the WebSocket server on first use."""
        with self._cond:
            if self._server is not None:
                return
            self._server = serve(
                self._handle,
                self.host,
                0,
                process_request=self._process_request,
                compression=None,
                logger=log,
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="emulator-socket-mode", daemon=True
            )
            self._thread.start()
            threading.Thread(
                target=self._heartbeat, name="emulator-socket-ping", daemon=True
            ).start()

    @property
    def port(self) -> int:
        """Port of the WebSocket server (starts it if needed)."""
        self.ensure_started()
        assert self._server is not None
        return int(self._server.socket.getsockname()[1])

    def stop(self) -> None:
        """Stop the server and close every connection."""
        with self._cond:
            server, self._server = self._server, None
            conns = [*self._conns, *self._draining]
        for conn in conns:
            _abort(conn)
        if server is not None:
            server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _heartbeat(self) -> None:
        """Ping every connection often, as Slack does; clients blocked in recv() wake up promptly."""
        while True:
            time.sleep(self.ping_interval)
            with self._cond:
                if self._server is None:
                    return
                conns = [*self._conns, *self._draining]
            for conn in conns:
                with contextlib.suppress(Exception):
                    conn.ping()

    def issue_url(self) -> str:
        """Return a fresh one-time ``ws://`` URL like Slack's ``wss://.../link/?ticket=...``."""
        port = self.port
        ticket = str(uuid.uuid4())
        with self._cond:
            self._tickets.add(ticket)
        return f"ws://{self.host}:{port}/link/?ticket={ticket}&app_id={APP_ID}"

    # -- server callbacks --------------------------------------------------

    def _process_request(self, conn: ServerConnection, request: Request) -> Response | None:
        """Accept only paths carrying an unused ticket issued by apps.connections.open."""
        parts = urlsplit(request.path)
        ticket = (parse_qs(parts.query).get("ticket") or [""])[0]
        with self._cond:
            valid = parts.path.rstrip("/") == "/link" and ticket in self._tickets
            self._tickets.discard(ticket)
        if valid:
            return None
        self._record("socket.rejected", {"path": request.path})
        return conn.respond(HTTPStatus.UNAUTHORIZED, "invalid or already used ticket\n")

    def _handle(self, conn: ServerConnection) -> None:
        """Send hello, then collect acks until the connection ends."""
        path = conn.request.path if conn.request is not None else ""
        with self._cond:
            count = len(self._conns) + 1
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-emulator",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": APP_ID},
        }
        try:
            conn.send(json.dumps(hello))
            with self._cond:
                self._conns.append(conn)
                self._cond.notify_all()
            self._record("socket.connect", {"path": path, "connections": count})
            for raw in conn:
                self._on_message(raw)
        except (ConnectionClosed, OSError):
            pass
        finally:
            with self._cond:
                if conn in self._conns:
                    self._conns.remove(conn)
                self._draining.discard(conn)
                self._cond.notify_all()
            self._record("socket.disconnect", {"path": path})

    def _on_message(self, raw: str | bytes) -> None:
        """Record an ack sent by the client and wake up the sender waiting for it."""
        try:
            message = json.loads(raw)
        except ValueError:
            self._record("socket.invalid", {"raw": raw if isinstance(raw, str) else repr(raw)})
            return
        if not isinstance(message, dict) or "envelope_id" not in message:
            self._record("socket.invalid", {"raw": message})
            return
        self._record("socket.ack", message)
        with self._cond:
            self._acks[str(message["envelope_id"])] = message
            self._cond.notify_all()

    # -- public operations --------------------------------------------------

    def connection_count(self) -> int:
        """Return the number of live connections."""
        with self._cond:
            return len(self._conns)

    def wait_connected(self, timeout: float, count: int = 1) -> int:
        """Block until ``count`` clients are connected; return the connection count."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._conns) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"no Socket Mode client connected within {timeout}s "
                        f"({len(self._conns)} connection(s))"
                    )
                self._cond.wait(remaining)
            return len(self._conns)

    def send(
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
        """Deliver an envelope to the newest connection and wait for its ack."""
        deadline = time.monotonic() + timeout
        self.wait_connected(timeout)
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": (
                envelope_type != "events_api"
                if accepts_response_payload is None
                else accepts_response_payload
            ),
        }
        if envelope_type == "events_api" or retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason or ""
        with self._cond:
            self._acks.pop(envelope_id, None)
            conn = self._conns[-1]
        self._record("socket.envelope", envelope)
        conn.send(json.dumps(envelope))
        with self._cond:
            while envelope_id not in self._acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no ack for envelope {envelope_id} within {timeout}s")
                self._cond.wait(remaining)
            return self._acks.pop(envelope_id)

    def drop(self, reason: str | None = None) -> int:
        """Break every connection: abruptly (TCP reset) or, with ``reason``, via a disconnect message."""
        with self._cond:
            conns, self._conns = self._conns, []
            self._draining.update(conns)
            self._cond.notify_all()
        self._record("socket.drop", {"reason": reason, "connections": len(conns)})
        for conn in conns:
            if reason is None:
                _abort(conn)
            else:
                message = {
                    "type": "disconnect",
                    "reason": reason,
                    "debug_info": {"host": "applink-emulator"},
                }
                with contextlib.suppress(ConnectionClosed):
                    conn.send(json.dumps(message))
        return len(conns)


def _abort(conn: ServerConnection) -> None:
    """Reset a connection without a close frame, like a network failure."""
    sock = conn.socket
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
        sock.close()
    except OSError:
        pass
