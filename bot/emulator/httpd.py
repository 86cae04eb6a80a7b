"""HTTP layer of the emulator: routing, body decoding, fault injection and call recording."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.emulator import controlapi, responseurl, webapi, wire
from bot.emulator.state import Fault

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

log = logging.getLogger(__name__)

#: (status, content type, body, extra fields for the call record)
Answer = tuple[int, str, bytes, dict[str, Any]]
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
QUIET_ERRORS = (ConnectionError, TimeoutError, OSError)


class EmulatorHTTPServer(ThreadingHTTPServer):
    """Threading HTTP server tuned for bursts of concurrent clients."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away; log anything else."""
        if isinstance(sys.exc_info()[1], QUIET_ERRORS):
            return
        log.exception("emulator request from %s failed", client_address)


def json_bytes(value: Any) -> bytes:
    """Serialise a value to JSON bytes (non-JSON values rendered with repr)."""
    return json.dumps(value, default=repr).encode("utf-8")


def fault_answer(fault: Fault) -> Answer:
    """Return the answer a replacing fault produces."""
    status = fault.http_status()
    default = {429: "ratelimited"}.get(status, "internal_error" if status >= 500 else "fault")
    return status, JSON_TYPE, json_bytes({"ok": False, "error": fault.error or default}), {}


class Handler(BaseHTTPRequestHandler):
    """Routes ``/api``, ``/upload``, ``/response`` and ``/_emulator`` requests."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle holds the body
    # back until the client's delayed ACK (40 ms) on every reused keep-alive connection.
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Send access logs to the debug logger instead of stderr."""
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        """Handle GET requests."""
        self.route("GET")

    def do_POST(self) -> None:
        """Handle POST requests."""
        self.route("POST")

    @property
    def emulator(self) -> Emulator:
        """The emulator this handler serves."""
        return self.server.emulator

    def route(self, verb: str) -> None:
        """Dispatch a request by path."""
        parts = urlsplit(self.path)
        path = parts.path
        try:
            if path.startswith("/api/"):
                self.api(unquote(path[len("/api/") :]), parts.query)
            elif verb == "POST" and path.startswith("/upload/"):
                self.upload(unquote(path[len("/upload/") :]))
            elif verb == "POST" and path.startswith("/response/"):
                self.response_url(path[len("/response/") :])
            elif path.startswith("/_emulator/"):
                body = self.read_body() if verb == "POST" else b""
                status, ctype, data = controlapi.route(self.emulator, verb, parts, body)
                self.reply(status, ctype, data)
            else:
                self.read_body()
                self.reply(404, JSON_TYPE, json_bytes({"ok": False, "error": "not_found"}))
        except QUIET_ERRORS:
            self.close_connection = True

    # -- plumbing ------------------------------------------------------------

    def read_body(self) -> bytes:
        """Read the request body (Content-Length or chunked)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return wire.read_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(
        self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        """Write a complete response."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def drop(self) -> None:
        """Close the connection without answering (linger 0: the peer sees a reset)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def faulted(
        self, name: str, params: dict[str, Any], token: str | None, produce: Callable[[], Answer]
    ) -> None:
        """Apply a queued fault for ``name`` (if any), answer, and record the call."""
        state = self.emulator.state
        arrived = time.time()
        fault = state.take_fault(name)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.replaces_answer():
            # after_effect: the work is done, then the answer is lost or replaced
            extra = produce()[3] if fault.after_effect else {}
            state.record(name, params, token, fault, at=arrived, **extra)
            if fault.drop:
                self.drop()
                return
            status, ctype, body, _ = fault_answer(fault)
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            self.reply(status, ctype, body, headers)
            return
        status, ctype, body, record_extra = produce()
        state.record(name, params, token, fault, at=arrived, **record_extra)
        self.reply(status, ctype, body)

    # -- endpoints -----------------------------------------------------------

    def api(self, method: str, query: str) -> None:
        """Handle ``/api/<method>`` with form, JSON or multipart bodies."""
        body = self.read_body()
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        params.pop("token", None)  # Slack refuses tokens in query strings
        ctype = self.headers.get_content_type()
        token: str | None = None
        try:
            if ctype == "application/json":
                params.update(wire.parse_json_object(body))
            elif ctype == "multipart/form-data":
                params.update(wire.parse_multipart_fields(self.headers["Content-Type"], body))
                token = params.pop("token", None)
            else:
                params.update(wire.parse_form(body))
                token = params.pop("token", None)
        except wire.BodyError:
            answer = {"ok": False, "error": "invalid_form_data"}
            if ctype == "application/json":
                answer["error"] = "invalid_json"
            self.emulator.state.record(method, {}, None, response=answer)
            self.reply(200, JSON_TYPE, json_bytes(answer))
            return
        params.pop("token", None)
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer ") :].strip()
        wire.decode_json_fields(params)

        def produce() -> Answer:
            ctx = webapi.Ctx(
                state=self.emulator.state,
                params=params,
                token=token,
                base_url=self.emulator.url,
                socket_url=self.emulator.socket_url,
            )
            answer = webapi.dispatch(method, ctx, self.emulator.tokens)
            return 200, JSON_TYPE, json_bytes(answer), {"response": answer}

        self.faulted(method, params, token, produce)

    def upload(self, file_id: str) -> None:
        """Receive file bytes posted to an upload URL (raw body or multipart)."""
        body = self.read_body()
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any] = {"file_id": file_id, "content_type": ctype}

        def produce() -> Answer:
            content = body
            if ctype.lower().startswith("multipart/form-data"):
                try:
                    content, _ = wire.multipart_file(ctype, body)
                except wire.BodyError:
                    return 400, TEXT_TYPE, b"malformed multipart body", {}
            state = self.emulator.state
            with state.lock:
                upload = state.uploads.get(file_id)
                if upload is None:
                    return 404, TEXT_TYPE, b"unknown upload", {}
                upload.content = content
            params["length"] = len(content)
            return 200, TEXT_TYPE, f"OK - {len(content)}".encode(), {}

        self.faulted("upload", params, None, produce)

    def response_url(self, token: str) -> None:
        """Receive a POST to a response_url and apply it to stored messages."""
        body = self.read_body()
        try:
            if self.headers.get_content_type() == "application/json":
                payload = wire.parse_json_object(body)
            else:
                form = wire.parse_form(body)
                payload = wire.parse_json_object(form.get("payload", "{}").encode())
        except wire.BodyError:
            payload = {"_invalid_body": body.decode("utf-8", errors="replace")}
        wire.decode_json_fields(payload)
        params = {**payload, "url": f"{self.emulator.url}/response/{token}"}

        def produce() -> Answer:
            if "_invalid_body" in payload:
                return 400, TEXT_TYPE, b"invalid_payload", {"response": "invalid_payload"}
            status, answer = responseurl.respond(self.emulator.state, token, payload)
            if isinstance(answer, str):
                return status, TEXT_TYPE, answer.encode(), {"response": answer}
            return status, JSON_TYPE, json_bytes(answer), {"response": answer}

        self.faulted("response_url", params, None, produce)
